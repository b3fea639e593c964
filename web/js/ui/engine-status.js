// The engine status: a short pill in the header in plain words (loading → ready ⇄ busy) that opens the
// details, where the technical words live (Python and NumPy versions, how the backend was chosen,
// the GPU adapter, why NumPy replaced the GPU); and, when the engine fails, a panel in the page
// with the reason and a retry button.
import { h } from "../dom.js";
import { t, onLanguageChange } from "../i18n.js";
import { disclosure } from "./disclosure.js";
import { notify } from "./notices.js";

export function mountEngineStatus(pill, details, panel, engine) {
  const label = h("span", { class: "engine-label", "aria-live": "polite" }); // hidden at phone width, still read aloud
  pill.replaceChildren(label);
  let lastFallback = null;
  disclosure(pill, details);

  const render = () => {
    const state = engine.state;
    pill.dataset.state = state;
    delete pill.dataset.backend;
    delete pill.dataset.fallback;
    if (state === "ready") {
      const info = engine.info;
      // Ready but running a call that has taken a while: busy, so a wait has a visible reason.
      label.textContent = t(engine.busy ? "engine.busy" : "engine.ready");
      pill.toggleAttribute("data-busy", Boolean(engine.busy));
      pill.title = t("engine.ready.title");
      pill.dataset.backend = info.backend;
      const fallback = fallbackMessage(info);
      if (fallback) pill.dataset.fallback = info.fallback_reason;
      // When NumPy replaces the GPU mid-session, say so in the page too, once per reason.
      if (fallback && info.fallback_reason !== lastFallback) notify(fallback, { kind: "warning" });
      lastFallback = info.fallback_reason || null;
      renderDetails(details, info, fallback);
    } else {
      label.textContent = t(state === "loading" ? "engine.loading" : "engine.error");
      pill.title = "";
      details.replaceChildren(h("p", { text: label.textContent }));
    }
    renderPanel(panel, engine);
  };
  engine.addEventListener("status", render);
  engine.addEventListener("busy", render);
  onLanguageChange(render);
  render();
}

/** Everything about the engine: versions, the backend and how it was chosen, the GPU, any fallback. */
function renderDetails(details, info, fallback) {
  const adapter = adapterName(info.adapter);
  const rows = [
    ["Python", info.python],
    ["NumPy", info.numpy],
    ["pizarra", info.pizarra],
    [t("engine.details.backend"), backendLabel(info)],
    [
      t("engine.details.gpu"),
      adapter
        ? t(info.adapter.software ? "engine.adapter.software" : "engine.adapter", { adapter })
        : t("engine.details.nogpu"),
    ],
  ];
  if (fallback) rows.push([t("engine.details.fallback"), fallback]);
  details.replaceChildren(
    h("p", { class: "engine-details-title", text: t("engine.ready.title") }),
    h(
      "dl",
      {},
      rows.flatMap(([term, value]) => [h("dt", { text: term }), h("dd", { text: value })]),
    ),
  );
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
    failure.code === "runtime-missing"
      ? t("engine.error.missing", { file: failure.file })
      : t("engine.error.boot");
  panel.hidden = false;
  panel.replaceChildren(
    h("h2", { text: t("engine.error.title") }),
    h("p", { text: reason }),
    h("p", { text: t("engine.error.still") }),
    failure.detail
      ? h(
          "details",
          {},
          h("summary", { text: t("engine.error.details") }),
          h("pre", { text: failure.detail }),
        )
      : null,
    h(
      "button",
      {
        class: "button primary",
        type: "button",
        dataset: { testid: "engine-retry" },
        onclick: () => engine.restart(),
      },
      t("engine.retry"),
    ),
  );
}
