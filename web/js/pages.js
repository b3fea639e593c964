// The site's pages, in menu order; an address naming no page shows pages/not-found.js.
//
// The page contract (docs/ARCHITECTURE.md, "Adding a page"): a page with id <id> is
//   web/js/pages/<id>/index.js   exports mount(root, context), which may return an unmount function;
//                                `context` is page-context.js's (engine, whileMounted, readState,
//                                writeState, notify), scoped to the mount
//   web/js/pages/<id>/state.js   its SCHEMA: the one declaration of its link state, every range and
//                                choice its controls offer (built with ui/controls.js), plus pure
//                                helpers about that state; it imports nothing that needs a DOM
//   web/js/pages/<id>/…          its views and its pure logic, one concern per module
//   web/css/<id>.css             its styles, every rule under [data-page="<id>"] (the router sets it on <main>)
//   web/i18n/<id>.es.json, <id>.en.json   its messages
//   pysrc/pizarra/demos/<id>.py  the engine functions it calls, all named <id>_…
// Home (pages/home.js) and "not found" (pages/not-found.js) belong to the shell: no state,
// styles in pizarra.css.

export const PAGES = [
  {
    id: "embeddings",
    title: "nav.embeddings",
    summary: "home.embeddings",
    load: () => import("./pages/embeddings/index.js"),
  },
  {
    id: "backprop",
    title: "nav.backprop",
    summary: "home.backprop",
    load: () => import("./pages/backprop/index.js"),
  },
  { id: "lm", title: "nav.lm", summary: "home.lm", load: () => import("./pages/lm/index.js") },
  {
    id: "attention",
    title: "nav.attention",
    summary: "home.attention",
    load: () => import("./pages/attention/index.js"),
  },
  { id: "cnn", title: "nav.cnn", summary: "home.cnn", load: () => import("./pages/cnn/index.js") },
];

export function findPage(id) {
  return PAGES.find((page) => page.id === id) || null;
}
