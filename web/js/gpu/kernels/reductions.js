// Reductions along axes and row softmax: one workgroup per output row, its threads walking the row
// with a stride, then a tree in workgroup memory.
import { PRELUDE, bindings, workgroupTree } from "./common.js";

const COMBINE = {
  sum: (a, b) => `${a} + ${b}`,
  max: (a, b) => `max(${a}, ${b})`,
  min: (a, b) => `min(${a}, ${b})`,
};
const IDENTITY = { sum: "0.0", max: "neg_inf()", min: "-neg_inf()" };

// A kernel of one workgroup per row: `body` sees `row`, its thread `li` and workgroup memory `acc`.
function rowKernel(params, L, body) {
  return {
    bindings: ["rw", "r"],
    code: `${PRELUDE}${bindings([
      ["OUT", "rw"],
      ["IN", "r"],
    ])}
var<workgroup> acc: array<f32, ${params.threads}>;
@compute @workgroup_size(${params.threads})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let row = ${L.get("base")} + wid.x;
  if (row >= ${L.get("rows")}) { return; }
  ${body}
}`,
  };
}

/** Kernel "reduce:<sum|max|min>": OUT[row] = combine over the inner (reduced) elements of that row. */
export function reduce(params, op) {
  if (!(op in COMBINE)) throw new Error(`unknown reduction ${op}`);
  const L = params.layout("reduce");
  const { dims, threads } = params;
  return rowKernel(
    params,
    L,
    `var rem = row;
  var first = ${L.get("in_offset")};
  for (var j = 0u; j < ${dims}u; j++) {
    let d = ${dims - 1}u - j;
    let c = rem % ${L.get("outer_shape", "d")};
    rem = rem / ${L.get("outer_shape", "d")};
    first += c * ${L.get("outer_strides", "d")};
  }
  var a: f32 = ${IDENTITY[op]};
  for (var e = li; e < ${L.get("inner")}; e += ${threads}u) {
    var r = e;
    var o = first;
    for (var j = 0u; j < ${dims}u; j++) {
      let d = ${dims - 1}u - j;
      let c = r % ${L.get("inner_shape", "d")};
      r = r / ${L.get("inner_shape", "d")};
      o += c * ${L.get("inner_strides", "d")};
    }
    a = ${COMBINE[op]("a", "IN[o]")};
  }
  acc[li] = a;
  workgroupBarrier();
  ${workgroupTree(threads, COMBINE[op])}
  if (li == 0u) { OUT[${L.get("out_offset")} + row] = acc[0]; }`,
  );
}

/** Kernel "softmax" or "softmax:log" along rows (max, then Σ exp, then the outputs); OUT is contiguous. */
export function softmax(params, variant) {
  const L = params.layout("softmax");
  const { threads } = params;
  const input = (j) => `IN[first + ${j} * ${L.get("col_stride")}]`;
  return rowKernel(
    params,
    L,
    `let cols = ${L.get("cols")};
  let first = ${L.get("in_offset")} + row * ${L.get("row_stride")};
  var m = neg_inf();
  for (var j = li; j < cols; j += ${threads}u) { m = max(m, ${input("j")}); }
  acc[li] = m;
  workgroupBarrier();
  ${workgroupTree(threads, COMBINE.max)}
  m = acc[0];
  workgroupBarrier();
  var z = 0.0;
  for (var j = li; j < cols; j += ${threads}u) { z += exp(${input("j")} - m); }
  acc[li] = z;
  workgroupBarrier();
  ${workgroupTree(threads, COMBINE.sum)}
  z = acc[0];
  for (var j = li; j < cols; j += ${threads}u) {
    let v = ${input("j")} - m;
    OUT[${L.get("out_offset")} + row * cols + j] = ${variant === "log" ? "v - log(z)" : "exp(v) / z"};
  }`,
  );
}
