"""Every page follows the page contract of docs/ARCHITECTURE.md ("Front end"), read from its source:
its words are msg() values, which the shell rewrites in place on a language switch (never t(),
whose text is frozen at the moment it is called), and "newest request wins" is
context.engine.queue(task, {key}) — no page keeps its own request counter or chooses its own
waiting words by the engine's state."""

import re
from pathlib import Path

import pytest
from page_registry import PAGES

ROOT = Path(__file__).resolve().parents[2]
PAGE_MODULES = sorted((ROOT / "web" / "js" / "pages").rglob("*.js"))


def imports_t(source: str) -> bool:
    """Whether the module imports i18n.js's t (under any name)."""
    for names in re.findall(r'import\s*\{([^}]*)\}\s*from\s*"[./]*i18n\.js"', source):
        if any(name.split(" as ")[0].strip() == "t" for name in names.split(",")):
            return True
    return False


def request_counters(source: str) -> list[str]:
    """`const mine = ++latest; … if (mine !== latest)`: a private "newest request wins" counter."""
    found = []
    for mine, counter in re.findall(r"\b(?:const|let)\s+(\w+)\s*=\s*\+\+\s*([\w.$\[\]]+)", source):
        pair = rf"\b{re.escape(mine)}\s*[!=]==\s*{re.escape(counter)}|{re.escape(counter)}\s*[!=]==\s*{re.escape(mine)}\b"
        if re.search(pair, source):
            found.append(f"{mine} = ++{counter}")
    return found


def state_ternaries(source: str) -> list[str]:
    """`engine.state === "ready" ? … : waiting`: words chosen by the engine's state, which
    engine.queue(task, {waiting}) shows and clears by itself."""
    return re.findall(r"""\bstate\s*[!=]==?\s*["']ready["']\s*\?""", source)


def breaches(source: str) -> list[str]:
    return (
        (
            ["imports t() from i18n.js: use msg(), setText() or setLiveAttribute()"]
            if imports_t(source)
            else []
        )
        + [
            f"a private request counter ({c}): use context.engine.queue(task, {{key}})"
            for c in request_counters(source)
        ]
        + [
            f"waiting words by engine state ({s}…): use context.engine.queue(task, {{waiting}})"
            for s in state_ternaries(source)
        ]
    )


def test_page_modules_are_found():
    names = {path.relative_to(ROOT / "web" / "js" / "pages").parts[0] for path in PAGE_MODULES}
    assert set(PAGES) <= names


@pytest.mark.parametrize(
    "path", PAGE_MODULES, ids=lambda p: str(p.relative_to(ROOT / "web" / "js" / "pages"))
)
def test_the_page_module_follows_the_contract(path):
    assert not breaches(path.read_text(encoding="utf-8"))


def test_the_checks_see_the_old_contract():
    # What three pages did before moving to the contract (issue 24), and what they do now.
    old = """import { h } from "../../dom.js";
import { formatNumber, t as say } from "../../i18n.js";
    const mine = ++latest[kind];
    countStatus.textContent = say(engine.state === "ready" ? "lm.count.counting" : "lm.side.waiting");
    whenReady().then(() => { if (mine !== latest[kind]) return; });
    svg.setAttribute("aria-label", say("backprop.graph.describe", { nodes }));"""
    assert len(breaches(old)) == 3
    assert imports_t('import { t } from "../i18n.js";') and not imports_t(
        'import { msg, setText } from "../../i18n.js";'
    )
    assert request_counters("let run = ++runs; … if (runs === run) show();") == ["run = ++runs"]
    assert not request_counters("return `v${++k}`;")  # a name generator compares nothing
    new = """import { msg, setText } from "../../i18n.js";
    context.engine.queue(() => engine.call("lm_count", args), { key: "count", waiting: status });
    setLiveAttribute(svg, "aria-label", msg("backprop.graph.describe", { nodes }));"""
    assert not breaches(new)
