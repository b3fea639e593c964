// The site's pages, in menu order. A page whose module is not built yet is listed as "coming":
// shown in the menu without a link, and its address explains that instead of breaking.
//
// A built page has: web/js/pages/<id>.js exporting mount(root, context) (returns an optional
// unmount function), messages in web/i18n/<id>.es.json and <id>.en.json, styles in
// web/css/<id>.css, and its Python entry points in pysrc/pizarra/demos/<id>.py.
// `context` (see main.js pageContext): engine, notify, readState(schema), writeState(values, schema).

export const PAGES = [
  { id: "embeddings", title: "nav.embeddings", summary: "home.embeddings", load: null },
  { id: "backprop", title: "nav.backprop", summary: "home.backprop", load: () => import("./pages/backprop.js") },
  { id: "lm", title: "nav.lm", summary: "home.lm", load: null },
  { id: "attention", title: "nav.attention", summary: "home.attention", load: null },
  { id: "cnn", title: "nav.cnn", summary: "home.cnn", load: () => import("./pages/cnn.js") },
];

export function findPage(id) {
  return PAGES.find((page) => page.id === id) || null;
}
