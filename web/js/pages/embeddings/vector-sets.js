// Section 2's vector set, which every view of the page works on: the committed sets, and two that
// live only in this browser's engine — the vectors trained in section 3 and a file of the user's
// own (word2vec/GloVe text), read in the engine with the shared Stop. A link naming one of those
// opens it while this browser's engine still has it; elsewhere the page says so and shows the default.
import { h } from "../../dom.js";
import { msg, setText, formatNumber, liveText } from "../../i18n.js";
import { select } from "../../ui/controls.js";
import { SCHEMA, LIVE_SETS } from "./state.js";
import { errorMessage } from "./messages.js";
import { waitingLine } from "./views.js";

const MAX_UPLOAD_BYTES = 50_000_000; // pizarra.demos.embeddings.MAX_UPLOAD_BYTES

/**
 * vectorSetsSection(container, {state, save, engine, operation, notify, onChange, onNewSet})
 *   onChange()  follows every change of state.set
 *   .add(set)   a set trained or loaded here becomes choosable, and chosen; onNewSet(set) follows
 *   .ready      resolves once the link's set is known to be there (or replaced by the default)
 */
export function vectorSetsSection(container, { state, save, engine, operation, notify, onChange, onNewSet }) {
  const available = new Set(SCHEMA.set.values.filter((set) => !LIVE_SETS.includes(set)));
  const picker = select({
    spec: SCHEMA.set,
    label: msg("embeddings.set"),
    value: state.set,
    testid: "vector-set",
    optionLabel: (set) => msg(`embeddings.set.${set}`),
    onChange: choose,
  });
  const offerAvailable = () => {
    for (const option of picker.input.options) option.disabled = !available.has(option.value);
  };
  offerAvailable();
  const file = h("input", {
    type: "file",
    accept: ".txt,.vec,text/plain",
    class: "visually-hidden",
    id: "embeddings-upload",
    dataset: { testid: "upload-input" },
  });
  file.addEventListener("change", () => file.files[0] && upload(file.files[0]));
  const openFile = (event) => (event.key === "Enter" || event.key === " ") && file.click();
  const status = h("p", { class: "hint", "aria-live": "polite", dataset: { testid: "upload-status" } });
  const waiting = waitingLine();
  const uploading = operation({ testid: "upload-operation" }); // Stop keeps the sets as they were
  container.append(
    h(
      "div",
      { class: "set-row" },
      picker.element,
      h(
        "label",
        { for: "embeddings-upload", class: "button", tabindex: "0", onkeydown: openFile },
        msg("embeddings.upload"),
      ),
      file,
    ),
    status,
    waiting,
    uploading.element,
  );

  function choose(set) {
    picker.input.value = set;
    save({ set });
    onChange();
  }

  function add(set) {
    available.add(set);
    offerAvailable();
    choose(set);
    onNewSet(set);
  }

  async function upload(chosen) {
    if (chosen.size > MAX_UPLOAD_BYTES) {
      setText(status, errorMessage({ error: "too-long", limit: MAX_UPLOAD_BYTES }));
      return;
    }
    setText(status, "embeddings.upload.reading", { name: chosen.name });
    try {
      const read = await uploading.run(({ signal }) =>
        engine.queue(
          async () => {
            signal.throwIfAborted(); // stopped while it waited for Python
            const args = { text: await chosen.text(), name: chosen.name };
            return engine.call("embeddings_upload", args, { timeoutMs: 300_000, signal });
          },
          { key: "upload", waiting },
        ),
      );
      if (read.outcome === "stopped") setText(status, "embeddings.upload.stopped", { name: chosen.name });
      if (read.outcome !== "done") return;
      const answer = read.value;
      if (answer.error) {
        setText(status, errorMessage(answer));
        return;
      }
      setText(status, "embeddings.upload.done", {
        name: answer.name,
        words: () => formatNumber(answer.words),
        dim: () => formatNumber(answer.dim),
      });
      if (answer.repeated)
        status.append(
          " ",
          liveText("embeddings.upload.repeated", { n: () => formatNumber(answer.repeated) }),
        );
      add("mine");
    } catch (error) {
      status.replaceChildren();
      notify(msg("embeddings.failed", { message: error.message }), { kind: "error" });
    } finally {
      file.value = "";
    }
  }

  // A set trained or loaded here lives in the engine: still there when the page is opened again in
  // this browser, not in someone else's that opens the link.
  const ready = available.has(state.set)
    ? Promise.resolve()
    : engine
        .queue(() => engine.call("embeddings_set_info", { set: state.set }), { key: "set-info" })
        .then(
          () => {
            available.add(state.set);
            offerAvailable();
          },
          () => {
            notify(msg(`embeddings.set.${state.set}.absent`), { kind: "warning" });
            picker.input.value = SCHEMA.set.default;
            save({ set: SCHEMA.set.default });
          },
        );
  return { add, ready };
}
