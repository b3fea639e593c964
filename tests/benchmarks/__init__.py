"""Sections of `python3 build.py bench`, one module each, run in file-name order.

A section module defines:
    TITLE = "…"
    def measure(browser, url) -> dict      # browser: a Playwright Chromium; url: the served site
    def table(results: dict) -> list[str]  # lines of the printed table
Measurements are compared side by side in one run; nothing here asserts a time.
"""
