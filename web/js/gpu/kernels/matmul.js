// Batched matrix product C[b] = A[b] · B[b] (+ bias per column), A and B read as strided views, so
// transposed operands (Aᵀ, Bᵀ) and broadcast batches cost nothing. A 64×64 output tile per
// workgroup of 16×16 threads; each thread accumulates a 4×4 block; K in steps of 16 through
// workgroup memory, stored as vec4 so that the inner loop is 2 vector loads and 4 vector FMAs.
// Workgroups: x over column tiles, y over row tiles, z over batches.
import { PRELUDE, bindings } from "./common.js";

const TILE = 64;

/** Kernel "matmul"; C is contiguous (batch, M, N). */
export function matmul(params) {
  if (params.tile !== TILE)
    throw new Error(`the matmul kernel is written for ${TILE}×${TILE} tiles, not ${params.tile}`);
  const L = params.layout("matmul");
  const get = (field) => L.get(field);
  return {
    bindings: ["rw", "r", "r", "r"],
    code: `${PRELUDE}${bindings([
      ["C", "rw"],
      ["A", "r"],
      ["B", "r"],
      ["BIAS", "r"],
    ])}
var<workgroup> As: array<vec4<f32>, 256>;   // [k][m / 4]
var<workgroup> Bs: array<vec4<f32>, 256>;   // [k][n / 4]
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let M = ${get("m")}; let N = ${get("n")}; let K = ${get("k")};
  let batch = ${get("base")} + wid.z;
  let t = lid.y * 16u + lid.x;
  let row0 = wid.y * 64u;
  let col0 = wid.x * 64u;
  let aBase = ${get("a_offset")} + batch * ${get("a_batch_stride")};
  let bBase = ${get("b_offset")} + batch * ${get("b_batch_stride")};
  let aRow = ${get("a_row_stride")}; let aCol = ${get("a_col_stride")};
  let bRow = ${get("b_row_stride")}; let bCol = ${get("b_col_stride")};
  var acc: array<vec4<f32>, 4>;
  for (var k0 = 0u; k0 < K; k0 += 16u) {
    for (var j = 0u; j < 4u; j++) {
      let e = t + 256u * j;
      // A tile: 64 rows × 16 k; consecutive threads walk k (contiguous for row-major A).
      let r = e / 16u; let kk = e % 16u;
      var va = 0.0;
      if (row0 + r < M && k0 + kk < K) { va = A[aBase + (row0 + r) * aRow + (k0 + kk) * aCol]; }
      As[kk * 16u + r / 4u][r % 4u] = va;
      // B tile: 16 k × 64 columns; consecutive threads walk columns.
      let kb = e / 64u; let c = e % 64u;
      var vb = 0.0;
      if (k0 + kb < K && col0 + c < N) { vb = B[bBase + (k0 + kb) * bRow + (col0 + c) * bCol]; }
      Bs[kb * 16u + c / 4u][c % 4u] = vb;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < 16u; kk++) {
      let a = As[kk * 16u + lid.y];
      let b = Bs[kk * 16u + lid.x];
      acc[0] += a.x * b; acc[1] += a.y * b; acc[2] += a.z * b; acc[3] += a.w * b;
    }
    workgroupBarrier();
  }
  let cBase = ${get("c_offset")} + batch * M * N;
  for (var i = 0u; i < 4u; i++) {
    let r = row0 + lid.y * 4u + i;
    if (r >= M) { continue; }
    for (var j = 0u; j < 4u; j++) {
      let c = col0 + lid.x * 4u + j;
      if (c >= N) { continue; }
      var v = acc[i][j];
      if (${get("has_bias")} == 1u) { v += BIAS[${get("bias_offset")} + c]; }
      C[cBase + r * N + c] = v;
    }
  }
}`,
  };
}
