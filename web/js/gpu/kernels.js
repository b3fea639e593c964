// The WGSL compute kernels of the GPU module, by name, as source generators (kernels/*.js).
//
// Every kernel has the same calling convention, so that one dispatcher (gpu.js) runs them all:
//   @binding(0)  P: array<u32>  — the parameters of this dispatch, laid out as kernel-params.json
//                                 declares for the kernel's family (floats bit-cast to u32); a
//                                 window of a per-submit "arena" buffer selected by a dynamic offset;
//   @binding(1…) the data buffers, in the order of `bindings` ("rw" = read_write, "r" = read).
// Sizes, offsets and strides are in elements (f32, or u32 for index buffers). Strided views
// (transposes, slices, broadcasts) are read in place, never copied first. Work larger than one
// dispatch allows (65535 workgroups per dimension) runs as several, each from its `base` item.

import { elementwise } from "./kernels/elementwise.js";
import { reduce, softmax } from "./kernels/reductions.js";
import { matmul } from "./kernels/matmul.js";
import { im2col, col2im, pool } from "./kernels/conv.js";
import { gather, scatter } from "./kernels/indexing.js";
import { sgd, adam } from "./kernels/optimizers.js";

const FAMILIES = {
  ew: elementwise,
  reduce,
  softmax,
  matmul,
  im2col,
  col2im,
  pool,
  gather,
  scatter,
  sgd,
  adam,
};

/**
 * `{code, bindings}` of a kernel by its name, "family[:variant[:mask]]": "ew:add", "ew:mul:10",
 * "reduce:sum", "softmax:log", "pool:max_fwd", "scatter:add", "matmul", "sgd", …
 */
export function kernel(name, params) {
  const [family, variant, mask] = name.split(":");
  if (!Object.hasOwn(FAMILIES, family)) throw new Error(`unknown kernel ${name}`);
  return FAMILIES[family](params, variant, mask);
}
