// The 2-D picture of a word list or of a word's neighbourhood (PCA or t-SNE), with hover, focus
// and search: every point is a focusable label, so it works by keyboard and touch too. Labels are
// LABEL_PX tall on any screen and never overlap: each takes the first free place beside its point
// (the query word first, then the nearest words), and a word with no free place keeps its point,
// whose hover, focus and tooltip still name it.
import { h } from "../../dom.js";
import { msg, setText, setLiveAttribute } from "../../i18n.js";
import { select } from "../../ui/controls.js";
import { SCHEMA, wordList } from "./state.js";
import { setAssets } from "./data.js";
import { errorMessage } from "./messages.js";
import { linkableText, queryError, queryForm, waitingLine } from "./views.js";

const K = 30;
const [WIDTH, HEIGHT] = [600, 400]; // the picture's own units (its viewBox)
const LABEL_PX = 12; // a label's height on screen, in CSS pixels (at least 11 on a phone)
const GAP_PX = 5; // between a point and its label
const SVG = "http://www.w3.org/2000/svg";
const svg = (tag, attributes = {}) => {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
};

/**
 * projectionSection(container, {state, save, engine, notify}) → {refresh(), drawn(), fill()}: drawn()
 * gives the embeddings_projection arguments (but the set) of the picture on screen, or null before
 * the first; fill() puts the state's words in the boxes.
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
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
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
  let shown = []; // the points on screen
  let laidOutAt = 0; // the picture's width (CSS pixels) its labels were placed for
  const resized = new ResizeObserver(() => {
    const width = plot.getBoundingClientRect().width;
    if (shown.length && width && Math.abs(width - laidOutAt) > 1) draw(shown);
  });
  resized.observe(plot);

  /** Draw the picture of the words in the boxes (with `setting` changed first). */
  async function refresh(setting = {}) {
    const typed = { around: linkableText(around, SCHEMA.around), proj: linkableText(list, SCHEMA.proj) };
    if (typed.around === undefined || typed.proj === undefined) {
      save(setting);
      // The newest request, refused at once: an answer to an earlier one must not replace the message.
      engine.queue(() => null, { key: "projection" }).catch(() => {});
      waiting.hidden = true;
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
    shown = points;
    plot.replaceChildren();
    plot.style.display = points.length ? "" : "none"; // no empty panel under an error
    if (!points.length) return;
    const box = plot.getBoundingClientRect();
    laidOutAt = box.width;
    // Picture units per CSS pixel (the viewBox is scaled to fit, keeping its proportions).
    const unit = box.width && box.height ? 1 / Math.min(box.width / WIDTH, box.height / HEIGHT) : 1;
    plot.style.fontSize = `${LABEL_PX * unit}px`;
    const xs = points.map((p) => p.x),
      ys = points.map((p) => p.y);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const sx = (x) => 40 + ((x - x0) / (x1 - x0 || 1)) * (WIDTH - 80);
    const sy = (y) => HEIGHT - 30 - ((y - y0) / (y1 - y0 || 1)) * (HEIGHT - 60);
    const centred = !wordList(state.proj).length; // a neighbourhood: its word comes first
    const placed = [];
    points.forEach((p, i) => {
      const kind = centred && i === 0 ? "point centre" : "point";
      const group = svg("g", { class: kind, tabindex: "0", "data-word": p.word });
      const title = svg("title");
      title.textContent = p.word;
      const label = svg("text");
      label.textContent = p.word;
      group.append(title, svg("circle", { cx: sx(p.x), cy: sy(p.y), r: 4 * unit }), label);
      const show = () => setText(readout, "embeddings.projection.point", { word: p.word });
      group.addEventListener("pointerenter", show);
      group.addEventListener("focus", show);
      plot.append(group);
      const ink = label.getBBox(); // drawn at (0, 0): its size, and its top above the baseline (ink.y < 0)
      const spot = freeSpot(sx(p.x), sy(p.y), ink.width, ink.height, GAP_PX * unit, placed);
      if (spot) {
        placed.push(spot);
        label.setAttribute("x", spot.left - ink.x);
        label.setAttribute("y", spot.top - ink.y);
      } else label.remove();
    });
    highlight();
  }

  function highlight() {
    const wanted = search.value.trim().toLowerCase();
    for (const group of plot.querySelectorAll(".point")) {
      group.classList.toggle("found", Boolean(wanted) && group.dataset.word.startsWith(wanted));
    }
  }

  const fill = () => {
    around.value = state.around;
    list.value = state.proj;
  };
  return { refresh: () => refresh(), drawn: () => drawnWith, fill };
}

/**
 * The first place beside a point (x, y) — right, left, above, below — where a label `width` ×
 * `height` stays inside the picture and overlaps none of `placed` ({left, top, width, height}); null if none.
 */
function freeSpot(x, y, width, height, gap, placed) {
  const spots = [
    { left: x + gap, top: y - height / 2 },
    { left: x - gap - width, top: y - height / 2 },
    { left: x - width / 2, top: y - gap - height },
    { left: x - width / 2, top: y + gap },
  ].map((spot) => ({ ...spot, width, height }));
  const inside = (s) => s.left >= 0 && s.top >= 0 && s.left + s.width <= WIDTH && s.top + s.height <= HEIGHT;
  const apart = (s, t) =>
    s.left + s.width <= t.left ||
    t.left + t.width <= s.left ||
    s.top + s.height <= t.top ||
    t.top + t.height <= s.top;
  return spots.find((s) => inside(s) && placed.every((t) => apart(s, t))) ?? null;
}
