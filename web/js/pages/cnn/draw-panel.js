// The page's first panel: the drawing pad, the digit as the network reads it (28×28), its
// prediction with how sure it is, the ten probabilities, and the choice of model. Every change of
// the drawing asks Python: while drawing only the probabilities, at a stroke's end the layers too
// (handed to `showLayers`), and the digit then goes into the link (`state.d`).
import { h } from "../../dom.js";
import { msg, setText, formatPercent } from "../../i18n.js";
import { barChart } from "../../ui/bar-chart.js";
import { select } from "../../ui/controls.js";
import { notifyFailure } from "../../ui/engine-error.js";
import { drawingPad } from "./pad.js";
import { inputView } from "./maps.js";
import { toBase64, encodeDigit, float32FromBase64 } from "./encoding.js";

const RASTER = 140; // the drawing is sent to Python at 140×140 (5× the 28×28 input)
const LOW_CONFIDENCE = 0.6;
const MODELS = { type: "enum", values: ["pretrained", "trained"] }; // the site's model, or the one trained here

/**
 * drawPanel(section, {engine, notify, state, save, model(), onModel(name), showLayers(result | null)})
 *   .predict(phase)   .showEmpty(key)   .setDigit(pixels)   .pickDigit(pixels)   .isEmpty()
 *   .offerTrained(available)   .destroy()
 */
export function drawPanel(section, { engine, notify, state, save, model, onModel, showLayers }) {
  let busy = false,
    again = false,
    strokeEndedAt = null;

  const padBox = h("div", { class: "pad-box" });
  const prediction = h("output", {
    class: "prediction-digit",
    dataset: { testid: "prediction" },
    "aria-live": "polite",
  });
  const predictionNote = h("p", { class: "prediction-note", dataset: { testid: "prediction-note" } });
  const probabilities = h("div", { class: "probabilities" });
  const inputBox = h(
    "div",
    { class: "input-box" },
    h("p", { class: "caption", text: msg("cnn.input.caption") }),
  );
  const modelChoice = select({
    spec: MODELS,
    label: msg("cnn.model"),
    value: model(),
    optionLabel: (m) => msg(`cnn.model.${m}`),
    onChange: (m) => onModel(m),
    testid: "model",
  });
  const trainedOption = modelChoice.input.querySelector('option[value="trained"]');
  trainedOption.disabled = true;
  const pad = drawingPad(padBox, { label: msg("cnn.pad.label"), onChange: (phase) => predict(phase) });
  const input = inputView(inputBox, { label: msg("cnn.input.label"), testid: "input-28" });
  const bars = barChart(probabilities, { labels: [..."0123456789"], testid: "probabilities" });

  section.append(
    h(
      "div",
      { class: "pad-column" },
      padBox,
      h(
        "div",
        { class: "pad-actions" },
        h(
          "button",
          {
            type: "button",
            class: "button",
            dataset: { testid: "undo" },
            onclick: () => pad.undo(),
            title: msg("cnn.undo.key"),
          },
          "↶ ",
          msg("cnn.undo"),
        ),
        h(
          "button",
          {
            type: "button",
            class: "button",
            dataset: { testid: "clear" },
            onclick: () => pad.clear(),
            title: msg("cnn.clear.key"),
          },
          msg("cnn.clear"),
        ),
      ),
      h("p", {
        class: "hint",
        text: msg(
          matchMedia("(hover: none) and (pointer: coarse)").matches ? "cnn.pad.hint.touch" : "cnn.pad.hint",
        ),
      }),
    ),
    h(
      "div",
      { class: "result-column" },
      h(
        "div",
        { class: "prediction-row" },
        h(
          "div",
          { class: "prediction-box" },
          h("span", { class: "caption", text: msg("cnn.prediction") }),
          prediction,
        ),
        inputBox,
      ),
      predictionNote,
      probabilities,
      modelChoice.element,
    ),
  );

  /** No prediction, and why (key: the message in the note under it). */
  function showNote(key) {
    prediction.textContent = "";
    setText(predictionNote, key);
    predictionNote.dataset.kind = "empty";
  }

  function showEmpty(key) {
    showNote(key);
    bars.update([]);
    input.draw(null);
    showLayers(null);
  }

  function show(result, measureFrom = null) {
    input.draw(result.input);
    if (result.empty) return showEmpty("cnn.empty");
    const best = Math.max(...result.probabilities);
    const percent = () => formatPercent(best);
    prediction.textContent = String(result.prediction);
    if (best < LOW_CONFIDENCE) setText(predictionNote, "cnn.lowconfidence", { p: percent });
    else setText(predictionNote, "cnn.confidence", { p: percent, d: result.prediction });
    predictionNote.dataset.kind = best < LOW_CONFIDENCE ? "low" : "sure";
    bars.update(result.probabilities);
    if (measureFrom !== null)
      performance.measure("cnn:stroke-to-probabilities", { start: measureFrom, end: performance.now() });
    if (!result.layers) return; // a call made while drawing: the maps follow at the stroke's end
    const maps = Object.fromEntries(
      Object.entries(result.layers).map(([name, data]) => [name, float32FromBase64(data)]),
    );
    showLayers({ ...result, layers: maps });
  }

  async function predict(phase = "end") {
    if (phase === "end") strokeEndedAt = performance.now();
    if (pad.isEmpty()) {
      strokeEndedAt = null;
      showEmpty("cnn.empty");
      if (state.d) ((state.d = ""), save());
      return;
    }
    if (engine.state !== "ready") {
      // Asked for now, answered once Python is up: the model's layers arrive, then this digit.
      showNote(engine.state === "error" ? "cnn.engine.error" : "cnn.engine.loading");
      return;
    }
    if (busy) return void (again = true);
    busy = true;
    const endedAt = strokeEndedAt;
    try {
      const args = pad.hasStrokes()
        ? { drawing: toBase64(pad.raster(RASTER)), size: RASTER }
        : { digit: toBase64(pad.digit()) };
      // While drawing only the probabilities (3 ms in Python, not 6): a stroke's end then waits less.
      const result = await engine.call("cnn_predict", { ...args, model: model(), layers: phase !== "move" });
      const measured = endedAt !== null && endedAt === strokeEndedAt;
      show(result, measured ? endedAt : null);
      if (measured) {
        strokeEndedAt = null;
        state.d = result.empty ? "" : await encodeDigit(result.input);
        save();
      }
    } catch (error) {
      if (error.code !== "restarted") notifyFailure(notify, error, "cnn.predict.failed");
    } finally {
      busy = false;
      if (again) {
        again = false;
        predict("again");
      }
    }
  }

  return {
    predict,
    showEmpty,
    isEmpty: () => pad.isEmpty(),
    /** The link's digit on the board and in the 28×28 view, before any prediction. */
    setDigit(pixels) {
      pad.setDigit(pixels);
      input.draw(pixels);
    },
    /** A digit picked elsewhere (a test digit): on the board, predicted, and the pad in view. */
    pickDigit(pixels) {
      pad.setDigit(pixels);
      predict("end");
      padBox.scrollIntoView({ behavior: "smooth", block: "center" });
      pad.element.focus({ preventScroll: true });
    },
    /** A model trained here can be chosen (and is chosen) or, when lost, not: the site's then. */
    offerTrained(available) {
      trainedOption.disabled = !available;
      modelChoice.input.value = available ? "trained" : "pretrained";
    },
    destroy: () => pad.destroy(),
  };
}
