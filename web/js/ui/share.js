// The "copy link" button: the address already holds the page's whole state, and the notice says
// exactly what the link carries. A page that shows something the link cannot carry (a model
// trained in this browser) says so through its context (page-context.js: linkLeavesOut), and the
// notice tells the sender what the receiver will see instead.
import { t } from "../i18n.js";
import { notify } from "./notices.js";

let leftOut = null; // a message: what the current page shows that its link does not carry

/** What the link does not carry (a message or string), or null: set by the page on screen. */
export function setLinkLeavesOut(message) {
  leftOut = message;
}

export async function copyLink() {
  const url = location.href;
  const caveat = leftOut === null ? "" : ` ${t("share.leftout", { what: String(leftOut) })}`;
  try {
    await navigator.clipboard.writeText(url);
    notify(leftOut === null ? t("share.copied") : t("share.copied.partly") + caveat, {
      kind: leftOut === null ? "info" : "warning",
    });
  } catch {
    notify(t("share.manual", { url }) + caveat);
  }
}
