// The 2-D picture of a word list or of a word's neighbourhood (PCA or t-SNE), with hover, focus
// and search: every point is a focusable label, so it works by keyboard and touch too.
import { h } from "../../dom.js";
import { msg, setText, setLiveAttribute } from "../../i18n.js";
import { select } from "../../ui/controls.js";
import { SCHEMA, wordList } from "./state.js";
import { setAssets } from "./data.js";
import { errorMessage } from "./messages.js";
import { linkableText, queryError, queryForm, waitingLine } from "./views.js";

const K = 30;
const SVG = "http://www.w3.org/2000/svg";
const svg = (tag, attributes = {}) => {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
};

/**
 * projectionSection(container, {state, save, engine, notify}) → {refresh(), drawn()}: drawn() gives
 * the embeddings_projection arguments (but the set) of the picture on screen, or null before the first.
 */
export function projectionSection(container, { state, save, engine, notify }) {
  const around = h("input", {
    type: "text",
    id: "embeddings-around",
    value: state.around,
    maxlength: SCHEMA.around.maxLength,
    size: 12,
    autocomplete: "off",
    dataset: { testid: "projection-around" },
  });
  const list = h("input", {
    type: "text",
    id: "embeddings-proj",
    value: state.proj,
    maxlength: SCHEMA.proj.maxLength,
    autocomplete: "off",
    placeholder: msg("embeddings.projection.list.placeholder"),
    dataset: { testid: "projection-words" },
  });
  const method = select({
    spec: SCHEMA.method,
    label: msg("embeddings.projection.method"),
    value: state.method,
    testid: "projection-method",
    optionLabel: (m) => msg(`embeddings.projection.${m}`),
    onChange: (m) => refresh({ method: m }),
  });
  const search = h("input", {
    type: "search",
    id: "embeddings-search",
    autocomplete: "off",
    dataset: { testid: "projection-search" },
  });
  const readout = h("p", { class: "hint projection-readout", "aria-live": "polite" });
  const plot = svg("svg", {
    class: "projection",
    viewBox: "0 0 600 400",
    role: "group",
    "data-testid": "projection",
  });
  setLiveAttribute(plot, "aria-label", msg("embeddings.projection.label"));
  const status = h("div", { "aria-live": "polite" });
  const waiting = waitingLine();
  const labelled = (kind, input, label) =>
    h("div", { class: kind }, h("label", { for: input.id, text: msg(label) }), input);
  container.append(
    queryForm(
      "projection-controls",
      refresh,
      labelled("control", around, "embeddings.projection.around"),
      labelled("control wide", list, "embeddings.projection.list"),
      method.element,
      h("button", { type: "submit", class: "button primary", text: msg("embeddings.projection.draw") }),
    ),
    waiting,
    status,
    plot,
    labelled("control", search, "embeddings.projection.search"),
    readout,
  );
  search.addEventListener("input", highlight);
  let drawnWith = null;

  /** Draw the picture of the words in the boxes (with `setting` changed first). */
  async function refresh(setting = {}) {
    const typed = { around: linkableText(around, SCHEMA.around), proj: linkableText(list, SCHEMA.proj) };
    if (typed.around === undefined || typed.proj === undefined) {
      save(setting);
      status.replaceChildren(queryError(msg("embeddings.error.characters")));
      return;
    }
    save({ ...setting, ...typed });
    const words = wordList(state.proj);
    const args = {
      words,
      around: words.length ? "" : state.around,
      k: K,
      method: state.method,
      seed: state.seed,
    };
    const set = state.set;
    try {
      const answer = await engine.queue(
        () => {
          status.replaceChildren(h("p", { class: "hint", text: msg("embeddings.working") }));
          return engine.call("embeddings_projection", { set, ...args }, { assets: setAssets(set) });
        },
        { key: "projection", waiting },
      );
      drawnWith = args;
      status.replaceChildren(...answer.errors.map((error) => queryError(errorMessage(error))));
      draw(answer.points);
    } catch (error) {
      status.replaceChildren();
      notify(msg("embeddings.failed", { message: error.message }), { kind: "error" });
    }
  }

  function draw(points) {
    plot.replaceChildren();
    if (!points.length) return;
    const xs = points.map((p) => p.x),
      ys = points.map((p) => p.y);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const sx = (x) => 40 + ((x - x0) / (x1 - x0 || 1)) * 520;
    const sy = (y) => 370 - ((y - y0) / (y1 - y0 || 1)) * 340;
    const centred = !wordList(state.proj).length; // a neighbourhood: its word comes first
    points.forEach((p, i) => {
      const kind = centred && i === 0 ? "point centre" : "point";
      const group = svg("g", { class: kind, tabindex: "0", "data-word": p.word });
      const label = svg("text", { x: sx(p.x) + 6, y: sy(p.y) + 4 });
      label.textContent = p.word;
      group.append(svg("circle", { cx: sx(p.x), cy: sy(p.y), r: 4 }), label);
      const show = () => setText(readout, "embeddings.projection.point", { word: p.word });
      group.addEventListener("pointerenter", show);
      group.addEventListener("focus", show);
      plot.append(group);
    });
    highlight();
  }

  function highlight() {
    const wanted = search.value.trim().toLowerCase();
    for (const group of plot.querySelectorAll(".point")) {
      group.classList.toggle("found", Boolean(wanted) && group.dataset.word.startsWith(wanted));
    }
  }

  return { refresh: () => refresh(), drawn: () => drawnWith };
}
