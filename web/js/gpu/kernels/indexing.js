// Gather and scatter by precomputed element offsets (advanced indexing, embedding rows):
//   gather:       OUT[i] = SRC[OFFS[i]]
//   scatter:      DST[OFFS[i]]  = VAL[value_offset + i]
//   scatter:add   DST[OFFS[i]] += VAL[value_offset + i]   (f32 add by compare-and-swap: repeated offsets add up)
import { PRELUDE, bindings, elementIndex } from "./common.js";

/** Kernel "gather". */
export function gather(params) {
  const L = params.layout("gather");
  return {
    bindings: ["rw", "r", "r"],
    code: `${PRELUDE}${bindings([
      ["OUT", "rw"],
      ["SRC", "r"],
      ["OFFS", "r", "array<u32>"],
    ])}
@compute @workgroup_size(${params.threads})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${elementIndex(L)}
  OUT[i] = SRC[OFFS[i]];
}`,
  };
}

/** Kernel "scatter" or "scatter:add". */
export function scatter(params, variant) {
  const L = params.layout("scatter");
  const add = variant === "add";
  const names = [
    ["DST", "rw", add ? "array<atomic<u32>>" : "array<f32>"],
    ["VAL", "r"],
    ["OFFS", "r", "array<u32>"],
  ];
  const store = add
    ? `loop {
    let old = atomicLoad(&DST[o]);
    let next = bitcast<u32>(bitcast<f32>(old) + v);
    if (atomicCompareExchangeWeak(&DST[o], old, next).exchanged) { break; }
  }`
    : "DST[o] = v;";
  return {
    bindings: ["rw", "r", "r"],
    code: `${PRELUDE}${bindings(names)}
@compute @workgroup_size(${params.threads})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${elementIndex(L)}
  let o = OFFS[i];
  let v = VAL[${L.get("value_offset")} + i];
  ${store}
}`,
  };
}
