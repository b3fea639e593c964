// Section 2: analogies a : b :: c : ? in the set chosen, by 3CosAdd and 3CosMul side by side.
import { h } from "../../dom.js";
import { msg } from "../../i18n.js";
import { formula } from "../../ui/formula.js";
import { SCHEMA } from "./state.js";
import { setAssets } from "./data.js";
import { errorMessage } from "./messages.js";
import { linkableText, queryError, queryForm, scoredWord, waitingLine } from "./views.js";

const K = 5;
const SLOTS = ["a", "b", "c"];
const FORMULAS = [
  String.raw`\text{3CosAdd: } \arg\max_v \cos(v,\, b - a + c)`,
  // pizarra.embeddings.vectors: cos' = (1 + cos) / 2 keeps every factor in [0, 1]; ε = EPSILON
  String.raw`\text{3CosMul: } \arg\max_v \frac{\cos'(v,b)\,\cos'(v,c)}{\cos'(v,a) + \varepsilon}, \quad
    \cos' = \tfrac{1 + \cos}{2}, \ \varepsilon = 10^{-3}`,
];

/**
 * analogiesSection(container, {state, save, engine, notify}) → {ask(), fill()}: the analogy of the
 * three words typed; fill() puts the state's words in the boxes.
 */
export function analogiesSection(container, { state, save, engine, notify }) {
  const slots = new Map(
    SLOTS.map((slot) => [
      slot,
      h("input", {
        type: "text",
        id: `embeddings-analogy-${slot}`,
        value: state[slot],
        maxlength: SCHEMA[slot].maxLength,
        size: 10,
        "aria-label": msg(`embeddings.analogy.${slot}`),
        autocomplete: "off",
        spellcheck: "false",
        dataset: { testid: `analogy-${slot}` },
      }),
    ]),
  );
  const result = h("div", {
    class: "analogy-result",
    "aria-live": "polite",
    dataset: { testid: "analogy-result" },
  });
  const waiting = waitingLine();
  container.append(
    h("h3", { text: msg("embeddings.analogy.heading") }),
    h(
      "div",
      { class: "analogy-formulas" },
      FORMULAS.map((tex) => formula(tex)),
    ),
    queryForm(
      "analogy-row",
      ask,
      slots.get("a"),
      h("span", { text: ":" }),
      slots.get("b"),
      h("span", { text: "::" }),
      slots.get("c"),
      h("span", { text: ": ?" }),
      h("button", { type: "submit", class: "button primary", text: msg("embeddings.analogy.solve") }),
    ),
    waiting,
    result,
  );

  async function ask() {
    const typed = SLOTS.map((slot) => [slot, linkableText(slots.get(slot), SCHEMA[slot])]);
    if (typed.some(([, word]) => word === undefined)) {
      // The newest request, refused at once: an answer to an earlier one must not replace the message.
      engine.queue(() => null, { key: "analogy" }).catch(() => {});
      waiting.hidden = true;
      result.replaceChildren(queryError(msg("embeddings.error.characters")));
      return;
    }
    save(Object.fromEntries(typed));
    const args = { set: state.set, a: state.a, b: state.b, c: state.c, k: K };
    const request = () => engine.call("embeddings_analogy", args, { assets: setAssets(args.set) });
    try {
      const answer = await engine.queue(request, { key: "analogy", waiting });
      const shown = answer.errors
        ? errors(answer.errors)
        : ["add", "mul"].map((method) => column(answer, method));
      result.replaceChildren(...shown);
    } catch (error) {
      result.replaceChildren();
      notify(msg("embeddings.failed", { message: error.message }), { kind: "error" });
    }
  }

  const fill = () => SLOTS.forEach((slot) => (slots.get(slot).value = state[slot]));
  return { ask, fill };
}

/** The message for each slot Python refused ({slot: error}). */
function errors(bySlot) {
  return Object.entries(bySlot).map(([slot, error]) => queryError(`${slot}: `, errorMessage(error)));
}

/** One method's answers, best first. */
function column(answer, method) {
  return h(
    "div",
    { class: "analogy-column" },
    h("h4", { text: msg(`embeddings.analogy.${method}`) }),
    h(
      "ol",
      {},
      answer[method].map((entry, i) => scoredWord(entry, { class: i === 0 ? "best" : null })),
    ),
  );
}
