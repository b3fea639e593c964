// Every visible string comes from one message catalogue per language (web/i18n/<lang>.json).
// Placeholders are written {name}; numbers are formatted for the language.

export const LANGUAGES = ["es", "en"];
const STORAGE_KEY = "pizarra.lang";

let language = "es";
let catalogue = {};
const listeners = new Set();

export function preferredLanguage() {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (LANGUAGES.includes(saved)) return saved;
  const browser = (navigator.languages || [navigator.language || ""]).map((l) => l.slice(0, 2).toLowerCase());
  return browser.find((l) => LANGUAGES.includes(l)) || "es";
}

export async function setLanguage(lang, { remember = false } = {}) {
  const response = await fetch(new URL(`../i18n/${lang}.json`, import.meta.url));
  catalogue = await response.json();
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
