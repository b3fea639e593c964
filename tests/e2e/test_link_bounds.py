"""Every page's link at its boundaries: each SCHEMA entry that a control shows is opened from the
address at its smallest and largest value and at every choice (and at values a select does not
offer); the control shows exactly that value and the address keeps it.

Each page's own test file (tests/e2e/test_<id>.py) declares its table, LINK:
  controls     {SCHEMA key: (kind, data-testid)}, kind "select" | "slider" | "number" | "checkbox",
               or "pressed": buttons inside the test id carrying data-<key>, the pressed one showing the value
  elsewhere    the SCHEMA keys no control shows (free text, codes, positions), tested in that file
  companions   {link name: {key: value}} that a link needs for its values to be valid together
  off_presets  [links with values a select does not offer as presets]
  ready        a JavaScript expression that is true once the page shows the link's values
"""

import importlib
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from conftest import wait_engine

PAGE_IDS = sorted(
    p.name for p in (Path(__file__).resolve().parents[2] / "web/js/pages").iterdir() if p.is_dir()
)


def text(value):
    """A value as the link writes it (JavaScript's String(), the same for these numbers)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def links(schema, page):
    """The links to open: every entry with a control at its minimum, at its maximum, and at its i-th choice."""
    controlled = {key: spec for key, spec in schema.items() if key in page["controls"]}
    low, high = {}, {}
    for key, spec in controlled.items():
        if spec["type"] == "bool":
            low[key], high[key] = False, True
        elif spec["type"] in ("int", "float"):
            low[key], high[key] = spec["min"], spec["max"]
    choices = [spec["values"] for spec in controlled.values() if spec["type"] == "enum"]
    by_choice = [
        {
            key: spec["values"][i]
            for key, spec in controlled.items()
            if spec["type"] == "enum" and i < len(spec["values"])
        }
        for i in range(max(map(len, choices), default=0))
    ]
    named = [("min", low), ("max", high)] + [(f"choice {i}", link) for i, link in enumerate(by_choice)]
    named += [(f"off presets {i}", link) for i, link in enumerate(page["off_presets"])]
    return [(name, {**page["companions"].get(name, {}), **link}) for name, link in named]


def shown(page, kind, testid, key):
    """What the control of `key` shows, as the link would write it."""
    control = page.get_by_test_id(testid)
    if kind == "pressed":
        pressed = control.locator(f"[data-{key}][aria-pressed=true]")
        assert pressed.count() == 1, key
        return pressed.get_attribute(f"data-{key}")
    if kind == "checkbox":
        return text(control.is_checked())
    return control.input_value()


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_every_bound_and_choice_opens_from_the_link_and_stays_in_it(site, new_page, page_id):
    spec = getattr(importlib.import_module(f"test_{page_id}"), "LINK", None)
    assert spec is not None, f"tests/e2e/test_{page_id}.py declares LINK, the controls of its SCHEMA entries"
    page, errors = new_page(locale="en-US", viewport={"width": 1280, "height": 900})
    page.goto(site)
    wait_engine(page)
    schema = page.evaluate(f"import('./js/pages/{page_id}/state.js').then((m) => m.SCHEMA)")
    assert set(spec["controls"]) | spec["elsewhere"] == set(schema), "every SCHEMA entry is tested somewhere"
    for name, link in links(schema, spec):
        page.goto(site + "#/")
        page.locator("#pages-heading").wait_for()
        page.goto(f"{site}#/{page_id}?{urlencode({key: text(value) for key, value in link.items()})}")
        page.wait_for_function(spec["ready"], timeout=90_000)
        address = {
            key: values[0] for key, values in parse_qs(urlsplit(page.url).fragment.partition("?")[2]).items()
        }
        for key, value in link.items():
            kind, testid = spec["controls"][key]
            assert shown(page, kind, testid, key) == text(value), (name, key)
            assert address.get(key, text(schema[key]["default"])) == text(value), (name, key, page.url)
        assert page.get_by_test_id("notice-warning").count() == 0, name
    assert errors == []
