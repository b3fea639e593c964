// Small views the page's sections share: a number that follows the language, a word with its
// cosine, a word's list of neighbours (or the message for a bad query), a query's form and its
// error line, and the line that says a request waits for Python.
import { h } from "../../dom.js";
import { formatNumber, whenRelabelled } from "../../i18n.js";
import { parseValue } from "../../url-state.js";
import { errorMessage } from "./messages.js";

/** An element whose text is format(), written again in the new language after every switch. */
export function liveNumber(tag, props, format) {
  const element = h(tag, props);
  const draw = () => {
    element.textContent = format();
  };
  draw();
  return whenRelabelled(element, draw);
}

/** A list item: a word and its cosine, to three decimals. */
export function scoredWord({ word, score }, props = {}) {
  return h(
    "li",
    props,
    h("span", { class: "word", text: word }),
    liveNumber("span", { class: "score" }, () => formatNumber(score, { decimals: 3 })),
  );
}

/** One query's answer: its nearest words with their cosines, or the message for its error. */
export function neighbourList(entry) {
  if (entry.error) {
    return h(
      "div",
      { class: "neighbour-box error", role: "alert", dataset: { testid: "query-error" } },
      h("p", { text: errorMessage(entry) }),
    );
  }
  return h(
    "div",
    { class: "neighbour-box" },
    h("h4", { text: entry.word }),
    h(
      "ol",
      { class: "neighbour-list" },
      entry.neighbours.map((neighbour) => scoredWord(neighbour)),
    ),
  );
}

/** A line saying what is wrong with a query: its words (a message, after an optional prefix). */
export function queryError(...words) {
  return h("p", { class: "query-error", role: "alert", dataset: { testid: "query-error" } }, ...words);
}

/**
 * A box's text (trimmed) when the link can carry it — its SCHEMA entry accepts it — else undefined,
 * and the box is marked invalid: the page never writes a link its own reader would refuse.
 */
export function linkableText(input, spec) {
  const text = input.value.trim();
  const carried = parseValue(text, spec) !== undefined;
  if (carried) input.removeAttribute("aria-invalid");
  else input.setAttribute("aria-invalid", "true");
  return carried ? text : undefined;
}

/** A form whose submission (Enter, or its button) calls ask() and stays on the page. */
export function queryForm(className, ask, ...children) {
  const submit = (event) => {
    event.preventDefault();
    ask();
  };
  return h("form", { class: className, onsubmit: submit }, ...children);
}

/** Where engine.queue() says that a request waits for Python (hidden the rest of the time). */
export function waitingLine() {
  return h("p", { class: "hint waiting", hidden: true, "aria-live": "polite" });
}
