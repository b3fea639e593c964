// Typeset formulas with KaTeX (copied from npm into vendor/ by build.py, never from a CDN).
// KaTeX loads on first use, so it never delays the page shell or the engine's start.

let katex = null;
const loading = import("../../vendor/katex/katex.mjs").then((module) => (katex = module.default));

/** An element showing `tex`, typeset as soon as KaTeX has loaded. */
export function formula(tex, { display = false } = {}) {
  const element = document.createElement(display ? "div" : "span");
  element.className = "formula";
  const render = () =>
    katex.render(tex, element, { displayMode: display, throwOnError: false, output: "htmlAndMathml" });
  if (katex) render();
  else loading.then(render);
  return element;
}
