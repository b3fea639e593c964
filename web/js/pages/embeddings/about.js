// About the data: where every corpus, vector set and benchmark comes from, and each set's model card.
import { h } from "../../dom.js";
import { msg } from "../../i18n.js";
import { COMMITTED_SETS } from "./state.js";
import { cardURL } from "./data.js";

/** The section, with a link to every committed set's model card. */
export function aboutSection() {
  const card = (set) => h("a", { href: cardURL(set), text: `embeddings_${set}.md` });
  const cards = COMMITTED_SETS.flatMap((set, i) => [i ? ", " : "", card(set)]);
  return h(
    "section",
    { class: "panel about", "aria-labelledby": "embeddings-about-h" },
    h("h2", { id: "embeddings-about-h", text: msg("embeddings.about.heading") }),
    h("p", { text: msg("embeddings.about.data") }),
    h("p", {}, msg("embeddings.about.cards"), " ", ...cards),
  );
}
