// The network's decision boundary: ŷ = σ(o) over the plane as a diverging colour field (purple
// for class 1, orange for class 0, white at ŷ = ½), with the training points as filled dots and
// the validation points as rings.
import { h } from "../../dom.js";
import { colourAt } from "../../ui/palette.js";

const CLASS_COLOURS = { 1: "rgb(84, 39, 136)", 0: "rgb(179, 88, 6)" }; // the ends of PuOr
const FIELD_STRENGTH = 0.55; // the field is the colour map mixed with white, so the points stand out

/** boundaryPlot(container, {label}) → .update({boundary, train, val}) */
export function boundaryPlot(container, { label, testid }) {
  const canvas = h("canvas", {
    class: "backprop-boundary",
    role: "img",
    "aria-label": label,
    dataset: { testid },
  });
  container.append(canvas);
  const field = document.createElement("canvas");

  function update({ boundary, train = [], val = [] }) {
    const size = Math.round(Math.min(420, Math.max(240, container.clientWidth || 320)));
    const scale = devicePixelRatio || 1;
    canvas.width = size * scale;
    canvas.height = size * scale;
    canvas.style.width = `${size}px`;
    canvas.style.height = `${size}px`;
    const context = canvas.getContext("2d");
    context.setTransform(scale, 0, 0, scale, 0, 0);
    if (boundary) {
      field.width = field.height = boundary.size;
      const fieldContext = field.getContext("2d");
      const image = fieldContext.createImageData(boundary.size, boundary.size);
      boundary.p.forEach((p, i) => {
        // p = 1 → purple (class 1), p = 0 → orange: PuOr runs purple → orange, so flip it.
        const colour = colourAt("diverging", 1 - p).map((c) => Math.round(255 + FIELD_STRENGTH * (c - 255)));
        image.data.set([...colour, 255], i * 4);
      });
      fieldContext.putImageData(image, 0, 0);
      context.imageSmoothingEnabled = true;
      context.drawImage(field, 0, 0, size, size);
    }
    const extent = boundary?.extent ?? 1.3;
    const at = (v) => ((v + extent) / (2 * extent)) * size;
    for (const [points, hollow] of [
      [train, false],
      [val, true],
    ]) {
      for (const [x1, x2, y] of points) {
        context.beginPath();
        context.arc(at(x1), size - at(x2), hollow ? 3.6 : 3.2, 0, 2 * Math.PI);
        if (hollow) {
          context.lineWidth = 2;
          context.strokeStyle = CLASS_COLOURS[y];
          context.fillStyle = "rgba(255,255,255,0.85)";
          context.fill();
          context.stroke();
        } else {
          context.fillStyle = CLASS_COLOURS[y];
          context.lineWidth = 1;
          context.strokeStyle = "white";
          context.fill();
          context.stroke();
        }
      }
    }
  }

  return { element: canvas, update };
}
