// Part 3 of the page: inside the recurrent model that wrote the side-by-side text — its hidden
// state, or one of its gates (what the model has: INSIDE), drawn once the generation is complete.
import { h } from "../../dom.js";
import { msg } from "../../i18n.js";
import { select } from "../../ui/controls.js";
import { formula } from "../../ui/formula.js";
import { insideView } from "./inside.js";
import { INSIDE } from "./state.js";

const LSTM = [
  String.raw`f_t = \sigma(W_f[h_{t-1}, x_t] + b_f)`,
  String.raw`C_t = f_t \odot C_{t-1} + i_t \odot \tilde C_t`,
  String.raw`h_t = o_t \odot \tanh(C_t)`,
].join(String.raw`,\; `);

/**
 * mountInsideSection(root, {engine, notify, state, save})
 *   → {offer(cell)}: the choices of what to show for that cell; {refresh()}: draw what is chosen
 */
export function mountInsideSection(root, { engine, notify, state, save }) {
  const choice = h("div", { class: "inside-choice" });
  root.append(choice, formula(LSTM, { display: true }));
  const inside = insideView(root);
  const untilWritten = h("p", { class: "waiting", text: msg("lm.inside.waiting") });
  root.append(untilWritten);

  async function refresh() {
    try {
      const level = state.level; // the level of the text just written
      inside.show(
        await engine.queue(() => engine.call("lm_inside", { what: state.show }), { key: "inside" }),
        level,
      );
      untilWritten.hidden = true;
    } catch (error) {
      notify(msg("lm.inside.failed", { message: error.message }), { kind: "warning" });
    }
  }

  /** What a model of this cell has to show; a choice it does not have falls back to h, with a notice. */
  function offer(cell) {
    if (!INSIDE[cell].includes(state.show)) {
      const what = msg(`lm.inside.${state.show}`);
      notify(msg("lm.inside.reset", { what, model: cell.toUpperCase() }), { kind: "warning" });
      state.show = "h";
      save();
    }
    choice.replaceChildren(
      select({
        spec: { type: "enum", values: INSIDE[cell] },
        label: msg("lm.inside.show"),
        value: state.show,
        optionLabel: (what) => msg(`lm.inside.${what}`),
        testid: "inside-show",
        onChange: (what) => {
          state.show = what;
          save();
          refresh();
        },
      }).element,
    );
  }

  offer(state.model);
  return { offer, refresh };
}
