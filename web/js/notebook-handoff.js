// A notebook handed from a page of the site to the in-browser notebook app (lite/, JupyterLite) in
// another tab: the page announces the notebook's file name before it opens the tab, then delivers the
// notebook once Python has written it, or withdraws it; the app's Pizarra plugin
// (web/lite/pizarra-notebook/) receives it — waiting while it is only announced — and saves
// it among the app's own files. Kept in this origin's IndexedDB, so the hand-over does not depend on
// which tab loads first, nor, once delivered, on the page staying open; a BroadcastChannel wakes a
// waiting app.
// See docs/ARCHITECTURE.md, "Take it home".

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

/**
 * The page: `name` is coming (call before opening the app's tab); `late` is what the app says if it
 * does not come in time (the page was closed first). Drops announcements no app took within a day.
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
 * if withdrawn or not delivered within `timeoutMs` (and then forgotten here) — or null if it was
 * never announced (a reload of a notebook received before).
 */
export async function receive(name, { timeoutMs = 10 * 60 * 1000 } = {}) {
  const channel = new BroadcastChannel(CHANNEL);
  let wake = () => {};
  channel.onmessage = ({ data }) => data === name && wake();
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const changed = new Promise((resolve) => (wake = resolve)); // listening before the read: no change is missed
      const entry = await transaction("readonly", (store) => store.get(name));
      if (!entry) return null;
      if (entry.state === "announced" && Date.now() < deadline) {
        const timer = setTimeout(wake, deadline - Date.now());
        await changed;
        clearTimeout(timer);
        continue;
      }
      await transaction("readwrite", (store) => store.delete(name));
      return entry.state === "delivered" ? { notebook: entry.notebook } : { reason: entry.reason };
    }
  } finally {
    channel.close();
  }
}
