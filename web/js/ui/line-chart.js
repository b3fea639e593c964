// Line charts (loss curves, accuracy, gradient norms) with uPlot, copied from npm by build.py.
// Series colours are colour-blind safe; the chart follows its container's width and the theme.
import uPlot from "../../vendor/uplot/uPlot.esm.js";
import { h } from "../dom.js";
import { formatNumber } from "../i18n.js";
import { SERIES_COLOURS } from "./palette.js";

/**
 * lineChart(container, {series: [label…], xLabel, yLabel, logY, height, testid})
 *   .setData(xs, ys)     ys: one array per series (null for a gap)
 *   .append(x, yRow)     add one point to every series
 *   .mark(x, label)      a labelled vertical line (e.g. the early-stopping point); mark(null) removes it
 *   .destroy()
 */
export function lineChart(container, { series, xLabel = "", yLabel = "", logY = false, height = 220, testid } = {}) {
  const root = h("div", { class: "line-chart", dataset: testid ? { testid } : {}, role: "img", "aria-label": `${yLabel} / ${xLabel}` });
  container.append(root);
  const data = [[], ...series.map(() => [])];
  let marker = null;
  const css = getComputedStyle(document.documentElement);
  const axisColour = css.getPropertyValue("--muted").trim() || "#666";
  const gridColour = css.getPropertyValue("--border").trim() || "#ddd";
  const axis = (label) => ({ label, stroke: axisColour, grid: { stroke: gridColour, width: 1 }, ticks: { stroke: gridColour } });
  const plot = new uPlot(
    {
      width: Math.max(200, root.clientWidth || container.clientWidth || 320),
      height,
      scales: { x: { time: false }, y: logY ? { distr: 3 } : {} },
      axes: [axis(xLabel), { ...axis(yLabel), values: (u, ticks) => ticks.map((v) => (logY && !isPowerOfTen(v) ? "" : formatNumber(v, { maximumSignificantDigits: 3 }))) }],
      series: [{ label: xLabel }, ...series.map((label, i) => ({ label, stroke: SERIES_COLOURS[i % SERIES_COLOURS.length], width: 2, points: { show: false } }))],
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      hooks: {
        draw: [
          (u) => {
            if (!marker) return;
            const x = u.valToPos(marker.x, "x", true);
            const { top, height: plotHeight } = u.bbox;
            u.ctx.save();
            u.ctx.strokeStyle = axisColour;
            u.ctx.setLineDash([5, 4]);
            u.ctx.beginPath();
            u.ctx.moveTo(x, top);
            u.ctx.lineTo(x, top + plotHeight);
            u.ctx.stroke();
            u.ctx.fillStyle = axisColour;
            u.ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
            u.ctx.fillText(marker.label, x + 4 * devicePixelRatio, top + 14 * devicePixelRatio);
            u.ctx.restore();
          },
        ],
      },
    },
    data,
    root,
  );
  const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, root.clientWidth), height }));
  resize.observe(root);

  return {
    element: root,
    setData(xs, ys) {
      data[0] = xs;
      ys.forEach((y, i) => (data[i + 1] = y));
      plot.setData(data);
    },
    append(x, row) {
      data[0].push(x);
      row.forEach((y, i) => data[i + 1].push(y));
      plot.setData(data);
    },
    mark(x, label = "") {
      marker = x === null ? null : { x, label };
      plot.redraw(false);
    },
    destroy() {
      resize.disconnect();
      plot.destroy();
    },
  };
}

/** A log axis labels only 10ᵏ: uPlot ticks every 1–9 × 10ᵏ, and all those labels overlap. */
function isPowerOfTen(v) {
  const k = Math.log10(v);
  return Math.abs(k - Math.round(k)) < 1e-9;
}
