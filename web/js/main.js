// The site shell: header and menu, language and theme, the engine, and the router that mounts
// one page at a time from the address `#/<page>?<state>`.
import { engine } from "./engine/start.js";
import { h } from "./dom.js";
import {
  setLanguage,
  preferredLanguage,
  currentLanguage,
  onLanguageChange,
  useMessages,
  relabel,
  LANGUAGES,
  t,
} from "./i18n.js";
import { PAGES, findPage } from "./pages.js";
import { splitHash } from "./url-state.js";
import { pageContext } from "./page-context.js";
import { mountEngineStatus } from "./ui/engine-status.js";
import { mountNotices, notify, clearNotices } from "./ui/notices.js";
import { copyLink, setLinkLeavesOut } from "./ui/share.js";
import { downloadNotebook, mountNotebookMenu, openNotebook, setNotebookOffer } from "./ui/notebook.js";
import * as home from "./pages/home.js";
import * as notFound from "./pages/not-found.js";

const main = document.getElementById("main");
let mounted = null; // {id, query, unmount, handlesLanguage}
let routing = 0; // the latest address being opened

function renderMenu() {
  const nav = document.getElementById("menu");
  const current = splitHash(location.hash).page;
  nav.replaceChildren(
    ...PAGES.map((page) =>
      h("a", { href: `#/${page.id}`, "aria-current": page.id === current ? "page" : null }, t(page.title)),
    ),
  );
  // On a phone the menu scrolls sideways: the current page's entry is the one to see.
  const entry = nav.querySelector("[aria-current=page]");
  if (entry && nav.scrollWidth > nav.clientWidth) {
    nav.scrollLeft = entry.offsetLeft - nav.offsetLeft - (nav.clientWidth - entry.offsetWidth) / 2;
  }
}

/** The language buttons (made once: the one just pressed keeps the focus) and the theme button's state. */
function renderControls() {
  const languages = document.getElementById("languages");
  if (!languages.children.length) {
    languages.append(
      ...LANGUAGES.map((lang) =>
        h(
          "button",
          {
            type: "button",
            lang,
            dataset: { testid: `lang-${lang}` },
            onclick: () => setLanguage(lang, { remember: true }),
          },
          lang.toUpperCase(),
        ),
      ),
    );
  }
  for (const button of languages.children) {
    button.setAttribute("aria-pressed", String(button.lang === currentLanguage()));
    button.title = t(`lang.${button.lang}`);
  }
  const theme = document.getElementById("theme");
  theme.setAttribute("aria-pressed", String(document.documentElement.dataset.theme === "dark"));
}

/**
 * Mount the page the address names. <main data-page="<id>"> scopes the page's stylesheet
 * (css/<id>.css, every rule under [data-page="<id>"]); home and "not found" are the shell's own.
 * Only the last address asked for is mounted, however quickly addresses follow each other.
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
  const module = page
    ? (await Promise.all([page.load(), useMessages(page.id), useStylesheet(page.id)]))[0]
    : id === ""
      ? home
      : notFound;
  if (mine !== routing) return; // another address was opened while this page's files loaded
  main.dataset.page = page ? page.id : module === home ? "home" : "not-found";
  const offerNotebook = (provider) => setNotebookOffer(provider, document.getElementById("notebook-menu"));
  const scope = pageContext({
    engine,
    page,
    id,
    query,
    notify,
    setLinkLeavesOut,
    offerNotebook,
    writeQuery: (next) => replaceQuery(id, next),
  });
  // before mount(): the page may write its state while mounting
  mounted = { id, query, unmount: scope.unmount, handlesLanguage: scope.handlesLanguage };
  const unmountPage = module.mount(main, scope.context);
  if (unmountPage) mounted.unmount = () => (scope.unmount(), unmountPage());
  renderMenu();
  renderTitle();
}

function renderTitle() {
  const page = findPage(splitHash(location.hash).page);
  document.title = page ? `${t(page.title)} · Pizarra` : `Pizarra · ${t("site.tagline")}`;
}

/**
 * A new language changes words only. A page that relabels itself (context.onLanguageChange) keeps
 * everything — scroll, focus, what the engine computed; any other page is mounted again from
 * the same address, at the same scroll position, with the focus back on the same control.
 */
function changeLanguage() {
  renderControls();
  renderMenu();
  renderTitle();
  relabel(document.body);
  if (!mounted || mounted.handlesLanguage()) return;
  const { scrollX, scrollY } = window;
  const focused = document.activeElement;
  const focusId = main.contains(focused) ? focused.id || focused.dataset.testid : null;
  mounted.unmount();
  mounted = null;
  route().then(() => {
    window.scrollTo(scrollX, scrollY);
    const again =
      focusId &&
      (document.getElementById(focusId) || main.querySelector(`[data-testid="${CSS.escape(focusId)}"]`));
    again?.focus({ preventScroll: true });
  });
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
  // The address already names another page (its hashchange has not been handled yet): a page's
  // late write must not take the address back from the page the user asked for.
  if (splitHash(location.hash).page !== id || mounted?.id !== id) return;
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
    if (hadController)
      notify(t("update.ready"), {
        action: { label: t("update.reload"), run: () => location.reload() },
        timeoutMs: 0,
      });
  });
  // Register once the engine has loaded what it needs, so caching never competes with the first boot.
  const register = () =>
    navigator.serviceWorker
      .register("sw.js")
      .catch((error) => console.warn("service worker not registered", error));
  engine.ready().then(register, register);
}

async function start() {
  mountNotices(document.getElementById("notices"));
  document.getElementById("theme").addEventListener("click", toggleTheme);
  document.getElementById("share").addEventListener("click", copyLink);
  mountNotebookMenu(document.getElementById("notebook"), document.getElementById("notebook-choices"), {
    download: () => mounted && downloadNotebook(engine, mounted.id),
    open: () => mounted && openNotebook(engine, mounted.id),
  });
  await setLanguage(preferredLanguage());
  mountEngineStatus(
    document.getElementById("engine-status"),
    document.getElementById("engine-details"),
    document.getElementById("engine-panel"),
    engine,
  );
  onLanguageChange(changeLanguage);
  renderControls();
  window.addEventListener("hashchange", route);
  await route();
  setUpServiceWorker();
}

start();
