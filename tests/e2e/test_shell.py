"""The site shell: home page, engine, language, keyboard, errors in the page, offline."""

import re

from conftest import wait_engine


def test_home_loads_and_engine_becomes_ready(site, new_page):
    page, errors = new_page()
    page.goto(site)
    wait_engine(page)
    assert page.get_by_test_id("engine-status").inner_text() == "Python listo"  # plain words in the pill…
    details = page.get_by_test_id("engine-details").text_content()
    assert "NumPy2.0.2" in details and "Python3.12" in details  # …versions in the details
    # The home page's live check runs the course's example through pizarra in the browser.
    x, y, z, w = 3, -4, 2, 0
    r = ((x * y) + max(z, w)) * 2
    check = page.get_by_test_id("engine-check")
    check.and_(page.locator("[data-state=done]")).wait_for()
    text = check.inner_text().replace("−", "-")
    assert f"r = {r};" in text
    assert f"∂r/∂x = {y * 2}," in text and f"∂r/∂y = {x * 2}," in text
    assert f"∂r/∂z = {2 if z > w else 0}," in text and f"∂r/∂w = {2 if w > z else 0}." in text
    assert errors == []


def test_language_switch_changes_text_and_persists(site, new_page):
    page, errors = new_page(locale="es-AR")
    page.goto(site)
    heading = page.locator("#pages-heading")
    assert heading.inner_text() == "Las páginas"
    assert page.evaluate("document.documentElement.lang") == "es"
    page.get_by_test_id("lang-en").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert heading.inner_text() == "The pages"
    assert page.get_by_test_id("lang-en").get_attribute("aria-pressed") == "true"
    page.reload()
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.locator("#pages-heading").inner_text() == "The pages"
    assert errors == []


def test_default_language_follows_the_browser(site, new_page):
    page, _ = new_page(locale="en-GB")
    page.goto(site)
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.locator("#pages-heading").inner_text() == "The pages"


def test_keyboard_navigation(site, new_page):
    page, errors = new_page()
    page.goto(site)
    page.locator("#pages-heading").wait_for()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # Every header control is reachable by Tab and works with the keyboard.
    page.locator(".brand").focus()
    seen = []
    for _ in range(12):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.dataset.testid || document.activeElement.tagName"))
        if seen[-1] == "lang-en":
            break
    assert {"share", "theme", "lang-es", "lang-en"} <= set(seen)
    page.keyboard.press("Enter")
    page.wait_for_function("document.documentElement.lang === 'en'")
    page.get_by_test_id("theme").focus()
    before = page.evaluate("document.documentElement.dataset.theme")
    page.keyboard.press("Space")
    assert page.evaluate("document.documentElement.dataset.theme") != before
    assert errors == []


def test_every_menu_entry_works_and_unknown_addresses_explain_themselves(site, new_page):
    page, errors = new_page()
    page.goto(site)
    menu = page.locator("#menu")
    menu.locator(":scope > *").first.wait_for()
    entries = menu.locator(":scope > *").evaluate_all(
        "items => items.map((i) => [i.tagName, i.getAttribute('href')])"
    )
    assert len(entries) == 5 and all(tag == "A" for tag, _ in entries)  # every page is built
    for _, href in entries:
        page.goto(site + href)
        page.locator(f"main[data-page={href.removeprefix('#/')}]").wait_for()
        assert menu.locator("[aria-current=page]").get_attribute("href") == href
    page.goto(site + "#/no-such-page?<b>x</b>")
    missing = page.get_by_test_id("page-not-found")
    missing.wait_for()
    assert "no-such-page" in missing.inner_text()
    assert page.locator("#main b").count() == 0  # nothing from the address becomes markup
    assert errors == []


def test_missing_runtime_file_shows_error_panel(broken_site, new_page):
    page, _ = new_page()
    page.goto(broken_site)
    wait_engine(page, "error")
    panel = page.get_by_test_id("engine-error")
    assert panel.is_visible() and panel.get_attribute("role") == "alert"
    assert "runtime/pyodide.asm.wasm" in panel.inner_text()
    assert page.get_by_test_id("engine-retry").is_visible()
    # The page is still there and still works.
    assert page.locator("#pages-heading").inner_text() == "Las páginas"
    page.get_by_test_id("lang-en").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert "A runtime file is missing" in panel.inner_text()
    page.get_by_test_id("engine-retry").click()
    wait_engine(page, "error")
    assert page.get_by_test_id("engine-error").is_visible()


def test_bridge_calls_errors_cancel_and_timeout(site, new_page):
    page, errors = new_page()
    page.goto(site)
    wait_engine(page)
    assert page.evaluate("pizarra.run('import numpy; numpy.__version__')") == "2.0.2"
    assert page.evaluate("pizarra.run('6 * 7')") == 42
    failure = page.evaluate(
        "pizarra.run('1/0').then(() => null, e => ({code: e.code, type: e.pythonType, tb: e.traceback}))"
    )
    assert failure["code"] == "python" and failure["type"] == "ZeroDivisionError"
    assert "Traceback" in failure["tb"]
    unknown = page.evaluate("pizarra.call('no_such_demo').then(() => null, e => e.message)")
    assert (
        unknown.startswith("Refused (unknown-function)") and '"no_such_demo"' in unknown
    )  # the door's refusal
    cancelled = page.evaluate(
        """() => { const c = new AbortController();
                   const p = pizarra.run('import time; time.sleep(0.5); 1', {signal: c.signal});
                   c.abort(); return p.then(() => null, e => e.code); }"""
    )
    assert cancelled == "cancelled"
    timed_out = page.evaluate(
        "pizarra.run('while True: pass', {timeoutMs: 1000}).then(() => null, e => e.code)"
    )
    assert timed_out == "timeout"
    # The stopped call ends: interrupted, or (past the grace period) with a fresh engine. A call made
    # before then would wait behind it and, if the engine restarts, end as "restarted".
    page.wait_for_function("pizarra.running === null && pizarra.state === 'ready'", timeout=60_000)
    assert page.evaluate("pizarra.run('1 + 1')") == 2
    assert errors == []


def test_second_visit_works_offline(site, new_page):
    page, errors = new_page()
    page.goto(site + "#/")
    wait_engine(page)
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60_000)
    page.context.set_offline(True)
    page.reload()
    wait_engine(page)
    assert re.search(r"NumPy\s*2\.0\.2", page.get_by_test_id("engine-details").text_content())
    assert errors == []


def test_a_new_build_replaces_the_offline_cache(tmp_path, new_page):
    import json
    import shutil

    from buildlib import common, server

    dist = tmp_path / "dist"
    shutil.copytree(common.DIST, dist)
    with server.serving(dist) as url:
        page, errors = new_page()
        page.goto(url)
        wait_engine(page)
        page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60_000)
        old = json.loads((dist / "build.json").read_text())["build"]
        assert page.evaluate("caches.keys()") == [f"pizarra-{old}"]
        # A new deploy: a changed file means a new build id, hence a new service worker.
        manifest = json.loads((dist / "build.json").read_text())
        manifest["build"] = new = "0123456789abcdef"
        (dist / "build.json").write_text(json.dumps(manifest))
        (dist / "sw.js").write_text((dist / "sw.js").read_text().replace(old, new))
        page.reload()
        for _ in range(
            120
        ):  # the browser checks sw.js on navigation; the new worker precaches, then drops the old cache
            if page.evaluate("caches.keys()") == [f"pizarra-{new}"]:
                break
            page.wait_for_timeout(500)
        assert page.evaluate("caches.keys()") == [f"pizarra-{new}"]
        notice = page.get_by_test_id("notice-info").filter(has_text="versión nueva")
        notice.wait_for()
        notice.get_by_role("button", name="Recargar").click()
        wait_engine(page)
        assert errors == []


def test_each_page_stylesheet_applies_only_inside_its_page(site, new_page):
    page, errors = new_page(locale="en-US")
    for page_id in ["cnn", "backprop"]:
        page.goto(f"{site}#/{page_id}")
        page.locator(f"main[data-page={page_id}] h1").wait_for()
    sheets = page.evaluate(
        """() => [...document.styleSheets].filter((s) => s.ownerNode.dataset.stylesheet)
              .map((s) => [s.ownerNode.dataset.stylesheet, [...s.cssRules].map((r) => r.selectorText ?? r.cssText)])"""
    )
    assert sorted(page_id for page_id, _ in sheets) == ["backprop", "cnn"]
    for page_id, selectors in sheets:
        for selector in selectors:
            assert all(part.strip().startswith(f'[data-page="{page_id}"]') for part in selector.split(",")), (
                page_id,
                selector,
            )
    # The CNN page's rules (its sheet is loaded) style nothing on the Backprop page or home.
    probe = """() => { const p = document.createElement("p"); p.className = "stage prediction-digit";
                       document.querySelector("main").append(p); const s = getComputedStyle(p);
                       const style = [s.display, s.paddingTop, s.fontSize]; p.remove(); return style; }"""
    assert page.evaluate(probe) == ["block", "0px", "16px"]
    page.goto(site + "#/")
    page.locator("main[data-page=home] #pages-heading").wait_for()
    assert page.evaluate(probe) == ["block", "0px", "16px"]
    page.goto(f"{site}#/cnn")
    page.locator("main[data-page=cnn] h1").wait_for()
    assert page.evaluate(probe) == ["grid", "8px", "88px"]  # …and do inside its own page (0.5rem, 5.5rem)
    assert errors == []


def test_card_titles_break_only_between_words_or_at_a_hyphen(site, new_page):
    page, errors = new_page(locale="es-ES", viewport={"width": 1280, "height": 900})
    page.goto(site)
    page.locator(".cards").wait_for()
    # Where each title's lines start: a break inside a word must fall at its soft hyphen (U+00AD),
    # where the browser draws a hyphen.
    breaks = """() => [...document.querySelectorAll(".card h3")].map((title) => {
        const node = title.firstChild, range = document.createRange(), text = node.textContent;
        let lastTop = null, last = -1, found = [];
        for (let i = 0; i < text.length; i++) {
          if (text[i] === " " || text[i] === "\\u00ad") continue;
          range.setStart(node, i); range.setEnd(node, i + 1);
          const top = Math.round([...range.getClientRects()].at(-1).top); // a line's first letter: its last box
          if (lastTop !== null && top > lastTop) {
            const gap = text.slice(last + 1, i);
            range.setStart(node, last + 1);
            range.setEnd(node, i);
            found.push([gap, Math.round(range.getBoundingClientRect().width)]); // a drawn hyphen has a width
          }
          lastTop = top; last = i;
        }
        return [text, found];
      })"""
    broken = set()
    for width in [430, 900, 1280]:
        page.set_viewport_size({"width": width, "height": 900})
        for title, gaps in page.evaluate(breaks):
            for gap, drawn in gaps:
                assert gap in (" ", "\u00ad"), (width, title, gaps)
                assert gap == " " or drawn > 0, (width, title, "no hyphen drawn")
                broken.add(title.replace("\u00ad", ""))
    assert "Retropropagación" in broken  # narrow cards do break the longest title
    assert errors == []


def test_switching_pages_while_answers_are_on_their_way(site, new_page):
    page, errors = new_page(locale="en-US")
    page.goto(site)
    wait_engine(page)
    for _ in range(3):
        for address in ["#/cnn", "#/backprop?data=xor", "#/cnn?layer=conv2", "#/"]:
            page.goto(site + address)
    page.get_by_test_id("engine-check").and_(page.locator("[data-state=done]")).wait_for()
    page.evaluate("pizarra.call('engine_check')")  # answered after every call the pages made
    page.wait_for_timeout(200)
    assert page.locator("main").get_attribute("data-page") == "home"
    assert page.locator("main > section").count() == 4 and page.locator("main h1").count() == 1
    assert page.url == site + "#/"  # no page left behind wrote its state
    assert page.get_by_test_id("notice-error").count() == 0
    assert errors == []


def test_addresses_with_prototype_keys_are_read_like_any_unknown_key(site, new_page):
    """Issue 14: `__proto__`, `constructor`, `valueOf`… once reached the parsers and blanked the page."""
    page, errors = new_page(locale="en-US")
    page.goto(site)
    page.locator("#pages-heading").wait_for()
    for address in ["#/cnn?__proto__=1&constructor=1&valueOf=1", "#/backprop?toString=1&hasOwnProperty=x"]:
        page.goto(site + address)
        page.locator("main h1").wait_for()
        assert page.locator("main h1").count() == 1, address
        assert page.get_by_test_id("notice-warning").count() == 0, address  # ignored, as unknown keys are
    assert errors == []


def test_only_the_last_page_asked_for_is_mounted(site, new_page):
    """Issue 14: addresses changed quickly on a fresh load must never leave two pages mounted."""
    page, errors = new_page(locale="en-US")
    for delay in [0, 50]:
        page.goto(site + "#/nowhere")
        page.reload()  # a fresh load: nothing cached in the page
        page.get_by_test_id("page-not-found").wait_for()
        page.evaluate(
            """(delay) => new Promise((done) => {
            location.hash = "#/cnn";
            setTimeout(() => { location.hash = "#/backprop"; done(); }, delay);
          })""",
            delay,
        )
        page.locator("main[data-page=backprop] h1").wait_for()
        page.wait_for_timeout(800)  # the CNN page's files have arrived too
        assert (
            page.locator("main h1").count() == 1
            and page.locator("main").get_attribute("data-page") == "backprop"
        ), delay
        assert page.url.endswith("#/backprop"), (delay, page.url)
        page.evaluate("""() => new Promise((done) => {
            location.hash = "#/cnn";
            setTimeout(() => { location.hash = "#/backprop"; setTimeout(() => { location.hash = "#/cnn"; done(); }, 10); }, 10);
          })""")
        page.locator("main[data-page=cnn] h1").wait_for()
        page.wait_for_timeout(500)
        assert page.locator("main h1").count() == 1 and page.url.endswith("#/cnn"), delay
    assert errors == []


def test_every_message_key_the_shell_and_shared_pieces_name_exists_in_both_languages():
    """Keys reach the catalogue through t(), msg(), setText() and tables ([key, params]): every quoted
    key of the shell's namespaces in the shell and shared pieces exists in es.json and en.json."""
    import json
    from pathlib import Path

    web = Path(__file__).resolve().parents[2] / "web"
    catalogues = [json.loads((web / "i18n" / f"{lang}.json").read_text()) for lang in ("es", "en")]
    namespaces = sorted({key.split(".")[0] for key in catalogues[0]})
    files = [
        *web.glob("js/*.js"),
        *web.glob("js/ui/*.js"),
        web / "js/pages/home.js",
        web / "js/pages/not-found.js",
    ]
    quoted = re.compile(r"""["'`]((?:%s)\.[\w.-]+)["'`]""" % "|".join(map(re.escape, namespaces)))
    keys = {key for path in files for key in quoted.findall(path.read_text()) if "${" not in key}
    assert len(keys) > 40
    for catalogue in catalogues:
        assert sorted(keys - set(catalogue)) == []
