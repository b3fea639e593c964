// What an address that names no page shows: which page it asked for (as text, never markup) and
// the way home.
import { h } from "../dom.js";
import { msg } from "../i18n.js";

export function mount(root, { id, onLanguageChange }) {
  root.append(
    h(
      "section",
      { class: "not-found", dataset: { testid: "page-not-found" } },
      h("h1", { text: msg("notfound.title") }),
      h("p", { text: msg("notfound.text", { page: id }) }),
      h("p", {}, h("a", { class: "button", href: "#/" }, msg("nav.home"))),
    ),
  );
  onLanguageChange(() => {}); // every word above is a live message
}
