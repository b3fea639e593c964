// The drawing surface: chalk on a blackboard, for mouse, touch and pen (Pointer Events), with
// undo and clear. It keeps the strokes as points in [0, 1]² (so any screen size draws the same
// digit), and can start from a loaded 28×28 digit (a link, a test digit) that strokes add to.
import { h } from "../../dom.js";

const PEN = 0.075; // stroke width, as a fraction of the side: about MNIST's width for a digit filling ~60%

/**
 * drawingPad(container, {label, onChange(phase)})   phase: "move" while drawing, "end" after a
 * stroke, undo or clear.
 *   .raster(size) → Uint8Array(size²) of ink (0–255)   .isEmpty()   .hasStrokes()
 *   .setDigit(pixels28 | null)   .undo()   .clear()
 */
export function drawingPad(container, { label, onChange }) {
  const canvas = h("canvas", {
    class: "pad-canvas",
    tabindex: "0",
    role: "img",
    "aria-label": label,
    dataset: { testid: "digit-canvas" },
  });
  container.append(canvas);
  const strokes = [];
  let current = null;
  let digit = null; // a loaded 28×28 digit (Uint8Array) under the strokes, or null

  function digitImage() {
    const small = document.createElement("canvas");
    small.width = small.height = 28;
    const image = small.getContext("2d").createImageData(28, 28);
    digit.forEach((v, i) => image.data.set([255, 255, 255, v], i * 4));
    small.getContext("2d").putImageData(image, 0, 0);
    return small;
  }

  function paint(context, side, colour) {
    context.clearRect(0, 0, side, side);
    if (digit) {
      context.imageSmoothingEnabled = true;
      context.drawImage(digitImage(), 0, 0, side, side);
    }
    context.strokeStyle = colour;
    context.fillStyle = colour;
    context.lineWidth = PEN * side;
    context.lineCap = context.lineJoin = "round";
    for (const stroke of strokes) {
      context.beginPath();
      if (stroke.length === 1) {
        context.arc(stroke[0][0] * side, stroke[0][1] * side, (PEN * side) / 2, 0, 2 * Math.PI);
        context.fill();
        continue;
      }
      stroke.forEach(([x, y], i) =>
        i ? context.lineTo(x * side, y * side) : context.moveTo(x * side, y * side),
      );
      context.stroke();
    }
  }

  function render() {
    const box = canvas.getBoundingClientRect();
    const side = Math.round((box.width || 280) * devicePixelRatio);
    if (canvas.width !== side) canvas.width = canvas.height = side;
    paint(canvas.getContext("2d"), side, getComputedStyle(canvas).color || "#fff");
  }

  function point(event) {
    const box = canvas.getBoundingClientRect();
    return [
      Math.min(1, Math.max(0, (event.clientX - box.left) / box.width)),
      Math.min(1, Math.max(0, (event.clientY - box.top) / box.height)),
    ];
  }

  canvas.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    current = [point(event)];
    strokes.push(current);
    render();
    onChange("move");
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!current) return;
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
    for (const e of events.length ? events : [event]) current.push(point(e));
    render();
    onChange("move");
  });
  const finish = () => {
    if (!current) return;
    current = null;
    onChange("end");
  };
  canvas.addEventListener("pointerup", finish);
  canvas.addEventListener("pointercancel", finish);
  canvas.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "z") api.undo();
    else if (event.key === "Delete" || event.key === "Backspace") api.clear();
    else return;
    event.preventDefault();
  });
  const resize = new ResizeObserver(render);
  resize.observe(canvas);

  const api = {
    element: canvas,
    raster(size) {
      const off = document.createElement("canvas");
      off.width = off.height = size;
      const context = off.getContext("2d", { willReadFrequently: true });
      paint(context, size, "#fff");
      const rgba = context.getImageData(0, 0, size, size).data;
      const ink = new Uint8Array(size * size);
      for (let i = 0; i < ink.length; i++) ink[i] = rgba[i * 4 + 3];
      return ink;
    },
    isEmpty: () => strokes.length === 0 && !(digit && digit.some((v) => v > 0)),
    hasStrokes: () => strokes.length > 0,
    digit: () => digit,
    setDigit(pixels) {
      strokes.length = 0;
      digit = pixels ? Uint8Array.from(pixels) : null;
      render();
    },
    undo() {
      if (!strokes.length) return;
      strokes.pop();
      render();
      onChange("end");
    },
    clear() {
      strokes.length = 0;
      digit = null;
      render();
      onChange("end");
    },
    destroy: () => resize.disconnect(),
  };
  render();
  return api;
}
