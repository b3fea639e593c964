// Small pictures of numbers for the CNN page: a 28×28 input with a receptive-field frame, and
// feature maps painted onto canvases (thumbnails; the detail view uses ui/heatmap.js).
import { h } from "../../dom.js";
import { colourAt } from "../../ui/palette.js";

/** Paint a rows×cols map (flat array) on a canvas, viridis from min to max (or diverging, centred on 0). */
export function paintMap(canvas, values, rows, cols, { colormap = "viridis", min, max } = {}) {
  canvas.width = cols;
  canvas.height = rows;
  let lo = min ?? Math.min(0, ...values),
    hi = max ?? Math.max(...values, 1e-6);
  if (colormap === "diverging") hi = -(lo = -Math.max(Math.abs(lo), Math.abs(hi), 1e-6));
  const context = canvas.getContext("2d");
  const image = context.createImageData(cols, rows);
  for (let i = 0; i < rows * cols; i++)
    image.data.set([...colourAt(colormap, (values[i] - lo) / (hi - lo || 1)), 255], i * 4);
  context.putImageData(image, 0, 0);
}

/** The 28×28 input as the network sees it (white ink on black), with an optional frame. */
export function inputView(container, { label, testid }) {
  const canvas = h("canvas", {
    class: "input-canvas",
    width: 28,
    height: 28,
    role: "img",
    "aria-label": label,
  });
  const frame = h("div", { class: "field-frame", hidden: true });
  const root = h("div", { class: "input-view", dataset: testid ? { testid } : {} }, canvas, frame);
  container.append(root);
  return {
    element: root,
    draw(pixels) {
      const context = canvas.getContext("2d");
      const image = context.createImageData(28, 28);
      for (let i = 0; i < 784; i++) {
        const v = pixels ? pixels[i] : 0;
        image.data.set([v, v, v, 255], i * 4);
      }
      context.putImageData(image, 0, 0);
    },
    /** Frame input rows r0..r1 and columns c0..c1 (inclusive, clipped to the image), or hide it. */
    frame(box) {
      frame.hidden = !box;
      if (!box) return;
      const clip = (v) => Math.min(27, Math.max(0, v));
      const [r0, r1, c0, c1] = [clip(box.r0), clip(box.r1), clip(box.c0), clip(box.c1)];
      Object.assign(frame.style, {
        top: `${(r0 / 28) * 100}%`,
        left: `${(c0 / 28) * 100}%`,
        height: `${((r1 - r0 + 1) / 28) * 100}%`,
        width: `${((c1 - c0 + 1) / 28) * 100}%`,
      });
    },
  };
}
