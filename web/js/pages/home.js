// The home page: what Pizarra is, the five pages, and a live check that Python answers.
import { h } from "../dom.js";
import { t, formatNumber } from "../i18n.js";
import { PAGES } from "../pages.js";
import { formula } from "../ui/formula.js";

export function mount(root, { engine }) {
  const check = h("p", { class: "engine-check", dataset: { testid: "engine-check" }, "aria-live": "polite" }, t("home.check.waiting"));
  root.append(
    h("section", { class: "hero" },
      h("div", {},
        h("h1", { text: t("home.title") }),
        h("p", { class: "lead", text: t("home.lead") }),
        h("p", { text: t("home.intro") }),
      ),
      h("img", { class: "hero-art", src: "img/hero.svg", alt: "", width: 420, height: 280 }),
    ),
    h("section", { "aria-labelledby": "pages-heading" },
      h("h2", { id: "pages-heading", text: t("home.pages") }),
      h("ul", { class: "cards" }, ...PAGES.map(card)),
    ),
    h("section", { class: "how", "aria-labelledby": "how-heading" },
      h("h2", { id: "how-heading", text: t("home.how") }),
      h("div", { class: "how-grid" },
        h("div", {}, h("h3", { text: t("home.how.python") }), h("p", { text: t("home.how.python.text") })),
        h("div", {}, h("h3", { text: t("home.how.gpu") }), h("p", { text: t("home.how.gpu.text") })),
        h("div", {}, h("h3", { text: t("home.how.links") }), h("p", { text: t("home.how.links.text") })),
      ),
    ),
    h("section", { class: "live", "aria-labelledby": "live-heading" },
      h("h2", { id: "live-heading", text: t("home.check") }),
      h("p", { text: t("home.check.text") }),
      formula(String.raw`r = \big((x \cdot y) + \max(z, w)\big)\cdot 2`, { display: true }),
      formula(String.raw`x=3,\; y=-4,\; z=2,\; w=0`, { display: true }),
      check,
      h("p", { class: "console-tip" }, t("home.console"), " ", h("code", { text: 'await pizarra.run("import numpy; numpy.__version__")' })),
    ),
  );
  engine
    .ready()
    .then(() => engine.call("engine_check"))
    .then((result) => {
      check.textContent = t("home.check.result", {
        r: formatNumber(result.r),
        dx: formatNumber(result.grad.x),
        dy: formatNumber(result.grad.y),
        dz: formatNumber(result.grad.z),
        dw: formatNumber(result.grad.w),
      });
      check.dataset.state = "done";
    })
    .catch(() => {
      check.textContent = t("home.check.failed");
      check.dataset.state = "failed";
    });
}

function card(page) {
  const body = [h("h3", { text: t(page.title) }), h("p", { text: t(page.summary) })];
  return h("li", { class: page.load ? "card" : "card coming" },
    page.load ? h("a", { href: `#/${page.id}` }, ...body) : h("div", {}, ...body, h("span", { class: "badge", text: t("nav.coming") })),
  );
}
