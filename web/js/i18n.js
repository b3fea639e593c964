// Every visible string comes from the message catalogue of each language: web/i18n/<lang>.json
// for the site shell, and web/i18n/<page>.<lang>.json for each page, loaded when the page opens.
// Placeholders are written {name}; numbers are formatted for the language.
//
// Switching language changes words only (no scroll jump, no lost focus, no recomputation):
//   t(key, params)        the message now, as a string; a param may be a function, called then
//   hasMessage(key)       whether the catalogues in use have it
//                         (`{acc: () => formatNumber(x)}` formats x in whichever language is in use)
//   msg(key, params)      the message as a value that stays live: dom.js's h() turns it into text
//                         (child, `text:` or an attribute) that relabel() rewrites in a new language
//   liveText(key, params) that text node;  setText(element, key, params) puts it in an element
//   whenRelabelled(element, redo)   redo() runs on a language change while the element is in the page
//                         (numbers drawn by a chart, a select's option labels)
//   relabel(root)         rewrites every live text, attribute and redo under root (the shell calls it)
//   formatNumber(value, {decimals, …}), formatPercent(fraction, {decimals})   numbers and percentages
//                         in the language in use, by the one rule of number-format.js
import * as numbers from "./number-format.js";

export const LANGUAGES = ["es", "en"];
const STORAGE_KEY = "pizarra.lang";

let language = "es";
let catalogue = {};
const namespaces = ["shell"]; // the catalogues in use, merged into `catalogue`
const listeners = new Set();

async function fetchCatalogue(namespace, lang) {
  const file = namespace === "shell" ? `${lang}.json` : `${namespace}.${lang}.json`;
  const response = await fetch(new URL(`../i18n/${file}`, import.meta.url));
  if (!response.ok) throw new Error(`message catalogue ${file} is missing`);
  return response.json();
}

/** The site shell's message `key` in `lang` (the first language if not one of LANGUAGES), apart from
 * the language in use: for another tab that speaks for a page, as the notebook app does. */
export async function shellMessageIn(lang, key) {
  return (await fetchCatalogue("shell", LANGUAGES.includes(lang) ? lang : LANGUAGES[0]))[key];
}

/** Load a page's messages (once) before it renders. */
export async function useMessages(namespace) {
  if (namespaces.includes(namespace)) return;
  Object.assign(catalogue, await fetchCatalogue(namespace, language));
  namespaces.push(namespace);
}

export function preferredLanguage() {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (LANGUAGES.includes(saved)) return saved;
  const browser = (navigator.languages || [navigator.language || ""]).map((l) => l.slice(0, 2).toLowerCase());
  return browser.find((l) => LANGUAGES.includes(l)) || "es";
}

export async function setLanguage(lang, { remember = false } = {}) {
  const parts = await Promise.all(namespaces.map((namespace) => fetchCatalogue(namespace, lang)));
  catalogue = Object.assign({}, ...parts);
  language = lang;
  if (remember) localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
  translateTree(document);
  for (const listener of listeners) listener(lang);
}

export function currentLanguage() {
  return language;
}

export function onLanguageChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The message `key` with {placeholders} filled in; a missing key shows itself, never breaks the page. */
export function t(key, params = {}) {
  const template = Object.hasOwn(catalogue, key) ? catalogue[key] : undefined;
  if (template === undefined) {
    console.warn(`missing message: ${key}`);
    return key;
  }
  const value = (param) => String(typeof param === "function" ? param() : param);
  return template.replace(/\{(\w+)\}/g, (match, name) => (name in params ? value(params[name]) : match));
}

/** Whether the catalogues in use have `key` (for words a page may or may not name, like an argument's). */
export function hasMessage(key) {
  return Object.hasOwn(catalogue, key);
}

/** A message that follows the language: String(message) is its text in the language in use. */
export class Message {
  constructor(key, params = {}) {
    this.key = key;
    this.params = params;
  }

  toString() {
    return t(this.key, this.params);
  }
}

export const msg = (key, params) => new Message(key, params);

const LIVE = Symbol("live text"); // on a Text node: its Message
const ATTRIBUTES = Symbol("live attributes"); // on an element: {attribute: Message}
const REDO = Symbol("relabel"); // on an element: what redraws it in a new language

/** A text node showing a message (a Message, or key and params), rewritten by relabel(). */
export function liveText(key, params) {
  const message = key instanceof Message ? key : msg(key, params);
  const node = document.createTextNode(String(message));
  node[LIVE] = message;
  return node;
}

/** Replace an element's content with a live message. */
export function setText(element, key, params) {
  element.replaceChildren(liveText(key, params));
  return element;
}

/** Set an attribute to a message, kept in the language in use. */
export function setLiveAttribute(element, name, message) {
  element.setAttribute(name, String(message));
  (element[ATTRIBUTES] ??= {})[name] = message;
}

export function whenRelabelled(element, redo) {
  element[REDO] = redo;
  return element;
}

/** Rewrite every live text, live attribute and redo under `root` in the language in use. */
export function relabel(root) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  const redos = [];
  for (let node = walker.currentNode; node; node = walker.nextNode()) {
    if (node[LIVE]) node.data = String(node[LIVE]);
    for (const [name, message] of Object.entries(node[ATTRIBUTES] ?? {}))
      node.setAttribute(name, String(message));
    if (node[REDO]) redos.push(node[REDO]);
  }
  for (const redo of redos) redo(); // after the walk: a redo may rebuild what the walker would visit
}

/** A number in the language in use (number-format.js: the rule for every page). */
export function formatNumber(value, options = {}) {
  return numbers.formatNumber(language, value, options);
}

/** A fraction as a percentage in the language in use, with the site's one rule for decimals (number-format.js). */
export function formatPercent(fraction, options = {}) {
  return numbers.formatPercent(language, fraction, options);
}

/** Fill every element marked data-i18n="key" (text) or data-i18n-attr="attr:key;attr:key". */
export function translateTree(root) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-attr]")) {
    for (const pair of el.dataset.i18nAttr.split(";")) {
      const [attr, key] = pair.split(":");
      el.setAttribute(attr.trim(), t(key.trim()));
    }
  }
}
