// A notebook handed from a page of the site to the in-browser notebook app (lite/, JupyterLite) in
// another tab: the page opens the tab, announces the notebook's file name, then delivers the
// notebook once Python has written it, or withdraws it; the app's Pizarra plugin
// (web/lite/pizarra-notebook/) receives it — waiting while it is only announced — and saves
// it among the app's own files. Kept in this origin's IndexedDB, so the hand-over does not depend on
// which tab loads first, nor, once delivered, on the page staying open; a BroadcastChannel wakes a
// waiting app. While the notebook is coming the page holds a Web Lock named after it: the browser
// lets go of it when the page closes or crashes, so a waiting app knows at once that nothing will
// come (where there are no Web Locks, the page withdraws the notebook as it goes, on pagehide).
// See docs/ARCHITECTURE.md, "Take it home".
import { shellMessageIn } from "./i18n.js";

const DATABASE = "pizarra-notebooks";
const STORE = "handoff";
const CHANNEL = "pizarra-notebooks";
const STALE_MS = 24 * 3600 * 1000; // an announcement no app took within a day is dropped

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Run `work(store)` in one transaction; resolves with the value of the request it returns, if any. */
async function transaction(mode, work) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request?.result);
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

async function write(name, entry) {
  await transaction("readwrite", (store) => store.put(entry, name));
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage(name);
  channel.close();
}

const lockName = (name) => `pizarra-notebook:${name}`;

/**
 * The page, first of all (before it opens the app's tab, so that an app asking later waits behind
 * it): holds the lock of the notebook `name` until `done` settles, or, without Web Locks, withdraws
 * the notebook with `late` if the page goes first. Resolves once it is held.
 */
export function hold(name, done, late) {
  if (!navigator.locks) {
    const gone = () => withdraw(name, late).catch(() => {});
    window.addEventListener("pagehide", gone);
    done.finally(() => window.removeEventListener("pagehide", gone));
    return Promise.resolve();
  }
  return new Promise((granted, refused) =>
    navigator.locks
      .request(lockName(name), () => {
        granted();
        return done;
      })
      .catch(refused),
  );
}

/**
 * The page: `name` is coming; `late` is what the app says if the page goes before it has delivered
 * or withdrawn it. Drops announcements no app took within a day.
 */
export async function announce(name, late) {
  const now = Date.now();
  await transaction("readwrite", (store) => {
    store.openCursor().onsuccess = ({ target }) => {
      const cursor = target.result;
      if (!cursor) return;
      if (now - cursor.value.at > STALE_MS) cursor.delete();
      cursor.continue();
    };
  });
  await write(name, { state: "announced", at: now, reason: late });
}

/** The page: the notebook (nbformat JSON) for an announced `name`. */
export function deliver(name, notebook) {
  return write(name, { state: "delivered", at: Date.now(), notebook });
}

/** The page: `name` will not come, for the `reason` the page gives (in its language). */
export function withdraw(name, reason) {
  return write(name, { state: "withdrawn", at: Date.now(), reason });
}

/**
 * The app: what became of the notebook announced as `name` — `{notebook}` once delivered, `{reason}`
 * if withdrawn, if the page went first, or if not delivered within `timeoutMs` — or null if it was
 * never announced (a reload of a notebook received before). The app then `forget`s it. `coming`: the
 * language of the page that opened the app, before it wrote its announcement (its address said so);
 * without Web Locks, that announcement is waited for up to `announceMs`.
 */
export async function receive(name, { coming = null, timeoutMs = 10 * 60 * 1000, announceMs = 30_000 } = {}) {
  const channel = new BroadcastChannel(CHANNEL);
  let wake = () => {};
  channel.onmessage = ({ data }) => data === name && wake();
  const started = Date.now();
  const stopWatching = new AbortController();
  let pageGone = null; // once the app waits on the notebook's lock: false, then true when the page lets go
  try {
    for (;;) {
      const changed = new Promise((resolve) => (wake = resolve)); // listening before the read: no change is missed
      const entry = await transaction("readonly", (store) => store.get(name));
      // The page holds the lock while it works: then its announcement may take as long as the notebook.
      const until = entry || pageGone === false ? started + timeoutMs : coming ? started + announceMs : 0;
      // Still to come, unless the page let go of the notebook's lock without a word (closed, crashed).
      const pending = (!entry || entry.state === "announced") && pageGone !== true;
      if (pending && Date.now() < until) {
        if (pageGone === null && navigator.locks) {
          pageGone = false;
          navigator.locks
            .request(lockName(name), { signal: stopWatching.signal }, () => {})
            .then(() => ((pageGone = true), wake()))
            .catch(() => {}); // no longer watched
        }
        const timer = setTimeout(wake, until - Date.now());
        await changed;
        clearTimeout(timer);
        continue;
      }
      if (!entry) return coming ? { reason: await shellMessageIn(coming, "notebook.late") } : null;
      return entry.state === "delivered" ? { notebook: entry.notebook } : { reason: entry.reason };
    }
  } finally {
    stopWatching.abort();
    channel.close();
  }
}

/** The app, once it has saved a received notebook (or said why none came): the hand-over is over. */
export function forget(name) {
  return transaction("readwrite", (store) => store.delete(name));
}
