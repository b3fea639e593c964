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
    delete pill.dataset.backend;
    delete pill.dataset.fallback;
    if (state === "ready") {
      const info = engine.info;
      const { python, numpy } = info;
      const parts = [t("engine.ready", { python: python.split(".").slice(0, 2).join("."), numpy, backend: backendLabel(info) })];
      // The GPU adapter (software or not) and, when NumPy replaced the GPU, why.
      const adapter = adapterName(info.adapter);
      if (adapter) parts.push(t(info.adapter.software ? "engine.adapter.software" : "engine.adapter", { adapter }));
      const fallback = fallbackMessage(info);
      if (fallback) parts.push(fallback);
      label.textContent = parts.join(" · ");
      pill.title = `${t("engine.ready.title")} — Python ${python}, NumPy ${numpy}, pizarra ${info.pizarra}` +
        (adapter ? `\n${t("engine.adapter.title", { adapter: adapterDetail(info.adapter) })}` : "");
      pill.dataset.backend = info.backend;
      if (fallback) pill.dataset.fallback = info.fallback_reason;
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

// "NumPy (chosen by measurement)", "WebGPU (forced by the address)", …
function backendLabel(info) {
  const backend = t(info.backend === "webgpu" ? "engine.backend.webgpu" : "engine.backend.numpy");
  if (!info.backend_mode) return backend;
  if (info.backend_mode !== "auto") return t("engine.backend.forced", { backend });
  if (info.calibrating) return t("engine.backend.measuring", { backend });
  if (info.calibration) return t("engine.backend.measured", { backend });
  return backend;
}

function adapterName(adapter) {
  if (!adapter) return "";
  return [adapter.vendor, adapter.architecture].filter(Boolean).join(" ") || adapter.description || "WebGPU";
}

function adapterDetail(adapter) {
  return [adapter.vendor, adapter.architecture, adapter.device, adapter.description].filter(Boolean).join(" · ");
}

// Why NumPy replaced the GPU, in the reader's language (nothing when NumPy was simply the better choice).
function fallbackMessage(info) {
  const reason = info.fallback_reason;
  if (!reason) return "";
  if (["no-webgpu", "no-adapter", "not-requested"].includes(reason) || reason.startsWith("no-device")) {
    return info.backend_mode === "webgpu" ? t("engine.fallback.unavailable") : "";
  }
  const known = ["lost", "memory", "shader", "no-jspi"];
  return t(`engine.fallback.${known.includes(reason) ? reason : "error"}`);
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
