// The lab's two curves: the training and validation loss per epoch (with the early-stopping
// epoch marked), and the gradient norm of every layer per step on a log axis.
import { h } from "../../dom.js";
import { msg } from "../../i18n.js";
import { lineChart } from "../../ui/line-chart.js";

const MAX_CHART_POINTS = 2000;

/** labCharts({depth}) → {element, setLayers(layers), update(run), ghost(), destroy()} */
export function labCharts({ depth }) {
  const lossBox = h("div", { class: "backprop-chart" });
  const gradBox = h("div", { class: "backprop-chart" });
  const lossChart = lineChart(lossBox, {
    series: [msg("backprop.lab.loss.train"), msg("backprop.lab.loss.val")],
    xLabel: msg("backprop.lab.epoch"),
    yLabel: msg("backprop.lab.loss"),
    testid: "loss-chart",
  });
  const gradSeries = (layers) => layers.map((_, i) => `‖∂J/∂W${subscript(i + 1)}‖`);
  const gradChart = lineChart(gradBox, {
    series: gradSeries(Array(depth + 1)),
    xLabel: msg("backprop.lab.step.axis"),
    yLabel: "‖∂J/∂W‖",
    logY: true,
    testid: "grad-chart",
  });

  const element = h(
    "div",
    { class: "backprop-charts" },
    h(
      "section",
      { "aria-labelledby": "backprop-loss-heading" },
      h("h3", { id: "backprop-loss-heading", text: msg("backprop.lab.loss.heading") }),
      h("p", { class: "backprop-help", text: msg("backprop.lab.loss.help") }),
      lossBox,
    ),
    h(
      "section",
      { "aria-labelledby": "backprop-grad-heading" },
      h("h3", { id: "backprop-grad-heading", text: msg("backprop.lab.grads.heading") }),
      h("p", { class: "backprop-help", text: msg("backprop.lab.grads.help") }),
      gradBox,
    ),
  );

  /** Draw a run's curves: run = {epochs, norms, stopped, best, data: {layers}}. */
  function update(run) {
    lossChart.setData(
      run.epochs.map((e) => e.epoch),
      [run.epochs.map((e) => e.train_loss), run.epochs.map((e) => e.val_loss)],
    );
    lossChart.mark(run.stopped && run.best ? run.best : null, msg("backprop.lab.best"));
    const stride = Math.ceil(run.norms.length / MAX_CHART_POINTS) || 1;
    const rows = run.norms.filter((_, i) => i % stride === 0);
    gradChart.setData(
      rows.map((_, i) => i * stride + 1),
      run.data.layers.map((_, l) => rows.map((row) => (row[l] > 0 ? row[l] : null))),
    );
  }

  return {
    element,
    update,
    setLayers: (layers) => gradChart.setSeries(gradSeries(layers)),
    /** Keep the curves drawn so far, faded, under the next run's. */
    ghost() {
      lossChart.ghost();
      gradChart.ghost();
    },
    destroy() {
      lossChart.destroy();
      gradChart.destroy();
    },
  };
}

function subscript(n) {
  return String(n).replace(/\d/g, (d) => "₀₁₂₃₄₅₆₇₈₉"[d]);
}
