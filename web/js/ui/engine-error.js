// Why an engine call did not answer, in the user's language — one piece for every page.
//   failureMessage(error)         a live message (msg()): the sentence for the error
//   reason(error)                 the same sentence as a message parameter: msg(lead, {message: reason(error)})
//   detailsToggle(error)          a closed <details> with Python's own text, or null when there is none
//   failureView(error, lead?)     [the sentence (in `lead` if given), its details toggle]: for a box in the page
//   notifyFailure(notify, error, lead?)   the same as a notice
//   inUserWords(error)            the error, its `message` now the sentence (a live message): the page
//                                 context (page-context.js) rewords every engine call's error so that a
//                                 page that puts error.message in a sentence of its own says it right
//   failureDetails(message)       the details toggle of a failure such a message quotes, or null
//                                 (page-context.js's notify adds it to the notice)
// A refusal of the engine's door (bridge.js: code "refused", `refusal` {code, field, limit, value};
// the codes are pysrc/pizarra/demos/door.py's) becomes the sentence `refused.<code>`, naming the
// argument by its words `arg.<page>.<field>` when the shared catalogue has them (the page of the
// function called: cnn_predict → cnn), else by its name, with the limit it broke
// and the value given (at most 80 characters, cut by Python). Anything unexpected says only that
// something went wrong; Python's text waits behind the details toggle. No exception text or
// Python type name ever reaches the sentence.
import { h } from "../dom.js";
import { Message, msg, t, hasMessage, formatNumber } from "../i18n.js";

// Codes whose sentence does not already show the value given.
const SHOWS_VALUE = new Set(["wrong-type", "out-of-range", "not-a-choice", "bad-format", "wrong-size"]);

const quoted = (text) => `“${text}”`;
const shown = (value) =>
  typeof value === "number"
    ? formatNumber(value, { maximumFractionDigits: 10 })
    : value === null
      ? "null"
      : String(value);

/** An argument's words ("The expression"), or its name quoted when its page does not word it. */
function fieldWords(field, fn) {
  const key = `arg.${String(fn).split("_")[0]}.${field}`;
  return () => (hasMessage(key) ? t(key) : quoted(field ?? "?"));
}

function refusalMessage({ code, field, limit, value }, fn) {
  if (!hasMessage(`refused.${code}`)) return msg("failed");
  const params = {
    field: fieldWords(field, fn),
    value: () => String(value ?? ""),
    limit: () => shown(limit),
    min: () => shown(limit?.[0]),
    max: () => shown(limit?.[1]),
    choices: () => (Array.isArray(limit) ? limit.map((choice) => quoted(shown(choice))).join(", ") : ""),
    kind: () => t(`refused.kind.${limit}`),
    form: () => t(`refused.form.${limit}`),
  };
  const sentence = msg(`refused.${code}`, params);
  return value !== null && value !== undefined && SHOWS_VALUE.has(code)
    ? msg("refused.given", { sentence: () => String(sentence), value: () => quoted(value) })
    : sentence;
}

const OUTCOMES = {
  cancelled: () => msg("engine.outcome.cancelled"),
  restarted: () => msg("engine.outcome.restarted"),
  "engine-error": () => msg("engine.outcome.unavailable"),
  "bad-arguments": () => msg("engine.outcome.unsendable"),
};

const WORDED = new Set(["refused", "failed", "python", "timeout", ...Object.keys(OUTCOMES)]);

export function failureMessage(error) {
  if (error?.code === "refused" && error.refusal) return refusalMessage(error.refusal, error.fn);
  if (error?.code === "timeout")
    return msg("engine.outcome.timeout", {
      s: () => formatNumber(Math.round((error.timeoutMs ?? 0) / 1000)),
    });
  if (Object.hasOwn(OUTCOMES, error?.code ?? "")) return OUTCOMES[error.code]();
  return msg(error?.code ? "failed" : "failed.page"); // Python's failure, or the browser's (a file not fetched)
}

export function reason(error) {
  const message = failureMessage(error);
  return () => String(message);
}

/** Python's text of an unexpected failure (a `failed` call, a `run`'s traceback, a browser error). */
function details(error) {
  const text = error?.english ?? error?.message; // the words Python or the browser gave
  if (error?.code === "failed") return error.details || text;
  if (error?.code === "python") return error.traceback || text;
  if (
    !error?.code ||
    !(error.code === "refused" || error.code === "timeout" || Object.hasOwn(OUTCOMES, error.code))
  )
    return text ?? String(error);
  return null;
}

export function detailsToggle(error) {
  const text = details(error);
  if (!text) return null;
  return h(
    "details",
    { class: "failure-details", dataset: { testid: "failure-details" } },
    h("summary", { text: msg("engine.error.details") }),
    h("pre", { text }),
  );
}

export function failureView(error, lead = null) {
  return [
    h("p", { text: lead ? msg(lead, { message: reason(error) }) : failureMessage(error) }),
    detailsToggle(error),
  ].filter(Boolean);
}

export function notifyFailure(notify, error, lead = null) {
  return notify(lead ? msg(lead, { message: reason(error) }) : failureMessage(error), {
    kind: "error",
    details: detailsToggle(error),
  });
}

export function inUserWords(error) {
  if (!WORDED.has(error?.code) || error.english !== undefined) return error;
  error.english = error.message; // for the console and the details toggle
  error.message = failureMessage(error);
  error.message.failure = error;
  return error;
}

export function failureDetails(message) {
  const params = message instanceof Message ? Object.values(message.params ?? {}) : [];
  const quoted = params.find((param) => param instanceof Message && param.failure);
  return quoted ? detailsToggle(quoted.failure) : null;
}
