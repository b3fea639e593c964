// Horizontal bars for a small set of values (class probabilities, weights): a real list, so it
// reads naturally with a screen reader, with the largest value highlighted.
import { h } from "../dom.js";
import { formatPercent, whenRelabelled } from "../i18n.js";

/**
 * barChart(container, {labels, max = 1, format, testid})
 *   .update(values, {highlight})  highlight: index of the bar to emphasise (default: the largest)
 */
export function barChart(container, { labels, max = 1, format = (v) => formatPercent(v), testid } = {}) {
  const rows = labels.map((label) => {
    const fill = h("span", { class: "bar-fill" });
    const value = h("span", { class: "bar-value" });
    const item = h(
      "li",
      { class: "bar" },
      h("span", { class: "bar-label", text: label }),
      h("span", { class: "bar-track" }, fill),
      value,
    );
    return { item, fill, value };
  });
  const list = h(
    "ul",
    { class: "bar-chart", dataset: testid ? { testid } : {} },
    rows.map((r) => r.item),
  );
  container.append(list);
  let shown = [[], {}];
  whenRelabelled(list, () => update(...shown)); // the numbers in the new language

  function update(values, { highlight } = {}) {
    shown = [values, { highlight }];
    const best = highlight ?? (values.length ? values.indexOf(Math.max(...values)) : -1);
    values.forEach((v, i) => {
      rows[i].fill.style.width = `${Math.max(0, Math.min(1, v / max)) * 100}%`;
      rows[i].value.textContent = format(v);
      rows[i].item.classList.toggle("best", i === best);
    });
    for (let i = values.length; i < rows.length; i++) {
      rows[i].fill.style.width = "0%";
      rows[i].value.textContent = "";
      rows[i].item.classList.remove("best");
    }
  }

  return { element: list, update };
}
