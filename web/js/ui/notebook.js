// The "Python" button: the page on screen, as a Jupyter notebook that reproduces it in the student's
// own Python (docs/ARCHITECTURE.md, "Take it home"). A page offers one through its context
// (page-context.js: offerNotebook) with the arguments of its `<id>_notebook` engine call; the shell
// adds the language, the link, and where the notebook's install cell finds pizarra (the wheel this
// site serves, from build.json). Python writes the notebook; this module only saves it.
import { currentLanguage, t } from "../i18n.js";
import { notify } from "./notices.js";
import { notifyFailure } from "./engine-error.js";

let offer = null; // () => {fn, args, assets} for the page on screen, or null
let preparing = false; // one notebook at a time: a second click while Python writes one does nothing

/** What the page on screen would put in a notebook (null: it offers none). */
export function setNotebookOffer(provider, button) {
  offer = provider;
  button.hidden = provider === null;
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

/** Ask the page's Python for its notebook and save it as `pizarra-<page>.ipynb`. */
export async function downloadNotebook(engine, pageId) {
  if (offer === null || preparing) return;
  const provider = offer;
  preparing = true;
  const waiting = notify(t("notebook.preparing"), { timeoutMs: 0 });
  try {
    const { fn, args, assets = [] } = await provider();
    const notebook = await engine.call(
      fn,
      { ...args, language: currentLanguage(), link: location.href, site: await siteInfo() },
      { assets },
    );
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
  } catch (error) {
    notifyFailure(notify, error, "notebook.failed");
  } finally {
    preparing = false;
    waiting.remove();
  }
}
