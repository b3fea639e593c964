// The real Python of pizarra, as the engine has it installed (inspect.getsource through the
// bridge), highlighted with highlight.js (copied from npm by build.py). A line under it says,
// once, that code stays in English (it is code, with PyTorch's names).
import hljs from "../../vendor/highlight/core.min.js";
import python from "../../vendor/highlight/python.min.js";
import { h } from "../dom.js";
import { t, msg, whenRelabelled } from "../i18n.js";

hljs.registerLanguage("python", python);

/**
 * codePanel(container, {engine, testid})
 *   .show(name, {highlight: [firstLine, lastLine] relative to the object's first line, label})
 *   name: a dotted name inside pizarra, e.g. "pizarra.ops.Mul"
 *   label: words shown before the file and line in the panel's title, e.g. "Forward pass"
 *     (a string, or a message that follows the language)
 *   .clear(message)   no code, and why (the graph has no operation to show)
 */
export function codePanel(container, { engine, testid } = {}) {
  const title = h("figcaption", { class: "code-title" });
  const code = h("code", { class: "language-python" });
  const root = h(
    "figure",
    { class: "code-panel", dataset: testid ? { testid } : {} },
    title,
    h("pre", {}, code),
    h("p", { class: "code-note", text: msg("code.note") }),
  );
  container.append(root);
  const sources = new Map(); // name → the engine's answer: each object's code is asked for once
  let request = 0;
  let heading = () => "";
  const setTitle = (make) => {
    heading = make;
    title.textContent = make();
  };
  whenRelabelled(title, () => (title.textContent = heading()));

  async function show(name, { highlight = null, label = null } = {}) {
    const mine = ++request;
    try {
      if (!sources.has(name)) {
        setTitle(() => t("code.loading"));
        for (const line of code.querySelectorAll(".marked")) line.classList.remove("marked"); // no old line stands marked meanwhile
        const answer = await engine.call("engine_source", { name });
        sources.set(name, answer);
        if (mine !== request) return;
      }
      const { source, file, first_line: first } = sources.get(name);
      setTitle(() => (label ? `${label} — ${file}:${first}` : `${file}:${first}`));
      // highlight.js returns escaped HTML built from the source text (never from user input).
      const lines = hljs.highlight(source.replace(/\n$/, ""), { language: "python" }).value.split("\n");
      code.innerHTML = lines
        .map((line, i) => {
          const marked = highlight && i >= highlight[0] && i <= highlight[1];
          return `<span class="code-line${marked ? " marked" : ""}" data-line="${first + i}">${line || " "}</span>`;
        })
        .join("\n");
    } catch {
      if (mine !== request) return;
      setTitle(() => t("code.unavailable"));
      code.textContent = "";
    }
  }

  function clear(message) {
    request++;
    setTitle(() => String(message));
    code.textContent = "";
  }

  return { element: root, show, clear };
}
