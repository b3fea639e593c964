// Every visible string comes from the message catalogue of each language: web/i18n/<lang>.json
// for the site shell, and web/i18n/<page>.<lang>.json for each page, loaded when the page opens.
// Placeholders are written {name}; numbers are formatted for the language.

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
  const template = catalogue[key];
  if (template === undefined) {
    console.warn(`missing message: ${key}`);
    return key;
  }
  return template.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
}

export function formatNumber(value, options = {}) {
  if (typeof value === "string") return value; // "NaN", "Infinity" from Python
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  return new Intl.NumberFormat(language, { maximumFractionDigits: 4, ...options }).format(value);
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
