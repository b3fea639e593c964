// What an address shows for a page that is not built yet, or that does not exist.
import { h } from "../dom.js";
import { t } from "../i18n.js";

export function mount(root, { page, id }) {
  root.append(
    h("section", { class: "placeholder", dataset: { testid: page ? "page-coming" : "page-not-found" } },
      h("h1", { text: page ? t(page.title) : t("notfound.title") }),
      h("p", { text: page ? t(page.summary) : t("notfound.text", { page: id }) }),
      page ? h("p", { class: "badge", text: t("coming.text") }) : null,
      h("p", {}, h("a", { class: "button", href: "#/" }, t("nav.home"))),
    ),
  );
}
