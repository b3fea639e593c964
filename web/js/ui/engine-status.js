// The engine status: a pill in the header (loading → ready, with Python, NumPy and backend),
// and, when the engine fails, a panel in the page with the reason and a retry button.
import { h } from "../dom.js";
import { t, onLanguageChange } from "../i18n.js";

export function mountEngineStatus(pill, panel, engine) {
  const label = h("span", { class: "engine-label" }); // visually hidden at phone width, still read aloud
  pill.replaceChildren(label);
  const render = () => {
    const state = engine.state;
    pill.dataset.state = state;
    if (state === "ready") {
      const { python, numpy, backend } = engine.info;
      label.textContent = t("engine.ready", { python: python.split(".").slice(0, 2).join("."), numpy, backend });
      pill.title = `${t("engine.ready.title")} — Python ${python}, NumPy ${numpy}, pizarra ${engine.info.pizarra}`;
    } else if (state === "loading") {
      label.textContent = t("engine.loading");
      pill.title = "";
    } else {
      label.textContent = t("engine.error");
      pill.title = "";
    }
    renderPanel(panel, engine);
  };
  engine.addEventListener("status", render);
  onLanguageChange(render);
  render();
}

function renderPanel(panel, engine) {
  const failure = engine.failure;
  if (!failure) {
    panel.hidden = true;
    panel.replaceChildren();
    return;
  }
  const reason =
    failure.code === "runtime-missing" ? t("engine.error.missing", { file: failure.file }) : t("engine.error.boot");
  panel.hidden = false;
  panel.replaceChildren(
    h("h2", { text: t("engine.error.title") }),
    h("p", { text: reason }),
    h("p", { text: t("engine.error.still") }),
    failure.detail ? h("details", {}, h("summary", { text: t("engine.error.details") }), h("pre", { text: failure.detail })) : null,
    h("button", { class: "button primary", type: "button", dataset: { testid: "engine-retry" }, onclick: () => engine.restart() }, t("engine.retry")),
  );
}
