// Asking Python from one section of the page. Each kind of request (translate, steps, mask) has its
// own line of notices, a line saying it waits for Python, and an operation (progress and Stop,
// ui/operation.js). The page context queues it until Python is up and keeps only the newest
// request of its kind (engine.queue, page-context.js): a stale answer is never shown.
import { h } from "../../dom.js";
import { liveText, msg } from "../../i18n.js";

const ERRORS = new Set(["empty", "no-mask"]); // notices that leave nothing to show

/** A line for the notices of a reading of the input: role=alert when nothing can be shown.
 * `own` words some notices differently for this line: {code: message key}. */
function messageLine(testid, own) {
  const line = h("p", { class: "attention-message", dataset: { testid } });
  return {
    element: line,
    show(notices) {
      const words = notices.map((code) => liveText(own[code] ?? `attention.notice.${code}`));
      line.replaceChildren(...words.flatMap((word, i) => (i ? [" ", word] : [word])));
      const error = notices.some((code) => ERRORS.has(code));
      line.setAttribute("role", error ? "alert" : "status");
      line.dataset.kind = error ? "error" : "info";
    },
  };
}

/** sectionRequests(context, kind, own) → {elements, show(notices), ask(fn, args, assets, {onResult, onStopped})}
 * `elements` go in the section (notices, waiting, operation); data-testids `<kind>-message`,
 * `<kind>-waiting`, `<kind>-operation`. */
export function sectionRequests(context, kind, own = {}) {
  const message = messageLine(`${kind}-message`, own);
  const waiting = h("p", {
    class: "waiting",
    role: "status",
    hidden: true,
    dataset: { testid: `${kind}-waiting` },
  });
  const operation = context.operation({ testid: `${kind}-operation` });
  const { engine } = context;

  /** Ask Python `fn(args)`: onResult(value) with the newest request's answer; onStopped() when its
   * Stop was pressed (the section then shows nothing of it and says so). */
  function ask(fn, args, assets, { onResult, onStopped }) {
    const task = () => operation.run(({ signal }) => engine.call(fn, args, { ...assets, signal }));
    engine.queue(task, { key: kind, waiting }).then(
      (answer) => {
        if (answer.outcome === "done") onResult(answer.value);
        else if (answer.outcome === "stopped") onStopped();
      },
      (error) => {
        if (error.code === "engine-error") message.show(["engine"]);
        else context.notify(msg("attention.failed", { message: error.message }), { kind: "error" });
      },
    );
  }

  return { elements: [message.element, waiting, operation.element], show: message.show, ask };
}
