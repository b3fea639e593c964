// A tiny element builder: text is always set as text, never parsed as HTML. A message made with
// i18n.js's msg() — as a child, as `text:` or as an attribute — stays in the language in use.
// `style:` is set through CSSOM, which the site's Content-Security-Policy allows (a style
// attribute it would block).
import { Message, liveText, setLiveAttribute } from "./i18n.js";

export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.append(value instanceof Message ? liveText(value) : String(value));
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "style") el.style.cssText = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (value instanceof Message) setLiveAttribute(el, key, value);
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(
      child instanceof Node
        ? child
        : child instanceof Message
          ? liveText(child)
          : document.createTextNode(String(child)),
    );
  }
  return el;
}
