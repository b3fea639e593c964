// Part 1 of the page: an expression, its computational graph stepped through node by node
// (forward pass, then backward pass), each node's local rule typeset, the real pizarra code of
// its operation, and every gradient checked by a finite difference computed in the browser.
import { h } from "../../dom.js";
import { t, formatNumber } from "../../i18n.js";
import { formula } from "../../ui/formula.js";
import { codePanel } from "../../ui/code-panel.js";
import { slider, numberField } from "../../ui/controls.js";
import DEFAULT_GRAPH from "./default-graph.json" with { type: "json" };
import { COURSE_EXPRESSION, COURSE_VALUES, VARIABLE, VARIABLE_SLIDER, parseValues, formatValues } from "./state.js";
import { toNumber, finiteDifference, agrees } from "./evaluate.js";
import { plan, stateAt, isOperation } from "./steps.js";
import { localRule, nodeNames } from "./rules.js";
import { graphView } from "./graph-view.js";

const EXAMPLES = [COURSE_EXPRESSION, "sigmoid(w * x + b)", "tanh(x * y) + x ^ 2", "log(x) / y", "relu(x - 1) * min(x, y)"];
const PLAY_INTERVAL_MS = 650;
const ISSUES = { "div-zero": "bp.issue.divzero", "log-nonpositive": "bp.issue.log", nonfinite: "bp.issue.nonfinite" };
const ERRORS = {
  "unexpected-char": "bp.error.char", "unexpected-token": "bp.error.token", "unexpected-end": "bp.error.end",
  "unclosed-paren": "bp.error.paren", "unknown-function": "bp.error.function", "unknown-name": "bp.error.name",
  "function-needs-call": "bp.error.call", arity: "bp.error.arity", "too-many-nodes": "bp.error.nodes",
  "too-many-variables": "bp.error.variables", "too-deep": "bp.error.deep", "too-long": "bp.error.long", empty: "bp.error.empty",
};

export function mountGraphSection(root, { engine, state, save }) {
  let expression = state.expr;
  let values = parseValues(state.vars);
  let position = state.step;
  let graph = null;
  let source = "none"; // "precomputed" | "python"
  let request = 0;
  let typing = null;   // debounce of the expression box
  let sliding = null;  // debounce of the variables
  let playing = null;
  let shownCode = "";

  // --- the expression -------------------------------------------------------------------
  const input = h("input", {
    id: "bp-expression", type: "text", value: expression, spellcheck: "false", autocomplete: "off", autocapitalize: "off",
    class: "bp-expression-input", dataset: { testid: "expression-input" }, "aria-describedby": "bp-expression-help bp-expression-error",
  });
  const errorBox = h("div", { id: "bp-expression-error", class: "bp-error", role: "alert", dataset: { testid: "expression-error" } });
  const examples = h("div", { class: "bp-examples", role: "group", "aria-label": t("bp.examples") },
    h("span", { class: "bp-examples-label", text: t("bp.examples") }),
    EXAMPLES.map((example) => h("button", { type: "button", class: "chip", onclick: () => setExpression(example) }, example)),
  );
  input.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => setExpression(input.value, { fromInput: true }), 250);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      clearTimeout(typing);
      setExpression(input.value, { fromInput: true });
    }
  });

  // --- variables, controls, graph, rule, code, table ---------------------------------------
  const variablesBox = h("div", { class: "bp-variables", dataset: { testid: "variables" } });
  const sourceBadge = h("span", { class: "bp-badge", dataset: { testid: "graph-source" } });
  const buttons = {
    reset: h("button", { type: "button", class: "button", dataset: { testid: "step-reset" }, onclick: () => go(0) }, t("bp.reset")),
    forward: h("button", { type: "button", class: "button", dataset: { testid: "step-forward" }, onclick: () => go(current().position + 1) }, t("bp.forward")),
    backward: h("button", { type: "button", class: "button", dataset: { testid: "step-backward" }, onclick: () => go(current().position + 1) }, t("bp.backward")),
    play: h("button", { type: "button", class: "button primary", dataset: { testid: "step-play" }, onclick: togglePlay }, t("bp.play")),
  };
  const progress = h("p", { class: "bp-progress", role: "status", dataset: { testid: "step-status" } });
  const graphBox = h("div", {
    class: "bp-graph", dataset: { testid: "graph" }, tabindex: "0", "aria-describedby": "bp-graph-keys",
  });
  graphBox.addEventListener("keydown", (event) => {
    if (event.key === "ArrowRight") go(current().position + 1);
    else if (event.key === "ArrowLeft") go(Math.max(0, current().position - 1));
    else if (event.key === "Home") go(0);
    else if (event.key === "End") go(-1);
    else return;
    event.preventDefault();
  });
  const view = graphView(graphBox, { onSelect: () => graphBox.focus() });
  const issuesBox = h("ul", { class: "bp-issues", dataset: { testid: "graph-issues" } });
  const ruleBox = h("div", { class: "bp-rule", "aria-live": "polite", dataset: { testid: "local-rule" } });
  const codeBox = h("div", { class: "bp-code" });
  const code = codePanel(codeBox, { engine, testid: "code-panel" });
  const table = h("table", { class: "bp-table", dataset: { testid: "node-table" } });

  root.append(
    h("div", { class: "bp-expression" },
      h("label", { for: "bp-expression", class: "bp-label", text: t("bp.expression") }),
      input,
      h("p", { id: "bp-expression-help", class: "bp-help", text: t("bp.expression.help") }),
      errorBox,
      examples,
    ),
    variablesBox,
    h("div", { class: "bp-toolbar" }, buttons.reset, buttons.forward, buttons.backward, buttons.play, progress, sourceBadge),
    graphBox,
    h("p", { id: "bp-graph-keys", class: "bp-help", text: t("bp.graph.keys") }),
    issuesBox,
    h("div", { class: "bp-explain" },
      h("section", { class: "bp-rule-panel", "aria-labelledby": "bp-rule-heading" }, h("h3", { id: "bp-rule-heading", text: t("bp.rule.heading") }), ruleBox),
      h("section", { "aria-labelledby": "bp-code-heading" }, h("h3", { id: "bp-code-heading", text: t("bp.code.heading") }), codeBox),
    ),
    h("details", { class: "bp-table-wrap", open: true },
      h("summary", { text: t("bp.table.heading") }),
      h("p", { class: "bp-help", text: t("bp.table.help") }),
      h("div", { class: "bp-table-scroll" }, table),
    ),
  );

  // --- computing the graph ------------------------------------------------------------------
  function setExpression(text, { fromInput = false } = {}) {
    if (!fromInput) input.value = text;
    expression = text;
    position = -1;
    recompute();
  }

  function recompute() {
    const mine = ++request;
    const isDefault = expression === COURSE_EXPRESSION && formatValues(values, Object.keys(values)) === COURSE_VALUES;
    if (engine.state !== "ready") {
      if (isDefault) show(DEFAULT_GRAPH, "precomputed");
      else if (!graph) graphBox.replaceChildren(h("p", { class: "bp-waiting", text: t("bp.waiting") }));
      if (engine.state === "loading") engine.ready().then(() => mine === request && recompute(), () => {});
      return;
    }
    engine.call("backprop_graph", { expression_text: expression, values }).then(
      (result) => {
        if (mine !== request) return;
        if (result.error) showError(result.error);
        else show(result, "python");
      },
      (error) => {
        if (mine !== request) return;
        errorBox.replaceChildren(h("p", { text: t("bp.error.engine", { message: error.message }) }));
      },
    );
  }

  function showError({ code: errorCode, position: at, details }) {
    const caretAt = Math.min(at, expression.length);
    const params = { ...details, position: caretAt + 1 };
    errorBox.replaceChildren(
      h("p", { text: t(ERRORS[errorCode] ?? "bp.error.token", params) }),
      h("pre", { class: "bp-caret", "aria-hidden": "true" },
        expression.slice(0, caretAt), h("mark", {}, expression.slice(caretAt, caretAt + 1) || " "), expression.slice(caretAt + 1),
        "\n", " ".repeat(caretAt), "^"),
    );
    input.setAttribute("aria-invalid", "true");
    graphBox.classList.add("stale");
  }

  function show(result, from) {
    graph = result;
    source = from;
    errorBox.replaceChildren();
    input.removeAttribute("aria-invalid");
    graphBox.classList.remove("stale");
    values = Object.fromEntries(result.variables.map((v) => [v.name, v.value]));
    renderVariables();
    render();
  }

  function renderVariables() {
    const focused = document.activeElement;
    if (variablesBox.contains(focused) && variablesBox.dataset.names === Object.keys(values).join(",")) return;
    variablesBox.dataset.names = Object.keys(values).join(",");
    variablesBox.replaceChildren(
      ...Object.entries(values).map(([name, value]) => {
        let field;
        const toSlider = (v) => Math.max(VARIABLE_SLIDER.min, Math.min(VARIABLE_SLIDER.max, v));
        const range = slider({
          spec: VARIABLE_SLIDER, label: name, value: toSlider(value), testid: `var-${name}-slider`,
          onInput: (v) => { field.input.value = String(v); setValue(name, v); },
        });
        field = numberField({
          spec: VARIABLE, label: t("bp.variable.exact", { name }), value, testid: `var-${name}`,
          onChange: (v) => { range.set(toSlider(v)); setValue(name, v); },
        });
        return h("div", { class: "bp-variable" }, range.element, field.element);
      }),
    );
  }

  function setValue(name, value) {
    values[name] = value;
    clearTimeout(sliding);
    sliding = setTimeout(recompute, 60);
  }

  // --- stepping -----------------------------------------------------------------------------
  function current() {
    return stateAt(graph, position);
  }

  function go(next) {
    if (!graph) return;
    const { total } = plan(graph);
    position = next < 0 || next >= total ? -1 : next;
    render();
  }

  function togglePlay() {
    if (playing) return stopPlaying();
    if (current().position >= plan(graph).total) go(0);
    buttons.play.textContent = t("bp.pause");
    buttons.play.setAttribute("aria-pressed", "true");
    playing = setInterval(() => {
      const { position: p, total } = current();
      if (p >= total) return stopPlaying();
      go(p + 1);
    }, PLAY_INTERVAL_MS);
  }

  function stopPlaying() {
    clearInterval(playing);
    playing = null;
    buttons.play.textContent = t("bp.play");
    buttons.play.setAttribute("aria-pressed", "false");
  }

  // --- drawing ------------------------------------------------------------------------------
  function render() {
    if (!graph) return;
    const names = nodeNames(graph);
    const now = current();
    const F = plan(graph).operations.length;
    buttons.forward.disabled = now.position >= F;
    buttons.backward.disabled = now.position < F || now.position >= now.total;
    buttons.backward.title = now.position < F ? t("bp.backward.wait") : "";
    buttons.reset.disabled = now.position === 0;
    progress.textContent = t(`bp.progress.${now.phase}`, { step: now.position, total: now.total });
    sourceBadge.textContent = source === "python" ? t("bp.source.python") : t("bp.source.precomputed");
    sourceBadge.dataset.source = source;
    view.render(graph, now, names);
    renderIssues(names, now);
    renderRule(names, now);
    renderTable(names, now);
    save({ expr: expression, vars: formatValues(values, Object.keys(values)), step: position < 0 || position >= now.total ? -1 : position });
  }

  function renderIssues(names, now) {
    issuesBox.replaceChildren(
      ...graph.nodes
        .filter((node) => node.issue && node.issue !== "nonfinite" && now.evaluated.has(node.id))
        .map((node) => h("li", { role: "status" }, h("strong", { text: `${names[node.id]} = ${formatNumber(toNumber(node.value))}` }), " — ", t(ISSUES[node.issue]))),
    );
    const inherited = graph.nodes.some((node) => node.issue === "nonfinite" && now.evaluated.has(node.id));
    if (inherited) issuesBox.append(h("li", { text: t(ISSUES.nonfinite) }));
  }

  function renderRule(names, now) {
    const node = now.current === null ? null : graph.nodes[now.current];
    if (!node) {
      ruleBox.replaceChildren(h("p", { class: "bp-help", text: t(graph.nodes.some(isOperation) ? "bp.rule.start" : "bp.rule.none") }));
      return;
    }
    const { text, tex } = localRule(graph, node, now.phase, names);
    ruleBox.replaceChildren(
      h("p", { class: "bp-rule-phase", text: t(now.phase === "forward" ? "bp.rule.forward" : "bp.rule.backward", { node: names[node.id] }) }),
      h("p", { text: t(text) }),
      ...tex.map((line) => formula(line, { display: true })),
    );
    const key = `${node.source.name}:${now.phase}`;
    if (key !== shownCode) {
      shownCode = key;
      code.show(node.source.name, { highlight: node.source[now.phase], label: t(now.phase === "forward" ? "bp.code.forward" : "bp.code.backward") });
    }
  }

  function renderTable(names, now) {
    const rows = graph.nodes.map((node) => {
      const hasGrad = now.complete.has(node.id) && node.grad !== null;
      const grad = hasGrad ? toNumber(node.grad) : null;
      let check = "";
      let verdict = null;
      if (hasGrad) {
        const estimate = finiteDifference(graph.nodes, node.id);
        verdict = agrees(grad, estimate);
        check = formatNumber(estimate, { maximumSignificantDigits: 6 });
      }
      return h("tr", { class: now.current === node.id ? "current" : "", dataset: { node: node.id } },
        h("th", { scope: "row", text: names[node.id] }),
        h("td", { text: describe(node, names) }),
        h("td", { class: "num", dataset: { testid: `value-${names[node.id]}` }, text: now.evaluated.has(node.id) ? formatNumber(toNumber(node.value), { maximumSignificantDigits: 6 }) : "·" }),
        h("td", { class: "num", dataset: { testid: `grad-${names[node.id]}` }, text: hasGrad ? formatNumber(grad, { maximumSignificantDigits: 6 }) : node.grad === null ? "—" : "·" }),
        h("td", { class: "num check" },
          h("span", { dataset: { testid: `check-${names[node.id]}` }, text: check }),
          verdict === null ? null : h("span", { class: verdict ? "ok" : "differs", title: verdict ? t("bp.check.ok") : t("bp.check.differs"), "aria-label": verdict ? t("bp.check.ok") : t("bp.check.differs") }, verdict ? " ✓" : " ≠"),
        ),
      );
    });
    table.replaceChildren(
      h("caption", { class: "visually-hidden", text: t("bp.table.heading") }),
      h("thead", {}, h("tr", {}, ...["bp.table.node", "bp.table.op", "bp.table.value", "bp.table.grad", "bp.table.check"].map((key) => h("th", { scope: "col", text: t(key) })))),
      h("tbody", {}, rows),
    );
  }

  function describe(node, names) {
    if (node.op === "input") return t("bp.table.variable");
    if (node.op === "const") return t("bp.table.constant");
    return `${node.op}(${node.inputs.map((i) => names[i]).join(", ")})`;
  }

  recompute();
  const onResize = () => graph && render();
  window.addEventListener("resize", onResize);
  return () => {
    stopPlaying();
    clearTimeout(typing);
    clearTimeout(sliding);
    window.removeEventListener("resize", onResize);
  };
}
