"""The site's pages as their one registry, web/js/pages.js, lists them: the tests that check, visit
or count every page read the list here, so a page added to the registry is checked everywhere."""

import re
from pathlib import Path

PAGES_JS = Path(__file__).resolve().parents[1] / "web" / "js" / "pages.js"


def registered_pages(source: str) -> tuple[str, ...]:
    """The page ids of web/js/pages.js's PAGES, the one registry of pages, in menu order."""
    table = re.search(r"export const PAGES = \[(.*?)\n\];", source, re.S)
    return tuple(re.findall(r'\bid: "([a-z]+)"', table.group(1)))


PAGES = registered_pages(PAGES_JS.read_text(encoding="utf-8"))
# The address of every page, the home page first.
ADDRESSES = ("#/", *(f"#/{page}" for page in PAGES))
