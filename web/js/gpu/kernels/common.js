// What every kernel's source starts with: the parameter window P (see ../kernels.js for the calling
// convention), and the bindings of its data buffers.

export const PRELUDE = /* wgsl */ `
@group(0) @binding(0) var<storage, read> P: array<u32>;
fn pf(i: u32) -> f32 { return bitcast<f32>(P[i]); }
// -inf has no WGSL literal and may not be a constant expression: built at run time.
fn neg_inf() -> f32 { var bits = 0xff800000u; return bitcast<f32>(bits); }
`;

/** The data buffers' declarations: [[name, "rw" | "r", type = "array<f32>"], …] from binding 1 on. */
export function bindings(list) {
  return list
    .map(
      ([name, mode, type = "array<f32>"], i) =>
        `@group(0) @binding(${i + 1}) var<storage, ${mode === "rw" ? "read_write" : "read"}> ${name}: ${type};`,
    )
    .join("\n");
}

/** The element `i` of a one-thread-per-element kernel, returning past the last one. */
export function elementIndex(layout) {
  return `let i = ${layout.get("base")} + gid.x;
  if (i >= ${layout.get("n")}) { return; }`;
}

/** Sum (or another associative `combine`) of `acc[0..threads)` in workgroup memory, into acc[0]. */
export function workgroupTree(threads, combine) {
  return `for (var s = ${threads / 2}u; s > 0u; s = s >> 1u) {
    if (li < s) { acc[li] = ${combine("acc[li]", "acc[li + s]")}; }
    workgroupBarrier();
  }`;
}
