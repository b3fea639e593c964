// Errors and notices appear in the page, announced to screen readers, and never replace it.
import { h } from "../dom.js";
import { t } from "../i18n.js";

let region = null;

export function mountNotices(element) {
  region = element;
}

/**
 * Show a message: kinds "error" and "warning" are announced with role=alert, "info" with role=status.
 * `details`: an element shown under the message (engine-error.js's closed details toggle).
 */
export function notify(
  message,
  { kind = "info", action = null, details = null, timeoutMs = kind === "error" ? 0 : 6000 } = {},
) {
  const close = h(
    "button",
    {
      class: "notice-close",
      type: "button",
      "aria-label": t("notice.close"),
      onclick: () => notice.remove(),
    },
    "×",
  );
  const notice = h(
    "div",
    {
      class: `notice notice-${kind}`,
      role: kind === "info" ? "status" : "alert",
      dataset: { testid: `notice-${kind}` },
    },
    h("div", { class: "notice-body" }, h("p", { text: message }), details),
    action ? h("button", { class: "button", type: "button", onclick: action.run }, action.label) : null,
    close,
  );
  region.append(notice);
  if (timeoutMs) setTimeout(() => notice.remove(), timeoutMs);
  return notice;
}

export function clearNotices() {
  region.replaceChildren();
}
