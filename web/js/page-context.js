// What a page gets when it mounts (the page contract is in pages.js), scoped to that mount:
//   engine.call(fn, args, options)   the bridge's call; asked before Python is ready, it waits in
//                                    the worker's queue and is answered once Python is up. Its
//                                    error's `message` is the sentence in the user's words
//                                    (ui/engine-error.js: a refusal of the engine's door, or
//                                    "something went wrong"), never Python's text
//   engine.ready(), engine.state
//   engine.queue(task, {key, waiting})   run task() now if Python is ready, else as soon as it is:
//                                    `waiting` (an element) says so meanwhile. Resolves with task()'s
//                                    result. Newest request wins: a later queue() with the same key
//                                    makes the earlier one stale — never run if still waiting, its
//                                    answer never delivered if already running. A page keeps no
//                                    request counter of its own.
//   engine.onRestart(fn)             fn() once a restarted engine is ready again (a timeout, or
//                                    pizarra.restart()): whatever the page kept in the old worker
//                                    (a training run, a loaded data split) is gone; the page
//                                    establishes it again or says what was lost
//   engine.generation                how many times the engine has restarted: what a module keeps
//                                    about the worker across mounts is valid for one generation
//   whileMounted(promise)   the same promise, for anything else a page waits for (a data file)
//   operation({testid})     a long operation's progress and Stop (ui/operation.js): every engine
//                           call of it takes its signal, so Stop interrupts the call in flight;
//                           it stops when the page unmounts
//   readState(schema)       its state from the address, parsed by its SCHEMA (url-state.js);
//                           bad values become defaults, with a notice (a `clamp` entry's number
//                           beyond its bounds becomes the nearest bound, with a notice)
//   writeState(values, schema)   its state into the address
//   notify(message, options)     a notice in the page (ui/notices.js); a message that quotes a
//                           failed call's error.message gets the failure's details toggle
//   onLanguageChange(fn)    the page changes its own words in place: its static words are
//                           i18n.js messages (msg()), and fn() rewrites the rest. A page that
//                           registers no listener is mounted again in the new language instead.
//   linkLeavesOut(message)  what the page shows that its link cannot carry (null: nothing), said
//                           when the link is copied (ui/share.js)
//   offerNotebook(provider)  the "Python" button (ui/notebook.js): provider() gives {fn, args, assets}
//                           of the page's `<id>_notebook` call for what is on screen now
//   page, id, query         its entry in PAGES, its id and the address's query string
// Once the page unmounts, answers still on their way are dropped, never delivered to a dead page,
// and it can no longer write the address or show notices: the next page owns them.
import { t, msg, onLanguageChange, setText } from "./i18n.js";
import { parseState, formatState } from "./url-state.js";
import { operation } from "./ui/operation.js";
import { clampedMessage } from "./ui/controls.js";
import { inUserWords, failureDetails } from "./ui/engine-error.js";

// An engine's restarts, counted once for every mount: a restart shows as "loading" after a "ready".
const restarts = new WeakMap(); // engine → {generation, lost}

function watchRestarts(engine) {
  if (!restarts.has(engine)) {
    const watch = { generation: 0, lost: false };
    engine.addEventListener("status", ({ detail }) => {
      if (detail.state === "loading" && engine.info) watch.lost = true;
      if (detail.state === "ready" && watch.lost) {
        watch.lost = false;
        watch.generation++;
      }
    });
    restarts.set(engine, watch);
  }
  return restarts.get(engine);
}

/** {context, unmount, handlesLanguage()}: writeQuery(query) records the page's state in the address. */
export function pageContext({
  engine,
  page,
  id,
  query,
  notify,
  writeQuery,
  setLinkLeavesOut = () => {},
  offerNotebook = () => {},
}) {
  let mounted = true;
  const cleanups = [];
  const languageListeners = [];
  const whileMounted = (promise) =>
    new Promise((resolve, reject) => {
      promise.then(
        (value) => mounted && resolve(value),
        (error) => mounted && reject(error),
      );
    });

  // "Newest request wins": a queue() with a key makes every earlier request with that key stale —
  // one still waiting for Python never runs, one already running never delivers its answer.
  const latest = new Map(); // key → the newest request
  function queue(task, { key = null, waiting = null } = {}) {
    const request = {};
    if (key !== null) latest.set(key, request);
    const current = () => mounted && (key === null || latest.get(key) === request);
    const ifCurrent = (promise) =>
      new Promise((resolve, reject) => {
        promise.then(
          (value) => current() && resolve(value),
          (error) => current() && reject(error),
        );
      });
    if (engine.state === "ready") return ifCurrent(Promise.resolve().then(task));
    if (waiting) {
      setText(waiting, "engine.waiting");
      waiting.hidden = false;
    }
    return ifCurrent(
      engine.ready().then(
        () => {
          if (!current()) return undefined; // replaced by a later request: never runs
          if (waiting) waiting.hidden = true;
          return task();
        },
        (error) => {
          if (waiting && current()) waiting.hidden = true;
          throw error;
        },
      ),
    );
  }

  // The page hears of a restart once the new engine is ready.
  const restartListeners = [];
  const watch = watchRestarts(engine);
  let generation = watch.generation;
  const onStatus = ({ detail }) => {
    if (detail.state !== "ready" || generation === watch.generation) return;
    generation = watch.generation;
    for (const listener of restartListeners) listener();
  };
  engine.addEventListener("status", onStatus);
  cleanups.push(() => engine.removeEventListener("status", onStatus));

  const context = {
    page,
    id,
    query,
    whileMounted,
    engine: {
      get state() {
        return engine.state;
      },
      get generation() {
        return watch.generation;
      },
      ready: () => whileMounted(engine.ready()),
      call: (fn, args, options) =>
        whileMounted(engine.call(fn, args, options).catch((error) => Promise.reject(inUserWords(error)))),
      queue,
      onRestart: (listener) => restartListeners.push(listener),
    },
    operation(options) {
      const piece = operation(options);
      cleanups.push(() => piece.stop("unmount"));
      return piece;
    },
    notify: (message, options) =>
      mounted ? notify(message, { details: failureDetails(message), ...options }) : null,
    readState(schema) {
      const { values, rejected, clamped } = parseState(query, schema);
      if (rejected.length) {
        const keys = rejected.includes("*") ? t("state.toolong") : rejected.join(", ");
        notify(t("state.rejected", { keys }), { kind: "warning" });
      }
      for (const { key, from, to } of clamped)
        notify(clampedMessage(msg(schema[key].label), from, to), { kind: "warning" });
      return values;
    },
    writeState(values, schema) {
      if (mounted) writeQuery(formatState(values, schema));
    },
    onLanguageChange(listener) {
      languageListeners.push(listener);
      cleanups.push(onLanguageChange(() => mounted && listener()));
    },
    linkLeavesOut(message) {
      if (mounted) setLinkLeavesOut(message);
    },
    offerNotebook(provider) {
      if (mounted) offerNotebook(provider);
    },
  };
  return {
    context,
    handlesLanguage: () => languageListeners.length > 0,
    unmount: () => {
      mounted = false;
      setLinkLeavesOut(null);
      offerNotebook(null);
      cleanups.forEach((cleanup) => cleanup());
    },
  };
}
