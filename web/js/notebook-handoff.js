// A notebook handed from a page of the site to the in-browser notebook app (lite/, JupyterLite) in
// another tab: the page announces the notebook's file name before it opens the tab, then delivers the
// notebook once Python has written it, or withdraws it; the app's Pizarra plugin
// (web/lite/pizarra-notebook/) receives it — waiting while it is only announced — and saves
// it among the app's own files. Kept in this origin's IndexedDB, so the hand-over does not depend on
// which tab loads first, nor, once delivered, on the page staying open; a BroadcastChannel wakes a
// waiting app. While the notebook is coming the page holds a Web Lock named after it: the browser
// lets go of it when the page closes or crashes, so a waiting app knows at once that nothing will come.
// See docs/ARCHITECTURE.md, "Take it home".

const DATABASE = "pizarra-notebooks";
const STORE = "handoff";
const CHANNEL = "pizarra-notebooks";
const STALE_MS = 24 * 3600 * 1000; // an announcement no app took within a day is dropped
// The app's words when the page that opened it went before announcing its notebook (the page's own
// words, in its language, come with every announcement; here there is none): in the browser's language.
const NOT_ANNOUNCED = {
  en: "The page that opened this tab did not send its notebook (was it closed first?). Press “Open in the browser” on the page again.",
  es: "La página que abrió esta pestaña no envió su cuaderno (¿se cerró antes?). Vuelve a pulsar «Abrir en el navegador» en la página.",
};
const notAnnounced = () => NOT_ANNOUNCED[navigator.language.startsWith("es") ? "es" : "en"];

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
 * it): holds the lock of the notebook `name` until `done` settles. Resolves once it is held.
 */
export function hold(name, done) {
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
 * if withdrawn, if the page went first, or if not delivered within `timeoutMs` (and then forgotten
 * here) — or null if it was never announced (a reload of a notebook received before). `coming`: the
 * page opened the app before writing its announcement, which is waited for up to `announceMs`.
 */
export async function receive(
  name,
  { coming = false, timeoutMs = 10 * 60 * 1000, announceMs = 30_000 } = {},
) {
  const channel = new BroadcastChannel(CHANNEL);
  let wake = () => {};
  channel.onmessage = ({ data }) => data === name && wake();
  const started = Date.now();
  let pageGone = null; // once the app waits on the notebook's lock: false, then true when the page lets go
  try {
    for (;;) {
      const changed = new Promise((resolve) => (wake = resolve)); // listening before the read: no change is missed
      const entry = await transaction("readonly", (store) => store.get(name));
      const until = entry ? started + timeoutMs : coming ? started + announceMs : 0;
      // Still to come, unless the page let go of the notebook's lock without a word (closed, crashed).
      const pending = (!entry || entry.state === "announced") && pageGone !== true;
      if (pending && Date.now() < until) {
        if (pageGone === null) {
          pageGone = false;
          navigator.locks.request(lockName(name), () => {}).then(() => ((pageGone = true), wake()));
        }
        const timer = setTimeout(wake, until - Date.now());
        await changed;
        clearTimeout(timer);
        continue;
      }
      if (!entry) return coming ? { reason: notAnnounced() } : null;
      await transaction("readwrite", (store) => store.delete(name));
      return entry.state === "delivered" ? { notebook: entry.notebook } : { reason: entry.reason };
    }
  } finally {
    channel.close();
  }
}
