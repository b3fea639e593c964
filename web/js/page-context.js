// What a page gets when it mounts (the page contract is in pages.js), scoped to that mount:
//   engine                  the bridge's call(fn, args, options), ready() and state
//   whileMounted(promise)   the same promise, for anything else a page waits for (a data file)
//   readState(schema)       its state from the address, parsed by its SCHEMA (url-state.js);
//                           bad values become defaults, with a notice
//   writeState(values, schema)   its state into the address
//   notify(message, options)     a notice in the page (ui/notices.js)
//   page, id, query         its entry in PAGES, its id and the address's query string
// Once the page unmounts, answers still on their way are dropped, never delivered to a dead page,
// and it can no longer write the address or show notices: the next page owns them.
import { t } from "./i18n.js";
import { parseState, formatState } from "./url-state.js";

/** {context, unmount}: writeQuery(query) records the page's state in the address. */
export function pageContext({ engine, page, id, query, notify, writeQuery }) {
  let mounted = true;
  const whileMounted = (promise) =>
    new Promise((resolve, reject) => {
      promise.then((value) => mounted && resolve(value), (error) => mounted && reject(error));
    });
  const context = {
    page,
    id,
    query,
    whileMounted,
    engine: {
      get state() {
        return engine.state;
      },
      ready: () => whileMounted(engine.ready()),
      call: (fn, args, options) => whileMounted(engine.call(fn, args, options)),
    },
    notify: (message, options) => (mounted ? notify(message, options) : null),
    readState(schema) {
      const { values, rejected } = parseState(query, schema);
      if (rejected.length) {
        const keys = rejected.includes("*") ? t("state.toolong") : rejected.join(", ");
        notify(t("state.rejected", { keys }), { kind: "warning" });
      }
      return values;
    },
    writeState(values, schema) {
      if (mounted) writeQuery(formatState(values, schema));
    },
  };
  return { context, unmount: () => (mounted = false) };
}
