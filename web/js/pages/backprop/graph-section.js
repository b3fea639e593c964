// Part 1 of the page: an expression, its computational graph stepped through node by node
// (forward pass, then backward pass, from step 0 unless the link says otherwise), each node's
// local rule typeset, the real pizarra code of its operation, and every gradient checked by a
// finite difference computed in the browser (node-table.js).
import { h } from "../../dom.js";
import { msg, setText, formatNumber } from "../../i18n.js";
import { formula } from "../../ui/formula.js";
import { codePanel } from "../../ui/code-panel.js";
import { failureView } from "../../ui/engine-error.js";
import { debounced } from "../../ui/debounce.js";
import DEFAULT_GRAPH from "./default-graph.json" with { type: "json" };
import { COURSE_EXPRESSION, COURSE_VALUES, parseValues, formatValues } from "./state.js";
import { toNumber } from "./evaluate.js";
import { plan, stateAt, isOperation } from "./steps.js";
import { localRule, nodeNames } from "./rules.js";
import { graphView } from "./graph-view.js";
import { variablesView } from "./variables.js";
import { renderNodeTable } from "./node-table.js";

const EXAMPLES = [
  COURSE_EXPRESSION,
  "sigmoid(w * x + b)",
  "tanh(x * y) + x ^ 2",
  "log(x) / y",
  "relu(x - 1) * min(x, y)",
];
const PLAY_INTERVAL_MS = 650;
const ISSUES = {
  "div-zero": "backprop.issue.divzero",
  "log-nonpositive": "backprop.issue.log",
  nonfinite: "backprop.issue.nonfinite",
};
const ERRORS = {
  "unexpected-char": "backprop.error.char",
  "unexpected-token": "backprop.error.token",
  "unexpected-end": "backprop.error.end",
  "unclosed-paren": "backprop.error.paren",
  "unknown-function": "backprop.error.function",
  "unknown-name": "backprop.error.name",
  "function-needs-call": "backprop.error.call",
  arity: "backprop.error.arity",
  "too-many-nodes": "backprop.error.nodes",
  "too-many-variables": "backprop.error.variables",
  "too-deep": "backprop.error.deep",
  empty: "backprop.error.empty",
};
const DECIMAL_COMMA = /\d,\d/; // "0,5": a decimal written with a comma, which separates arguments here

/** mountGraphSection(root, {engine, state, save, onLanguageChange}) → unmount() */
export function mountGraphSection(root, { engine, state, save, onLanguageChange }) {
  let expression = state.expr;
  let values = parseValues(state.vars);
  let position = state.step;
  let graph = null;
  let graphExpression = null; // the expression of the graph shown: the one the link holds
  let source = "none"; // "precomputed" | "python"
  let playing = null;
  let shownCode = "";
  let error = null; // the expression's error, as Python reported it
  const slid = debounced(recompute, 60); // the variables' graph, asked for once a slider pauses

  // --- the expression -------------------------------------------------------------------
  const input = h("input", {
    id: "backprop-expression",
    type: "text",
    value: expression,
    spellcheck: "false",
    autocomplete: "off",
    autocapitalize: "off",
    class: "backprop-expression-input",
    dataset: { testid: "expression-input" },
    "aria-describedby": "backprop-expression-help backprop-expression-error",
  });
  const errorBox = h("div", {
    id: "backprop-expression-error",
    class: "backprop-error",
    role: "alert",
    dataset: { testid: "expression-error" },
  });
  const examples = h(
    "div",
    { class: "backprop-examples", role: "group", "aria-label": msg("backprop.examples") },
    h("span", { class: "backprop-examples-label", text: msg("backprop.examples") }),
    EXAMPLES.map((example) =>
      h("button", { type: "button", class: "chip", onclick: () => setExpression(example) }, example),
    ),
  );
  const typed = debounced(() => setExpression(input.value, { fromInput: true }), 250);
  input.addEventListener("input", typed);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      typed.cancel();
      setExpression(input.value, { fromInput: true });
    }
  });

  // --- variables, controls, graph, rule, code, table ---------------------------------------
  const variablesBox = h("div", { class: "backprop-variables", dataset: { testid: "variables" } });
  const variables = variablesView(variablesBox, { onChange: setValue });
  const sourceBadge = h("span", { class: "backprop-badge", dataset: { testid: "graph-source" } });
  const button = (testid, label, onclick, extra = {}) =>
    h("button", { type: "button", class: "button", dataset: { testid }, onclick, ...extra }, label);
  const buttons = {
    reset: button("step-reset", msg("backprop.reset"), () => go(0)),
    back: button("step-back", ["◀ ", msg("backprop.back")], () => go(Math.max(0, current().position - 1))),
    next: button("step-next", [msg("backprop.next"), " ▶"], () => go(current().position + 1)),
    play: button("step-play", msg("backprop.play"), togglePlay, { class: "button primary" }),
  };
  const progress = h("p", { class: "backprop-progress", role: "status", dataset: { testid: "step-status" } });
  const waiting = h("p", {
    class: "backprop-waiting-note waiting",
    role: "status",
    hidden: true,
    dataset: { testid: "graph-waiting" },
  });
  const graphBox = h("div", {
    class: "backprop-graph",
    dataset: { testid: "graph" },
    tabindex: "0",
    "aria-describedby": "backprop-graph-keys",
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
  const issuesBox = h("ul", { class: "backprop-issues", dataset: { testid: "graph-issues" } });
  const ruleBox = h("div", {
    class: "backprop-rule",
    "aria-live": "polite",
    dataset: { testid: "local-rule" },
  });
  const codeBox = h("div", { class: "backprop-code" });
  const code = codePanel(codeBox, { engine, testid: "code-panel" });
  const table = h("table", { class: "backprop-table", dataset: { testid: "node-table" } });

  root.append(
    h(
      "div",
      { class: "backprop-expression" },
      h("label", { for: "backprop-expression", class: "backprop-label", text: msg("backprop.expression") }),
      input,
      h("p", {
        id: "backprop-expression-help",
        class: "backprop-help",
        text: msg("backprop.expression.help"),
      }),
      errorBox,
      examples,
    ),
    variablesBox,
    h(
      "div",
      { class: "backprop-toolbar" },
      buttons.reset,
      buttons.back,
      buttons.next,
      buttons.play,
      progress,
    ),
    waiting,
    graphBox,
    h(
      "div",
      { class: "backprop-graph-foot" },
      h("p", { id: "backprop-graph-keys", class: "backprop-help", text: msg("backprop.graph.keys") }),
      sourceBadge,
    ),
    issuesBox,
    h(
      "div",
      { class: "backprop-explain" },
      h(
        "section",
        { class: "backprop-rule-panel", "aria-labelledby": "backprop-rule-heading" },
        h("h3", { id: "backprop-rule-heading", text: msg("backprop.rule.heading") }),
        ruleBox,
      ),
      h(
        "section",
        { "aria-labelledby": "backprop-code-heading" },
        h("h3", { id: "backprop-code-heading", text: msg("backprop.code.heading") }),
        codeBox,
      ),
    ),
    h(
      "details",
      { class: "backprop-table-wrap", open: true },
      h("summary", { text: msg("backprop.table.heading") }),
      h("p", { class: "backprop-help", text: msg("backprop.table.help") }),
      h("div", { class: "backprop-table-scroll" }, table),
    ),
  );

  // --- computing the graph ------------------------------------------------------------------
  function setExpression(text, { fromInput = false } = {}) {
    if (!fromInput) input.value = text;
    expression = text;
    position = 0; // a new graph starts with only its inputs known, as the page opens
    recompute();
  }

  const isCourseGraph = () =>
    expression === COURSE_EXPRESSION && formatValues(values, Object.keys(values)) === COURSE_VALUES;

  /**
   * The graph of the expression and values in use: Python's, once it is ready (asked for now, done
   * then). A later recompute() replaces it: the engine's queue delivers only the newest answer.
   */
  function recompute() {
    if (engine.state !== "ready") {
      if (isCourseGraph())
        show(DEFAULT_GRAPH, "precomputed", COURSE_EXPRESSION); // computed by pizarra at build time
      else if (graph) graphBox.classList.add("stale"); // not this expression's graph: it waits
    }
    const args = { expression_text: expression, values: { ...values } };
    engine
      .queue(() => engine.call("backprop_graph", args), {
        key: "graph",
        waiting: isCourseGraph() ? null : waiting,
      })
      .then(
        (result) => {
          if (slid.pending) return; // a value changed since this was asked: its graph is coming
          if (result.error) showError(result.error);
          else show(result, "python", args.expression_text);
        },
        (failure) => {
          if (isCourseGraph() && graph) return; // the precomputed graph stays, the engine panel says why
          waiting.hidden = true;
          error = null;
          errorBox.replaceChildren(...failureView(failure)); // a refusal (the expression too long) says which limit
          input.setAttribute("aria-invalid", "true");
          graphBox.classList.add("stale");
        },
      );
  }

  function showError(found) {
    error = found;
    const { code: errorCode, position: at, details } = found;
    const caretAt = Math.min(at, expression.length);
    errorBox.replaceChildren(
      h("p", {
        text: msg(ERRORS[errorCode] ?? "backprop.error.token", { ...details, position: caretAt + 1 }),
      }),
      DECIMAL_COMMA.test(expression)
        ? h("p", {
            class: "backprop-error-hint",
            dataset: { testid: "expression-hint" },
            text: msg("backprop.error.comma"),
          })
        : null,
      h(
        "pre",
        { class: "backprop-caret", "aria-hidden": "true" },
        expression.slice(0, caretAt),
        h("mark", {}, expression.slice(caretAt, caretAt + 1) || " "),
        expression.slice(caretAt + 1),
        "\n",
        " ".repeat(caretAt),
        "^",
      ),
    );
    input.setAttribute("aria-invalid", "true");
    graphBox.classList.add("stale");
  }

  function show(result, from, shown) {
    graph = result;
    graphExpression = shown;
    source = from;
    error = null;
    errorBox.replaceChildren();
    input.removeAttribute("aria-invalid");
    graphBox.classList.remove("stale");
    values = Object.fromEntries(result.variables.map((v) => [v.name, v.value]));
    variables.render(values);
    render();
  }

  function setValue(name, value) {
    values[name] = value;
    slid();
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
    setText(buttons.play, "backprop.pause");
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
    setText(buttons.play, "backprop.play");
    buttons.play.setAttribute("aria-pressed", "false");
  }

  // --- drawing ------------------------------------------------------------------------------
  function render() {
    if (!graph) return;
    const names = nodeNames(graph);
    const now = current();
    buttons.next.disabled = now.position >= now.total;
    buttons.back.disabled = buttons.reset.disabled = now.position === 0;
    setText(progress, `backprop.progress.${now.phase}`, { step: now.position, total: now.total });
    setText(sourceBadge, source === "python" ? "backprop.source.python" : "backprop.source.precomputed");
    sourceBadge.dataset.source = source;
    waiting.hidden = source === "python" || engine.state === "ready" || isCourseGraph() || waiting.hidden;
    view.render(graph, now, names);
    renderIssues(names, now);
    renderRule(names, now);
    renderNodeTable(table, graph, now, names);
    // The graph shown, never a text still being typed or refused: the link reopens this graph.
    save({
      expr: graphExpression,
      vars: formatValues(values, Object.keys(values)),
      step: position < 0 || position >= now.total ? -1 : position,
    });
  }

  function renderIssues(names, now) {
    issuesBox.replaceChildren(
      ...graph.nodes
        .filter((node) => node.issue && node.issue !== "nonfinite" && now.evaluated.has(node.id))
        .map((node) =>
          h(
            "li",
            { role: "status" },
            h("strong", { text: `${names[node.id]} = ${formatNumber(toNumber(node.value))}` }),
            " — ",
            msg(ISSUES[node.issue]),
          ),
        ),
    );
    const inherited = graph.nodes.some((node) => node.issue === "nonfinite" && now.evaluated.has(node.id));
    if (inherited) issuesBox.append(h("li", { text: msg(ISSUES.nonfinite) }));
  }

  function renderRule(names, now) {
    const node = now.current === null ? null : graph.nodes[now.current];
    if (!node) {
      const operations = graph.nodes.some(isOperation);
      ruleBox.replaceChildren(
        h("p", {
          class: "backprop-help",
          text: msg(operations ? "backprop.rule.start" : "backprop.rule.none"),
        }),
      );
      const why = operations ? "backprop.code.start" : "backprop.code.none"; // no node yet, or no operation at all
      if (shownCode !== why) {
        shownCode = why;
        code.clear(msg(why));
      }
      return;
    }
    const { text, tex } = localRule(graph, node, now.phase, names);
    ruleBox.replaceChildren(
      h("p", {
        class: "backprop-rule-phase",
        text: msg(now.phase === "forward" ? "backprop.rule.forward" : "backprop.rule.backward", {
          node: names[node.id],
        }),
      }),
      h("p", { text: msg(text) }),
      ...tex.map((line) => formula(line, { display: true })),
    );
    const key = `${node.source.name}:${now.phase}`;
    if (key !== shownCode) {
      shownCode = key;
      code.show(node.source.name, {
        highlight: node.source[now.phase],
        label: msg(now.phase === "forward" ? "backprop.code.forward" : "backprop.code.backward"),
      });
    }
  }

  // A new language: the numbers drawn in the graph, the rule's formulas and the error's caret line.
  onLanguageChange(() => {
    render();
    if (error) showError(error);
  });

  recompute();
  const onResize = () => graph && view.render(graph, current(), nodeNames(graph));
  window.addEventListener("resize", onResize);
  return () => {
    stopPlaying();
    typed.cancel();
    slid.cancel();
    window.removeEventListener("resize", onResize);
  };
}
