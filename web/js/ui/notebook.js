// The "Python" menu — "Download" and "Open in the browser": the page on screen as a Jupyter notebook that
// reproduces it (docs/ARCHITECTURE.md, "Take it home"), saved for the student's own Python or opened
// in the site's notebook app (lite/, JupyterLite) in a new tab. A page offers one through its context
// (page-context.js: offerNotebook) with the arguments of its `<id>_notebook` engine call; the shell
// adds the language, the link, and where the notebook's install cell finds pizarra (the wheel this
// site serves, from build.json). Python writes the notebook; this module saves it or hands it over.
import { currentLanguage, msg, t } from "../i18n.js";
import { announce, deliver, hold, withdraw } from "../notebook-handoff.js";
import { disclosure } from "./disclosure.js";
import { notify } from "./notices.js";
import { notifyFailure, reason } from "./engine-error.js";

let offer = null; // () => {fn, args, assets} for the page on screen, or null
let preparing = false; // one notebook at a time: a second click while Python writes one does nothing

/** What the page on screen would put in a notebook (null: it offers none); shows the "Python" menu or not. */
export function setNotebookOffer(provider, menu) {
  offer = provider;
  menu.hidden = provider === null;
}

/** The "Python" button opens its two choices: `download` (the .ipynb file) and `open` (in the browser). */
export function mountNotebookMenu(button, choices, { download, open }) {
  const setOpen = disclosure(button, choices);
  const choose = (action) => () => {
    setOpen(false);
    action();
  };
  choices.querySelector("[data-testid=notebook-download]").addEventListener("click", choose(download));
  choices.querySelector("[data-testid=notebook-open]").addEventListener("click", choose(open));
}

let site = null;
function siteInfo() {
  site ??= fetch(new URL("build.json", location.href))
    .then((response) => {
      if (!response.ok) throw new Error(`build.json: HTTP ${response.status}`);
      return response.json();
    })
    .then((build) => ({
      url: new URL(".", location.href).href,
      wheel: build.wheel,
      wheel_sha256: build.wheel_sha256,
      repository: build.repository ?? null,
    }));
  site.catch(() => (site = null));
  return site;
}

/**
 * Ask the page's Python for its notebook (nbformat JSON) and hand it to `use`, with the waiting
 * notice; `start` runs first; if anything fails, `failed` gets the message the page shows.
 */
async function withNotebook(engine, use, { start = async () => {}, failed = async () => {} } = {}) {
  const provider = offer;
  preparing = true;
  const waiting = notify(t("notebook.preparing"), { timeoutMs: 0 });
  try {
    await start();
    const { fn, args, assets = [] } = await provider();
    const notebook = await engine.call(
      fn,
      { ...args, language: currentLanguage(), link: location.href, site: await siteInfo() },
      { assets },
    );
    await use(notebook);
  } catch (error) {
    await failed(String(msg("notebook.failed", { message: reason(error) })));
    notifyFailure(notify, error, "notebook.failed");
  } finally {
    preparing = false;
    waiting.remove();
  }
}

/** Save the page's notebook as `pizarra-<page>.ipynb`. */
export async function downloadNotebook(engine, pageId) {
  if (offer === null || preparing) return;
  await withNotebook(engine, (notebook) => {
    const file = new Blob([JSON.stringify(notebook, null, 1) + "\n"], { type: "application/x-ipynb+json" });
    const link = Object.assign(document.createElement("a"), {
      href: URL.createObjectURL(file),
      download: `pizarra-${pageId}.ipynb`,
    });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    notify(t("notebook.saved", { file: link.download }));
  });
}

/**
 * Open the page's notebook in the site's notebook app, in a new tab, as `pizarra-<page>-<date>-<time>.ipynb`
 * (a new file each time: one the student edited there is never overwritten). The tab opens at once,
 * in the click itself (a browser may refuse a tab opened after an await), and the app waits for the
 * notebook's announcement and for Python to write it
 * (js/notebook-handoff.js). It opens without a handle back to this page ("noopener"): a tab that
 * keeps one shares this page's thread, and JupyterLite's start would freeze the page meanwhile.
 */
export async function openNotebook(engine, pageId) {
  if (offer === null || preparing) return;
  const name = `pizarra-${pageId}-${timestamp(new Date())}.ipynb`;
  // `handoff`: the notebook is coming (js/notebook-handoff.js), even if the app asks before the
  // announcement below has been written; its value is the page's language.
  const query = `path=${encodeURIComponent(name)}&handoff=${currentLanguage()}`;
  const app = new URL(`lite/notebooks/index.html?${query}`, location.href);
  let finished;
  const done = new Promise((resolve) => (finished = resolve)); // the page holds the notebook's lock until then
  try {
    await withNotebook(
      engine,
      async (notebook) => {
        await deliver(name, notebook);
        notify(t("notebook.opened"));
      },
      {
        start: async () => {
          const held = hold(name, done, t("notebook.late"));
          window.open(app.href, "_blank", "noopener"); // before any await: still within the click
          await held;
          await announce(name, t("notebook.late"));
        },
        failed: (message) => withdraw(name, message).catch(() => {}),
      },
    );
  } finally {
    finished();
  }
}

/** 2025-03-07 09:05:01 → "20250307-090501" (the student's local time). */
function timestamp(date) {
  const two = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}-${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
}
