// Element-wise kernels: OUT[view] = f(IN0[view0], IN1[view1], IN2[view2]) with NumPy broadcasting
// by strides, one thread per output element. Each input is an array read through its own strides or
// a number passed as a parameter (`mask`), so `x * 0.5` or `1 - y` upload nothing.
import { PRELUDE, bindings, elementIndex } from "./common.js";

const HELPERS = /* wgsl */ `
fn b2f(c: bool) -> f32 { return select(0.0, 1.0, c); }
fn f2b(x: f32) -> bool { return x != 0.0; }
fn safe_tanh(x: f32) -> f32 { let e = exp(-2.0 * abs(x)); return sign(x) * (1.0 - e) / (1.0 + e); }
fn logaddexp(a: f32, b: f32) -> f32 {
  let m = max(a, b);
  if (m == neg_inf()) { return neg_inf(); }
  return m + log(1.0 + exp(-abs(a - b)));
}
fn fpow(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (b == 1.0) { return a; }
  if (b == 2.0) { return a * a; }
  if (b == round(b)) {
    let r = pow(abs(a), b);
    return select(r, -r, a < 0.0 && abs(b % 2.0) == 1.0);
  }
  return pow(a, b);
}
fn fsign(x: f32) -> f32 { return select(select(0.0, -1.0, x < 0.0), 1.0, x > 0.0); }
`;

// The operations by name (the names pizarra.backend.numpy_protocol uses): a WGSL expression in the
// inputs a0, a1, a2 (and `fill_value`), and the number of inputs. Booleans are stored as 0.0 / 1.0.
export const OPERATIONS = {
  copy: ["a0", 1],
  fill: ["fill_value", 0],
  add: ["a0 + a1", 2],
  sub: ["a0 - a1", 2],
  mul: ["a0 * a1", 2],
  div: ["a0 / a1", 2],
  pow: ["fpow(a0, a1)", 2],
  maximum: ["max(a0, a1)", 2],
  minimum: ["min(a0, a1)", 2],
  logaddexp: ["logaddexp(a0, a1)", 2],
  gt: ["b2f(a0 > a1)", 2],
  ge: ["b2f(a0 >= a1)", 2],
  lt: ["b2f(a0 < a1)", 2],
  le: ["b2f(a0 <= a1)", 2],
  eq: ["b2f(a0 == a1)", 2],
  ne: ["b2f(a0 != a1)", 2],
  and: ["b2f(f2b(a0) && f2b(a1))", 2],
  or: ["b2f(f2b(a0) || f2b(a1))", 2],
  xor: ["b2f(f2b(a0) != f2b(a1))", 2],
  not: ["b2f(!f2b(a0))", 1],
  neg: ["-a0", 1],
  exp: ["exp(a0)", 1],
  expm1: ["exp(a0) - 1.0", 1],
  log: ["log(a0)", 1],
  log1p: ["log(1.0 + a0)", 1],
  sqrt: ["sqrt(a0)", 1],
  abs: ["abs(a0)", 1],
  sign: ["fsign(a0)", 1],
  square: ["a0 * a0", 1],
  reciprocal: ["1.0 / a0", 1],
  tanh: ["safe_tanh(a0)", 1],
  where: ["select(a2, a1, f2b(a0))", 3],
};

/** Kernel "ew:<op>" or "ew:<op>:<mask>": mask "10" = input 0 an array, input 1 a number. */
export function elementwise(params, op, mask) {
  if (!(op in OPERATIONS)) throw new Error(`unknown element-wise operation ${op}`);
  const L = params.layout("ew");
  const [expression, arity] = OPERATIONS[op];
  const inputs = [...Array(arity).keys()];
  const isArray = (k) => (mask || "1".repeat(arity))[k] === "1";
  // A number input keeps its binding slot (bound to a dummy buffer) so every variant has one layout.
  const declared = [["OUT", "rw"], ...inputs.map((k) => [isArray(k) ? `IN${k}` : `UNUSED${k}`, "r"])];
  const arrays = inputs.filter(isArray);
  const offsets = arrays.map((k) => `var o${k} = ${L.get("in_offsets", k)};`).join(" ");
  const steps = arrays.map((k) => `o${k} += c * ${L.get("in_strides", "d", k)};`).join(" ");
  const loads = inputs.map((k) =>
    isArray(k) ? `let a${k} = IN${k}[o${k}];` : `let a${k} = ${L.get("numbers", k)};`,
  );
  return {
    bindings: declared.map(([, mode]) => mode),
    code: `${PRELUDE}${bindings(declared)}${HELPERS}
@compute @workgroup_size(${params.threads})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${elementIndex(L)}
  var rem = i;
  var oo = ${L.get("out_offset")};
  ${offsets}
  for (var j = 0u; j < ${params.dims}u; j++) {
    let d = ${params.dims - 1}u - j;
    let size = ${L.get("shape", "d")};
    let c = rem % size;
    rem = rem / size;
    oo += c * ${L.get("out_strides", "d")};
    ${steps}
  }
  ${loads.join(" ")}
  let fill_value = ${L.get("fill_value")};
  OUT[oo] = ${expression};
}`,
  };
}
