// The Backprop page's whole state in the address (see url-state.js): the expression, its
// variables' values and the step position, then every setting of the training lab and its seed.
// The lab's controls are built from these entries (ui/controls.js): bounds, steps and choices.
// No DOM here: Node imports this module too.

export const COURSE_EXPRESSION = "((x * y) + max(z, w)) * 2";
export const COURSE_VALUES = "x:3,y:-4,z:2,w:0";

const NUMBER = String.raw`-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?`;
// A variable's name: a letter and ASCII digits, as the parser (pizarra.backprop.expression) reads it.
const NAME = String.raw`[A-Za-z][0-9]*`;
// The parser's limits (pizarra.backprop.expression: MAX_LENGTH, MAX_VARIABLES).
const EXPRESSION_LENGTH = 1000;
const VARIABLES = 8;
const LONGEST_NUMBER = 25; // String(x) of a number at most: "-0.0000012345678901234567"

export const SCHEMA = {
  expr: { type: "string", default: COURSE_EXPRESSION, maxLength: EXPRESSION_LENGTH },
  // "name:value,name:value" — at most 8 variables, as the parser allows, each a finite number. The
  // names come from the expression, so together they are shorter than it: any values fit.
  vars: {
    type: "string",
    default: COURSE_VALUES,
    maxLength: EXPRESSION_LENGTH + VARIABLES * (LONGEST_NUMBER + 2),
    pattern: new RegExp(`^(${NAME}:${NUMBER})(,${NAME}:${NUMBER}){0,${VARIABLES - 1}}$|^$`, "i"),
    accepts: (raw) => Object.values(parseValues(raw)).every(Number.isFinite),
  },
  // Steps taken through the forward then the backward pass: a graph opens at step 0 (only the
  // inputs known); -1: both passes complete.
  step: { type: "int", default: 0, min: -1, max: 400 },
  data: { type: "enum", default: "rain", values: ["rain", "xor", "circles", "spirals"] },
  n: { type: "int", default: 200, min: 20, max: 1000, step: 10 },
  noise: { type: "float", default: 0.1, min: 0, max: 0.5, step: 0.01 },
  val: { type: "float", default: 0.3, min: 0.1, max: 0.5, step: 0.05 },
  depth: { type: "int", default: 2, min: 1, max: 6 },
  width: { type: "int", default: 8, min: 1, max: 32 },
  act: { type: "enum", default: "tanh", values: ["sigmoid", "tanh", "relu", "leaky_relu", "elu"] },
  init: { type: "enum", default: "xavier", values: ["xavier", "he", "small"] },
  opt: { type: "enum", default: "adam", values: ["sgd", "momentum", "adam"] },
  lr: {
    type: "float",
    default: 0.03,
    min: 0.0001,
    max: 3,
    presets: [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3],
  },
  batch: { type: "int", default: 32, min: 1, max: 1000, presets: [1, 4, 8, 16, 32, 64, 128, 1000] },
  l2: {
    type: "float",
    default: 0,
    min: 0,
    max: 0.1,
    presets: [0, 0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1],
  },
  drop: { type: "float", default: 0, min: 0, max: 0.8, step: 0.05 },
  es: { type: "bool", default: false },
  patience: { type: "int", default: 30, min: 1, max: 500 },
  seed: { type: "int", default: 1, min: 0, max: 2 ** 31 - 1 },
  // Steps trained: opening the link trains the same run again up to here.
  trained: { type: "int", default: 0, min: 0, max: 100000 },
  // The layer whose ∂L/∂W is shown: at most `depth` (the output layer), at most 6.
  layer: { type: "int", default: 0, min: 0, max: 6 },
};

/** A variable's value: any finite number in its field. */
export const VARIABLE = { type: "float" };

/** The slider of a variable at `value`: −5…5 by 0.1, or wide enough for the value (±10, ±20, ±50, ±100…). */
export function variableSlider(value) {
  let reach = 5;
  for (let i = 0; reach < Math.abs(value); i++) reach *= i % 3 === 2 ? 2.5 : 2; // 5, 10, 20, 50, 100, 200, 500…
  return { type: "float", min: -reach, max: reach, step: reach / 50 };
}

/** "x:3,y:-4" → {x: 3, y: -4} */
export function parseValues(text) {
  const values = {};
  for (const pair of text ? text.split(",") : []) {
    const [name, value] = pair.split(":");
    values[name] = Number(value);
  }
  return values;
}

/** {x: 3, y: -4} and the variables in use → "x:3,y:-4" */
export function formatValues(values, names) {
  return names.map((name) => `${name}:${values[name]}`).join(",");
}

/** The lab's settings as the fields of pizarra.backprop.lab.Config. */
export function labConfig(state) {
  return {
    dataset: state.data,
    n: state.n,
    noise: state.noise,
    validation: state.val,
    depth: state.depth,
    width: state.width,
    activation: state.act,
    init: state.init,
    optimizer: state.opt,
    lr: state.lr,
    batch_size: state.batch,
    l2: state.l2,
    dropout: state.drop,
    early_stopping: state.es,
    patience: state.patience,
    seed: state.seed,
  };
}
