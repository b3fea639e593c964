// The site's pages, in menu order. A page whose module is not built yet is listed as "coming":
// shown in the menu without a link, and its address explains that instead of breaking.

export const PAGES = [
  { id: "embeddings", title: "nav.embeddings", summary: "home.embeddings", load: null },
  { id: "backprop", title: "nav.backprop", summary: "home.backprop", load: null },
  { id: "lm", title: "nav.lm", summary: "home.lm", load: null },
  { id: "attention", title: "nav.attention", summary: "home.attention", load: null },
  { id: "cnn", title: "nav.cnn", summary: "home.cnn", load: null },
];

export function findPage(id) {
  return PAGES.find((page) => page.id === id) || null;
}
