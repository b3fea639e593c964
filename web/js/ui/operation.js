// A long operation (training, generation, evaluation): its progress and its Stop, the same on
// every page. A bar (the fraction done when known, else moving) with the percentage or the time
// so far, and one Stop button. run(task) hands the task an AbortSignal that every engine call of
// the operation takes ({signal}): Stop aborts it, which interrupts the call in flight (the bridge
// raises KeyboardInterrupt in it; Python keeps its state, see docs/ARCHITECTURE.md, "Stopping"),
// so the operation is idle at once, not after the chunk under way.
//
//   const op = context.operation({ testid: "train-operation" });   // stopped when the page unmounts
//   box.append(op.element);
//   const { outcome, value } = await op.run(async ({ signal, progress }) => {
//     … await engine.call(fn, args, { signal }) …  progress(done / total)  (null: not known)
//   });
//   outcome: "done" (value is the task's), "stopped" (Stop: the page says what it kept), or
//   "dropped" (a newer run() replaced it, or the page unmounted: the page does nothing more).
// A task's error other than the stop is thrown by run(). The piece shows itself only once an
// operation has run for SHOW_AFTER_MS: a quick answer does not flash a Stop button.
// <div data-state> says idle | running | done | stopped | failed.
import { h } from "../dom.js";
import { msg, setText, formatNumber, formatPercent, whenRelabelled } from "../i18n.js";

const SHOW_AFTER_MS = 250;
const STOPPED = Symbol("stopped");

export function operation({ testid = "operation" } = {}) {
  const bar = h("progress", { class: "operation-bar", max: "1", "aria-label": msg("operation.progress") });
  const amount = h("span", { class: "operation-amount", dataset: { testid: `${testid}-amount` } });
  const stopButton = h(
    "button",
    { type: "button", class: "button operation-stop", dataset: { testid: "stop" }, onclick: () => stop() },
    msg("operation.stop"),
  );
  const element = h(
    "div",
    { class: "operation", hidden: true, dataset: { testid, state: "idle" } },
    bar,
    amount,
    stopButton,
  );
  let current = null; // {controller, started, fraction, reason, opener, timers}

  function draw() {
    if (!current) return;
    const { fraction, started } = current;
    if (fraction === null) {
      bar.removeAttribute("value"); // indeterminate
      setText(amount, "operation.elapsed", {
        s: () => formatNumber(Math.floor((performance.now() - started) / 1000)),
      });
    } else {
      bar.value = fraction;
      amount.textContent = formatPercent(fraction, { decimals: 0 }); // progress: whole percents
    }
  }
  whenRelabelled(amount, draw);

  function reveal(mine) {
    if (current !== mine) return;
    element.hidden = false;
    // The button that started it is disabled now: keyboard focus goes to Stop, not to the page's top.
    const focus = document.activeElement;
    if (mine.opener?.disabled && (focus === document.body || focus === mine.opener))
      stopButton.focus({ preventScroll: true });
  }

  function finish(mine, state) {
    clearTimeout(mine.revealTimer);
    clearInterval(mine.tickTimer);
    if (current !== mine) return;
    current = null;
    const hadFocus = element.contains(document.activeElement);
    element.hidden = true;
    element.dataset.state = state;
    if (hadFocus) setTimeout(() => mine.opener?.isConnected && mine.opener.focus({ preventScroll: true }));
  }

  /** Stop the operation under way (reason "user": its page says what it kept; else "dropped"). */
  function stop(reason = "user") {
    if (!current) return;
    current.reason = reason;
    current.controller.abort();
  }

  async function run(task) {
    stop("replaced");
    const controller = new AbortController();
    const mine = {
      controller,
      started: performance.now(),
      fraction: null,
      reason: null,
      opener: document.activeElement,
    };
    current = mine;
    element.dataset.state = "running";
    draw();
    mine.revealTimer = setTimeout(() => reveal(mine), SHOW_AFTER_MS);
    mine.tickTimer = setInterval(() => current === mine && mine.fraction === null && draw(), 1000);
    const progress = (fraction) => {
      if (current !== mine) return;
      mine.fraction = fraction === null || fraction === undefined ? null : Math.min(1, Math.max(0, fraction));
      draw();
    };
    // A stop ends the operation at once, even while the task waits for something else than Python:
    // its next engine call is refused (the signal is aborted), so it goes no further.
    const stopped = new Promise((resolve) =>
      controller.signal.addEventListener("abort", () => resolve(STOPPED), { once: true }),
    );
    try {
      const value = await Promise.race([task({ signal: controller.signal, progress }), stopped]);
      if (value !== STOPPED) {
        finish(mine, "done");
        return { outcome: "done", value };
      }
    } catch (error) {
      if (!controller.signal.aborted) {
        finish(mine, "failed");
        throw error;
      }
    }
    const outcome = mine.reason === "user" ? "stopped" : "dropped";
    finish(mine, outcome === "stopped" ? "stopped" : "idle");
    return { outcome };
  }

  return {
    element,
    run,
    stop,
    get running() {
      return current !== null;
    },
  };
}
