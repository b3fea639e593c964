// The site shell: header and menu, language and theme, the engine, and the router that mounts
// one page at a time from the address `#/<page>?<state>`.
import { engine } from "./engine/start.js";
import { h } from "./dom.js";
import { setLanguage, preferredLanguage, currentLanguage, onLanguageChange, useMessages, LANGUAGES, t } from "./i18n.js";
import { PAGES, findPage } from "./pages.js";
import { splitHash } from "./url-state.js";
import { pageContext } from "./page-context.js";
import { mountEngineStatus } from "./ui/engine-status.js";
import { mountNotices, notify, clearNotices } from "./ui/notices.js";
import { copyLink } from "./ui/share.js";
import * as home from "./pages/home.js";
import * as placeholder from "./pages/placeholder.js";

const main = document.getElementById("main");
let mounted = null; // {id, query, unmount}
let routing = 0;    // the latest address being opened

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

/**
 * Mount the page the address names. <main data-page="<id>"> scopes the page's stylesheet
 * (css/<id>.css, every rule under [data-page="<id>"]); home and the placeholder are the shell's own.
 */
async function route() {
  const { page: id, query } = splitHash(location.hash);
  if (mounted && mounted.id === id && mounted.query === query) return;
  const mine = ++routing;
  mounted?.unmount();
  mounted = null;
  clearNotices();
  main.replaceChildren();
  const page = id === "" ? null : findPage(id);
  let module = home;
  if (page?.load) [module] = await Promise.all([page.load(), useMessages(page.id), useStylesheet(page.id)]);
  else if (id !== "") module = placeholder;
  if (mine !== routing) return; // another address was opened while this page's files loaded
  main.dataset.page = module === home ? "home" : module === placeholder ? "placeholder" : page.id;
  const scope = pageContext({ engine, page, id, query, notify, writeQuery: (next) => replaceQuery(id, next) });
  mounted = { id, query, unmount: scope.unmount }; // before mount(): the page may write its state while mounting
  const unmountPage = module.mount(main, scope.context);
  if (unmountPage) mounted.unmount = () => (scope.unmount(), unmountPage());
  renderMenu();
  document.title = page ? `${t(page.title)} · Pizarra` : `Pizarra · ${t("site.tagline")}`;
}

/** A page's own styles, css/<page>.css, linked once when the page first opens. */
function useStylesheet(id) {
  if (document.querySelector(`link[data-stylesheet="${id}"]`)) return Promise.resolve();
  return new Promise((resolve) => {
    const link = h("link", { rel: "stylesheet", href: `css/${id}.css`, dataset: { stylesheet: id } });
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
    mounted?.unmount();
    mounted = null; // re-mount the page in the new language from the same address state
    route();
  });
  renderControls();
  window.addEventListener("hashchange", route);
  await route();
  setUpServiceWorker();
}

start();
