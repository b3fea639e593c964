"""Driving the notebook app (lite/, JupyterLite) from a page of the site, as the e2e tests
(tests/e2e/test_notebook_app.py) and the bench (tests/benchmarks/b70_notebook_app.py) both do."""

# The app's notebook panel, read through the application object JupyterLite exposes
# (`exposeAppInBrowser`, web/lite/jupyter-lite.json).
PANEL = "window.jupyterapp?.shell.currentWidget"
KERNEL_IDLE = f"() => {PANEL}?.sessionContext?.session?.kernel?.status === 'idle'"
# True once the service worker keeps every file of the app (build.json's "lite"); run on a page of the site.
APP_CACHED = """async () => {
  const manifest = await (await fetch('build.json')).json();
  const cache = await caches.open((await caches.keys()).find((k) => k.startsWith('pizarra-')));
  for (const file of manifest.lite) if (!(await cache.match(new URL(file, location.href).pathname))) return false;
  return true; }"""


def press_open_in_the_browser(page):
    """Open the "Python" menu of `page` and press "Open in the browser"; the app's new tab."""
    page.get_by_test_id("notebook").click()
    with page.context.expect_page(timeout=120_000) as opened:
        page.get_by_test_id("notebook-open").click()
    return opened.value
