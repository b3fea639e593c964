"""The notebook app (lite/, JupyterLite): a page's "Open in the browser" opens the notebook of exactly
the page's state in a new tab, whose kernel — the site's own Pyodide, with pizarra from the site's
wheel — runs it to the page's result; under the app's content policy, from the site alone, and
offline once it has been opened."""

from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import ConsoleLog, assert_close, download_notebook, notebook_result, wait_engine
from nbformat import from_dict
from notebook_app import APP_CACHED, KERNEL_IDLE, PANEL, press_open_in_the_browser
from page_registry import PAGES

from buildlib import common, server

# Every page at a non-default state its link carries, and what it shows once its views are drawn.
LINKS = {
    "embeddings": (
        "q=war,%20people,%20gato&a=war&b=peace&c=people&around=war&method=pca&weight=ppmi&the=0",
        ["[data-testid=projection] .point", "[data-testid=neighbours] .neighbour-box h4"],
    ),
    "backprop": (
        "expr=tanh(a%20*%20b)%20%2B%20log(c)%20*%20a&vars=a:0.5,b:-1.5,c:2.5&step=-1&data=circles&n=120"
        "&depth=1&width=5&act=relu&init=he&opt=momentum&lr=0.1&batch=16&l2=0.001&seed=7&trained=12",
        ["[data-testid=train-status] >> text=Paso 12", "[data-testid=graph-source][data-source=python]"],
    ),
    "lm": (
        "text=the%20cat%20sat%0Athe%20dog%20sat&sparse=I%20want%20two%20beers&ctx=I%20want%20four&word=beers"
        "&model=gru&corpus=es&order=3&prompt=El%20&temp=0.7&topk=10&len=60&seed=5&show=z",
        [".lm-side[data-done='true']", "[data-testid=inside-heatmap]"],
    ),
    "attention": (
        "sentence=Mi%20hermana%20lee%20un%20libro%20en%20el%20tren.&variant=transformer&step=2&beam=3"
        "&alpha=0.8&masked=El%20%5BMASK%5D%20de%20la%20ciudad%20.&layer=1&head=2",
        ["[data-testid=translations][data-words]", "[data-testid=beam-candidates] li"],
    ),
    "cnn": ("layer=pool2&ch=5&k=diagonal&stride=2&pad=same&pool=mean", ["[data-testid=layers] .thumb"]),
}
KERNEL_START_MS = 600_000  # a cold kernel on a loaded 2-core machine; measured by `build.py bench notebook`
RUN_ALL_MS = 300_000

ALL_RUN = f"""() => {{ const panel = {PANEL};
  return panel.sessionContext.session.kernel.status === 'idle'
    && [...panel.content.model.cells].every((cell) => cell.type !== 'code' || cell.executionCount !== null); }}"""


def open_in_the_browser(page, *, said=None, failures=None):
    """Press "Open in the browser" on `page`; the app's tab once its kernel is idle. With `said`, the
    page's notice that contains it is waited for too (a notice goes away after a while); uncaught
    errors in the app go to the list `failures`."""
    app = press_open_in_the_browser(page)
    if failures is not None:
        app.on("pageerror", lambda error: failures.append(f"pageerror: {error}"))
    if said is not None:
        page.locator(".notice", has_text=said).wait_for(timeout=RUN_ALL_MS)
    app.wait_for_function(KERNEL_IDLE, timeout=KERNEL_START_MS)
    return app


def run_all(app) -> dict:
    """Run every cell of the app's notebook (its "Run All Cells"); the notebook with the outputs, as nbformat JSON."""
    # Enabled once the notebook is the app's current widget; not awaited: the command's promise may
    # outlive the run, and ALL_RUN (with its timeout) says when it is done.
    app.wait_for_function("() => window.jupyterapp.commands.isEnabled('notebook:run-all-cells')")
    app.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    app.wait_for_function(ALL_RUN, timeout=RUN_ALL_MS)
    return app.evaluate(f"() => {PANEL}.content.model.toJSON()")


def execute(app, code: str) -> str:
    """What `code`, run in the app's kernel (JupyterLab's kernel API), prints; its error if it fails."""
    return app.evaluate(
        """async (code) => {
        const future = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.requestExecute({ code });
        let printed = "";
        future.onIOPub = ({ header, content }) => {
          if (header.msg_type === "stream") printed += content.text;
          if (header.msg_type === "error") printed += `${content.ename}: ${content.evalue}`;
        };
        await future.done;
        return printed; }""",
        code,
    )


def without_outputs(document: dict) -> list:
    """A notebook's cells as the page wrote them: type, source and tags."""
    return [
        (c["cell_type"], "".join(c["source"]), c.get("metadata", {}).get("tags", []))
        for c in document["cells"]
    ]


def test_every_page_has_a_link_here():
    assert sorted(LINKS) == sorted(PAGES)


@pytest.fixture(scope="module", params=list(LINKS))
def opened(request, browser, site):
    """A page at its LINKS state in Spanish, its notebook downloaded, then opened in the app and run."""
    context = browser.new_context(locale="es-ES", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors = ConsoleLog().attach(page)
    query, shown = LINKS[request.param]
    page.goto(f"{site}#/{request.param}?{query}")
    wait_engine(page, timeout=KERNEL_START_MS)
    for selector in shown:
        page.locator(selector).first.wait_for(timeout=120_000)
    page.evaluate("() => pizarra.call('engine_check')")  # every call asked before it has been answered
    downloaded = download_notebook(page)
    app = open_in_the_browser(page, said="pestaña nueva", failures=errors)
    ran = run_all(app)
    yield {"page": page, "app": app, "downloaded": downloaded, "ran": ran, "errors": errors}
    context.close()


def test_the_app_opens_exactly_the_notebook_the_python_button_saves(opened):
    assert urlsplit(opened["app"].url).path == "/lite/notebooks/index.html"
    # Not cross-origin isolated, unlike the page: the kernel then never waits on Atomics (sw.js)
    assert opened["page"].evaluate("() => crossOriginIsolated") is True
    assert opened["app"].evaluate("() => crossOriginIsolated") is False
    assert without_outputs(opened["ran"]) == without_outputs(opened["downloaded"])
    assert opened["ran"]["metadata"]["pizarra"] == opened["downloaded"]["metadata"]["pizarra"]
    # One kernel: the notebook joined the session the plugin started for it.
    assert opened["app"].evaluate(f"() => ({KERNELS})()") == 1
    # Settings → Language offers Spanish (lite.write_translations).
    assert opened["app"].evaluate(
        "() => window.jupyterapp.commands.hasCommand('jupyterlab-translation:es_ES')"
    )


def test_the_kernel_runs_it_to_the_page_result(opened):
    install = next(c for c in opened["ran"]["cells"] if c["cell_type"] == "code")
    printed = "".join(o.get("text", "") for o in install["outputs"])
    assert (
        "corre en el navegador" in printed
    )  # the install cell knows it is in the browser and installs nothing
    code = [c for c in opened["ran"]["cells"] if c["cell_type"] == "code"]
    assert [o for c in code for o in c["outputs"] if o["output_type"] == "error"] == []
    assert_close(
        notebook_result(from_dict(opened["ran"])), opened["downloaded"]["metadata"]["pizarra"]["result"]
    )
    assert opened["errors"] == []


def test_under_the_app_policy_from_the_site_alone_and_offline_after(browser):
    """A fresh profile under the real policies opens the app; nothing violates them or leaves the site.
    Then, with the network cut, the app opens again from the page and its kernel still runs the notebook."""
    reports, requests = [], []
    with server.serving(common.DIST, csp_reports=reports) as url:
        context = browser.new_context(bypass_csp=False, locale="en-US")
        context.on("request", lambda request: requests.append(request.url))
        asked = []  # by the pages, the app and their workers (not the service worker's own fetches)
        context.on("request", lambda request: request.service_worker is None and asked.append(request.url))
        page = context.new_page()
        page.goto(url + "#/backprop")
        wait_engine(page, timeout=KERNEL_START_MS)
        page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
        app = open_in_the_browser(page)
        run_all(app)
        # The kernel's Python came from its snapshot (js/engine/kernel-start.js), which holds every
        # package the notebook imports: no package was loaded, and NumPy not a second time…
        assert any(u.endswith("/lite/snapshot/memory.bin") for u in asked)
        assert not [u for u in asked if u.endswith((".whl", ".zip")) and not u.endswith("/python_stdlib.zip")]
        # …and one the snapshot leaves out loads when a cell imports it.
        printed = execute(
            app, "import ssl, sqlite3\nprint(ssl.OPENSSL_VERSION.split()[0], sqlite3.sqlite_version)"
        )
        assert printed.startswith("OpenSSL "), printed
        # The service worker keeps the app's files once it has been opened, one at a time.
        page.wait_for_function(APP_CACHED, timeout=RUN_ALL_MS, polling=2000)
        app.close()
        page.wait_for_timeout(1000)  # reports are posted asynchronously
        assert reports == []
        assert {urlsplit(u).netloc for u in requests if not u.startswith(("data:", "blob:"))} == {
            urlsplit(url).netloc
        }
        assert any("/lite/extensions/" in u for u in requests)

        context.set_offline(True)
        page.reload()
        wait_engine(page, timeout=KERNEL_START_MS)
        app = open_in_the_browser(page)
        assert app.evaluate("() => crossOriginIsolated") is False  # as the service worker serves it
        ran = run_all(app)
        assert [
            o
            for c in ran["cells"]
            if c["cell_type"] == "code"
            for o in c["outputs"]
            if o["output_type"] == "error"
        ] == []
        context.close()


def test_without_its_snapshot_the_kernel_starts_the_standard_way(browser, site):
    """A browser or build where the kernel's snapshot cannot be used: the kernel's Python boots and
    loads its packages from their wheels (js/engine/kernel-start.js), and runs as before."""
    context = browser.new_context()
    # Not a snapshot: the restore fails after the runtime is loaded, and the same worker starts again.
    context.route("**/lite/snapshot/memory.bin", lambda route: route.fulfill(status=200, body=b"\x00" * 4096))
    asked = []
    context.on("request", lambda request: request.service_worker is None and asked.append(request.url))
    page = context.new_page()
    page.goto(site + "#/backprop")
    wait_engine(page, timeout=KERNEL_START_MS)
    app = open_in_the_browser(page)
    printed = execute(app, "import numpy, pizarra.backprop\nprint(numpy.__version__, pizarra.__name__)")
    assert printed.strip() == "2.0.2 pizarra", printed
    assert any("/runtime/ipython-" in u for u in asked)
    context.close()


ANNOUNCED = """(name) => new Promise((resolve) => {
  const request = indexedDB.open("pizarra-notebooks", 1);
  request.onsuccess = () => {
    const get = request.result.transaction("handoff").objectStore("handoff").get(name);
    get.onsuccess = () => { request.result.close(); resolve(get.result?.state === "announced"); };
  };
})"""
KERNELS = "() => [...window.jupyterapp.serviceManager.kernels.running()].length"


@pytest.mark.parametrize("how", ["failed", "closed", "closed before announcing"])
def test_a_notebook_that_never_comes_is_explained_in_the_app(browser, site, how):
    """The page's Python fails to write the notebook, or the page is closed before it has, even before
    it announced it: the app, waiting, says why in the page's language (js/notebook-handoff.js: the
    page withdraws it, or lets go of its lock), opens no notebook and shuts the kernel it started down."""
    context = browser.new_context(locale="es-ES")
    page = context.new_page()
    name = "pizarra-backprop-20250101-000000.ipynb"
    if how == "closed before announcing":  # a page that holds the notebook's lock, then goes
        page.goto(site + "#/")
        page.evaluate(
            f"() => {{ navigator.locks.request('pizarra-notebook:{name}', () => new Promise(() => {{}})); }}"
        )
        app = context.new_page()
        app.goto(f"{site}lite/notebooks/index.html?path={name}&handoff=es")
    else:
        page.goto(site + "#/backprop")
        wait_engine(page, timeout=KERNEL_START_MS)
        call = (
            "() => new Promise(() => {})"
            if how == "closed"
            else "async () => { throw new Error('sin memoria'); }"
        )
        page.evaluate(f"() => {{ pizarra.call = {call}; }}")
        app = press_open_in_the_browser(page)
        name = parse_qs(urlsplit(app.url).query)["path"][0]
    errors = []
    app.on("pageerror", lambda error: errors.append(str(error)))
    if how.startswith("closed"):
        if how == "closed":
            app.wait_for_function(ANNOUNCED, arg=name, timeout=60_000)
        page.close()
    said = "No se pudo preparar el cuaderno" if how == "failed" else "La página no llegó a enviar el cuaderno"
    app.get_by_text(said).first.wait_for(timeout=60_000)
    assert urlsplit(app.url).query == ""  # no notebook to open
    assert app.locator(".jp-Notebook").count() == 0
    app.wait_for_function(f"() => ({KERNELS})() === 0", timeout=60_000)
    assert errors == []
    context.close()
