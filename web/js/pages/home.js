// The home page: what Pizarra is, the five pages, and a live check that Python answers.
import { h } from "../dom.js";
import { msg, setText, formatNumber } from "../i18n.js";
import { PAGES } from "../pages.js";
import { formula } from "../ui/formula.js";

export function mount(root, { engine, onLanguageChange }) {
  const check = h(
    "p",
    { class: "engine-check", dataset: { testid: "engine-check" }, "aria-live": "polite" },
    msg("home.check.waiting"),
  );
  root.append(
    h(
      "section",
      { class: "hero" },
      h(
        "div",
        {},
        h("h1", { text: msg("home.title") }),
        h("p", { class: "lead", text: msg("home.lead") }),
        h("p", { text: msg("home.intro") }),
      ),
      h("img", { class: "hero-art", src: "img/hero.svg", alt: "", width: 420, height: 280 }),
    ),
    h(
      "section",
      { "aria-labelledby": "pages-heading" },
      h("h2", { id: "pages-heading", text: msg("home.pages") }),
      h("ul", { class: "cards" }, ...PAGES.map(card)),
    ),
    h(
      "section",
      { class: "how", "aria-labelledby": "how-heading" },
      h("h2", { id: "how-heading", text: msg("home.how") }),
      h(
        "div",
        { class: "how-grid" },
        h(
          "div",
          {},
          h("h3", { text: msg("home.how.python") }),
          h("p", { text: msg("home.how.python.text") }),
        ),
        h("div", {}, h("h3", { text: msg("home.how.gpu") }), h("p", { text: msg("home.how.gpu.text") })),
        h("div", {}, h("h3", { text: msg("home.how.links") }), h("p", { text: msg("home.how.links.text") })),
      ),
    ),
    h(
      "section",
      { class: "live", "aria-labelledby": "live-heading" },
      h("h2", { id: "live-heading", text: msg("home.check") }),
      h("p", { text: msg("home.check.text") }),
      formula(String.raw`r = \big((x \cdot y) + \max(z, w)\big)\cdot 2`, { display: true }),
      formula(String.raw`x=3,\; y=-4,\; z=2,\; w=0`, { display: true }),
      check,
      h(
        "p",
        { class: "console-tip" },
        msg("home.console"),
        " ",
        h("code", { text: 'await pizarra.run("import numpy; numpy.__version__")' }),
      ),
    ),
  );
  engine
    .ready()
    .then(() => engine.call("engine_check"))
    .then((result) => {
      const shown = (v) => () => formatNumber(v); // in the language in use, whenever it changes
      setText(check, "home.check.result", {
        r: shown(result.r),
        dx: shown(result.grad.x),
        dy: shown(result.grad.y),
        dz: shown(result.grad.z),
        dw: shown(result.grad.w),
      });
      check.dataset.state = "done";
    })
    .catch(() => {
      setText(check, "home.check.failed");
      check.dataset.state = "failed";
    });
  onLanguageChange(() => {}); // every word is a live message
}

function card(page) {
  return h(
    "li",
    { class: "card" },
    h("a", { href: `#/${page.id}` }, h("h3", { text: msg(page.title) }), h("p", { text: msg(page.summary) })),
  );
}
