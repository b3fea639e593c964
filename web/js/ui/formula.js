// Typeset formulas with KaTeX (copied from npm into vendor/ by build.py, never from a CDN).
import katex from "../../vendor/katex/katex.mjs";

export function formula(tex, { display = false } = {}) {
  const span = document.createElement(display ? "div" : "span");
  span.className = "formula";
  katex.render(tex, span, { displayMode: display, throwOnError: false, output: "htmlAndMathml" });
  return span;
}
