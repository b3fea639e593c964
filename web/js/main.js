// The site shell: header and menu, language and theme, the engine, and the router that mounts
// one page at a time from the address `#/<page>?<state>`.
import { engine } from "./engine/start.js";
import { h } from "./dom.js";
import { setLanguage, preferredLanguage, currentLanguage, onLanguageChange, useMessages, LANGUAGES, t } from "./i18n.js";
import { PAGES, findPage } from "./pages.js";
import { splitHash, parseState, formatState } from "./url-state.js";
import { mountEngineStatus } from "./ui/engine-status.js";
import { mountNotices, notify, clearNotices } from "./ui/notices.js";
import { copyLink } from "./ui/share.js";
import * as home from "./pages/home.js";
import * as placeholder from "./pages/placeholder.js";

const main = document.getElementById("main");
let mounted = null; // {id, query, unmount}

function renderMenu() {
  const nav = document.getElementById("menu");
  const current = splitHash(location.hash).page;
  nav.replaceChildren(
    ...PAGES.map((page) =>
      page.load
        ? h("a", { href: `#/${page.id}`, "aria-current": page.id === current ? "page" : null }, t(page.title))
        : h("span", { class: "coming", "aria-disabled": "true", title: t("nav.coming.title") }, t(page.title), h("span", { class: "visually-hidden", text: ` (${t("nav.coming")})` })),
    ),
  );
}

function renderControls() {
  const languages = document.getElementById("languages");
  languages.replaceChildren(
    ...LANGUAGES.map((lang) =>
      h("button", {
        type: "button",
        lang,
        "aria-pressed": String(lang === currentLanguage()),
        title: t(`lang.${lang}`),
        dataset: { testid: `lang-${lang}` },
        onclick: () => setLanguage(lang, { remember: true }),
      }, lang.toUpperCase()),
    ),
  );
  const theme = document.getElementById("theme");
  theme.setAttribute("aria-pressed", String(document.documentElement.dataset.theme === "dark"));
}

async function route() {
  const { page: id, query } = splitHash(location.hash);
  if (mounted && mounted.id === id && mounted.query === query) return;
  mounted?.unmount?.();
  clearNotices();
  main.replaceChildren();
  const page = id === "" ? null : findPage(id);
  let module = home;
  if (page?.load) [module] = await Promise.all([page.load(), useMessages(page.id), useStylesheet(page.id)]);
  else if (id !== "") module = placeholder;
  mounted = { id, query, unmount: module.mount(main, pageContext(page, id, query)) };
  renderMenu();
  document.title = page ? `${t(page.title)} · Pizarra` : `Pizarra · ${t("site.tagline")}`;
}

/**
 * What a page gets when it mounts: the engine, notices, and its state in the address,
 * read and written through the page's schema (see url-state.js).
 */
function pageContext(page, id, query) {
  return {
    engine,
    page,
    id,
    query,
    notify,
    readState(schema) {
      const { values, rejected } = parseState(query, schema);
      if (rejected.length) {
        const keys = rejected.includes("*") ? t("state.toolong") : rejected.join(", ");
        notify(t("state.rejected", { keys }), { kind: "warning" });
      }
      return values;
    },
    writeState(values, schema) {
      replaceQuery(id, formatState(values, schema));
    },
  };
}

/** A page's own styles, css/<page>.css, linked once when the page first opens. */
function useStylesheet(id) {
  if (document.querySelector(`link[data-page="${id}"]`)) return Promise.resolve();
  return new Promise((resolve) => {
    const link = h("link", { rel: "stylesheet", href: `css/${id}.css`, dataset: { page: id } });
    link.addEventListener("load", resolve);
    link.addEventListener("error", resolve); // the page still works unstyled
    document.head.append(link);
  });
}

/** A page records its state in the address without adding a history entry per change. */
function replaceQuery(id, query) {
  const hash = `#/${id}${query ? `?${query}` : ""}`;
  if (hash === location.hash) return;
  history.replaceState(null, "", hash);
  if (mounted) mounted.query = query;
}

function toggleTheme() {
  const dark = document.documentElement.dataset.theme !== "dark";
  document.documentElement.dataset.theme = dark ? "dark" : "light";
  localStorage.setItem("pizarra.theme", dark ? "dark" : "light");
  renderControls();
}

/** Offline use: a service worker caches the built site. A new build announces itself with a reload button. */
function setUpServiceWorker() {
  if (!("serviceWorker" in navigator) || !location.protocol.startsWith("http")) return;
  const hadController = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (hadController) notify(t("update.ready"), { action: { label: t("update.reload"), run: () => location.reload() }, timeoutMs: 0 });
  });
  // Register once the engine has loaded what it needs, so caching never competes with the first boot.
  const register = () => navigator.serviceWorker.register("sw.js").catch((error) => console.warn("service worker not registered", error));
  engine.ready().then(register, register);
}

async function start() {
  mountNotices(document.getElementById("notices"));
  document.getElementById("theme").addEventListener("click", toggleTheme);
  document.getElementById("share").addEventListener("click", copyLink);
  await setLanguage(preferredLanguage());
  mountEngineStatus(document.getElementById("engine-status"), document.getElementById("engine-details"), document.getElementById("engine-panel"), engine);
  onLanguageChange(() => {
    renderControls();
    mounted?.unmount?.();
    mounted = null; // re-mount the page in the new language from the same address state
    route();
  });
  renderControls();
  window.addEventListener("hashchange", route);
  await route();
  setUpServiceWorker();
}

start();
