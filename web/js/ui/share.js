// The "copy link" button: the address already holds the page's whole state.
import { t } from "../i18n.js";
import { notify } from "./notices.js";

export async function copyLink() {
  const url = location.href;
  try {
    await navigator.clipboard.writeText(url);
    notify(t("share.copied"));
  } catch {
    notify(t("share.manual", { url }));
  }
}
