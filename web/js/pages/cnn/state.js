// The CNN page's whole state in the address (see url-state.js): the digit on the board, the layer
// and feature map shown, the convolution explainer's settings, and the training settings. The
// page's controls are built from these entries (ui/controls.js): bounds and choices.
// No DOM here: Node imports this module too.
import { KERNELS } from "./convolution.js";

// The stages of LeNet-5 the layer view shows: `output` is the layer whose output is drawn (after
// ReLU for convolutions), `weights` the layer holding the parameters (names as in state_dict).
export const STAGES = [
  { id: "conv1", output: "features.1", weights: "features.0", kind: "conv" },
  { id: "pool1", output: "features.2", kind: "pool" },
  { id: "conv2", output: "features.4", weights: "features.3", kind: "conv" },
  { id: "pool2", output: "features.5", kind: "pool" },
  { id: "fc1", output: "classifier.2", weights: "classifier.1", kind: "dense" },
  { id: "fc2", output: "classifier.4", weights: "classifier.3", kind: "dense" },
  { id: "out", output: "classifier.5", weights: "classifier.5", kind: "dense" },
];

export const SCHEMA = {
  // The 28×28 digit on the board, as its link code (encoding.js); "" for an empty board.
  d: { type: "string", default: "", maxLength: 1200, pattern: /^[A-Za-z0-9_-]*$/ },
  layer: { type: "enum", default: "conv1", values: STAGES.map((stage) => stage.id) },
  // The feature map shown: one of the layer's channels (6 in conv1 and pool1, 16 in conv2 and pool2).
  ch: { type: "int", default: 0, min: 0, max: 15 },
  k: { type: "enum", default: "edge-v", values: Object.keys(KERNELS) },
  stride: { type: "int", default: 1, min: 1, max: 2, presets: [1, 2] },
  pad: { type: "enum", default: "valid", values: ["valid", "same"] },
  pool: { type: "enum", default: "max", values: ["max", "mean"] },
  mode: { type: "enum", default: "finetune", values: ["finetune", "scratch"] },
  epochs: { type: "int", default: 1, min: 1, max: 10 },
  lr: { type: "float", default: 0.002, min: 0.0001, max: 0.05, presets: [0.0005, 0.001, 0.002, 0.005, 0.01] },
  bs: { type: "int", default: 64, min: 16, max: 256, presets: [32, 64, 128] },
  seed: { type: "int", default: 0, min: 0, max: 2 ** 31 - 1 },
  aug: { type: "bool", default: true },
};

/** The training settings as the arguments of cnn_train_start. */
export function trainConfig(settings) {
  return {
    mode: settings.mode,
    seed: settings.seed,
    lr: settings.lr,
    batch_size: settings.bs,
    epochs: settings.epochs,
    augment: settings.aug,
  };
}
