// The WGSL compute kernels of the GPU module, as source generators.
//
// Every kernel has the same calling convention, so that one dispatcher (gpu.js) runs them all:
//   @binding(0)  P: array<u32>  — the parameters of this dispatch (64 words, a 256-byte window of a
//                                 per-submit "arena" buffer selected by a dynamic offset; floats are
//                                 passed bit-cast to u32), then
//   @binding(1…) the data buffers, in the order of `bindings` ("rw" = read_write, "r" = read).
// Sizes, offsets and strides are in elements (f32, or u32 for index buffers). Shapes of arbitrary
// rank are padded on the left to MAX_DIMS with size 1 / stride 0, so strided views (transposes,
// slices, broadcasts) are read in place, never copied first. Kernels that cover more elements than one
// dispatch may (65535 workgroups per dimension) take a `base` parameter: the caller splits the work
// into several dispatches.

export const MAX_DIMS = 6;

const PRELUDE = /* wgsl */ `
@group(0) @binding(0) var<storage, read> P: array<u32>;
fn pf(i: u32) -> f32 { return bitcast<f32>(P[i]); }
// -inf has no WGSL literal and may not be a constant expression: built at run time.
fn neg_inf() -> f32 { var bits = 0xff800000u; return bitcast<f32>(bits); }
`;

function bindings(list) {
  return list
    .map(([name, mode, type = "array<f32>"], i) =>
      `@group(0) @binding(${i + 1}) var<storage, ${mode === "rw" ? "read_write" : "read"}> ${name}: ${type};`)
    .join("\n");
}

// ---------------------------------------------------------------------------------------------
// Element-wise: OUT[view] = f(IN0[view0], …, IN3[view3], s0…s7), with NumPy broadcasting by strides.
//   P[0] n   P[1] (unused)   P[2] base   P[3] out offset   P[4..10) shape
//   P[10 + 7k] input k offset, P[11 + 7k .. 17 + 7k) input k strides   (k < 4)
//   P[40..44) scalars s0…s3 (f32)   P[44..48) scalar inputs (f32)   P[48..54) out strides
// Functions a kernel may use: the WGSL built-ins plus the safe helpers below.

const EW_HELPERS = /* wgsl */ `
fn b2f(c: bool) -> f32 { return select(0.0, 1.0, c); }
fn f2b(x: f32) -> bool { return x != 0.0; }
fn safe_tanh(x: f32) -> f32 { let e = exp(-2.0 * abs(x)); return sign(x) * (1.0 - e) / (1.0 + e); }
fn sigmoid(x: f32) -> f32 { return select(exp(x) / (1.0 + exp(x)), 1.0 / (1.0 + exp(-x)), x >= 0.0); }
fn log1pexp(x: f32) -> f32 { return max(x, 0.0) + log(1.0 + exp(-abs(x))); }
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

// The element-wise operations by name: a WGSL expression in a0…a3 (inputs) and s0…s7 (scalars).
// Booleans are stored as 0.0 / 1.0.
export const EW_OPS = {
  copy: ["a0", 1],
  fill: ["s0", 0],
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
  sigmoid: ["sigmoid(a0)", 1],
  softplus: ["log1pexp(a0)", 1],
  relu: ["max(a0, 0.0)", 1],
  where: ["select(a2, a1, f2b(a0))", 3],
  // Fused bias + activation and the activations' gradients (out = the activation's output).
  bias_relu: ["max(a0 + a1, 0.0)", 2],
  bias_tanh: ["safe_tanh(a0 + a1)", 2],
  bias_sigmoid: ["sigmoid(a0 + a1)", 2],
  relu_grad: ["select(0.0, a0, a1 > 0.0)", 2],
  tanh_grad: ["a0 * (1.0 - a1 * a1)", 2],
  sigmoid_grad: ["a0 * a1 * (1.0 - a1)", 2],
  // x * s0 + s1 (scaling by numbers without uploading them)
  affine: ["a0 * s0 + s1", 1],
};

// `mask` marks which inputs are arrays ("1") and which are numbers passed as parameters ("0",
// input k then reads the scalar P[44 + k]), so `x * 0.5` or `1 - y` upload nothing.
export function elementwise(op, mask) {
  const [expr, arity] = EW_OPS[op];
  mask = mask || "1".repeat(arity);
  const arrays = [...Array(arity).keys()].filter((k) => mask[k] === "1");
  const names = [["OUT", "rw"], ...[...Array(arity).keys()].map((k) => [`IN${k}`, "r"])];
  const offsets = arrays.map((k) => `var o${k} = P[${10 + 7 * k}];`).join(" ");
  const steps = arrays.map((k) => `o${k} += c * P[${11 + 7 * k}u + d];`).join(" ");
  const loads = [...Array(arity).keys()]
    .map((k) => (mask[k] === "1" ? `let a${k} = IN${k}[o${k}];` : `let a${k} = pf(${44 + k}u);`)).join(" ");
  const scalars = [...Array(4).keys()].map((k) => `let s${k} = pf(${40 + k}u);`).join(" ");
  // Scalar inputs keep their binding slot (bound to a dummy buffer) so every variant has one layout.
  const decls = names.map(([name, mode], i) => (i > 0 && mask[i - 1] === "0" ? [`UNUSED${i}`, mode] : [name, mode]));
  return {
    bindings: names.map(([, mode]) => mode),
    code: `${PRELUDE}${bindings(decls)}${EW_HELPERS}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = P[2] + gid.x;
  if (i >= P[0]) { return; }
  var rem = i;
  var oo = P[3];
  ${offsets}
  for (var j = 0u; j < ${MAX_DIMS}u; j++) {
    let d = ${MAX_DIMS - 1}u - j;
    let size = P[4u + d];
    let c = rem % size;
    rem = rem / size;
    oo += c * P[48u + d];
    ${steps}
  }
  ${loads}
  ${scalars}
  OUT[oo] = ${expr};
}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Reduction along axes: one workgroup per output element ("row"), a strided loop over the reduced
// ("inner") elements, then a tree in workgroup memory.
//   P[0] rows  P[1] inner count  P[2] base row  P[3] out offset  P[4..10) outer shape
//   P[10..16) outer strides  P[16..22) inner shape  P[22..28) inner strides  P[28] in offset
export function reduce(op) {
  const combine = op === "sum" ? "a + b" : op === "max" ? "max(a, b)" : "min(a, b)";
  const init = op === "sum" ? "0.0" : op === "max" ? "neg_inf()" : "-neg_inf()";
  return {
    bindings: ["rw", "r"],
    code: `${PRELUDE}${bindings([["OUT", "rw"], ["IN", "r"]])}
var<workgroup> acc: array<f32, 256>;
fn combine(a: f32, b: f32) -> f32 { return ${combine}; }
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let row = P[2] + wid.x;
  if (row >= P[0]) { return; }
  var rem = row;
  var base = P[28];
  for (var j = 0u; j < ${MAX_DIMS}u; j++) {
    let d = ${MAX_DIMS - 1}u - j;
    let c = rem % P[4u + d];
    rem = rem / P[4u + d];
    base += c * P[10u + d];
  }
  var a: f32 = ${init};
  for (var e = li; e < P[1]; e += 256u) {
    var r = e;
    var o = base;
    for (var j = 0u; j < ${MAX_DIMS}u; j++) {
      let d = ${MAX_DIMS - 1}u - j;
      let c = r % P[16u + d];
      r = r / P[16u + d];
      o += c * P[22u + d];
    }
    a = combine(a, IN[o]);
  }
  acc[li] = a;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s = s >> 1u) {
    if (li < s) { acc[li] = combine(acc[li], acc[li + s]); }
    workgroupBarrier();
  }
  if (li == 0u) { OUT[P[3] + row] = acc[0]; }
}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Batched matrix product C[b] = A[b] · B[b] (+ bias, activation), A and B as strided views, so the
// transposed variants (Aᵀ, Bᵀ) and broadcast batches cost nothing. 64×64 output tile per workgroup
// of 16×16 threads; each thread accumulates a 4×4 register block; K in steps of 16 through
// workgroup memory, stored as vec4 so that the inner loop is 2 vector loads + 4 vector FMAs.
//   P[0] M  P[1] N  P[2] K  P[3] base batch  P[4] a off  P[5] a batch stride  P[6] a row stride
//   P[7] a col stride  P[8..12) the same for B  P[12] c off  P[13] bias (0 none, 1 per column)
//   P[14] activation (0 none, 1 relu, 2 tanh, 3 sigmoid)  P[15] bias offset
export function matmul() {
  return {
    bindings: ["rw", "r", "r", "r"],
    code: `${PRELUDE}${bindings([["C", "rw"], ["A", "r"], ["B", "r"], ["BIAS", "r"]])}${EW_HELPERS}
var<workgroup> As: array<vec4<f32>, 256>;   // [k][m / 4]
var<workgroup> Bs: array<vec4<f32>, 256>;   // [k][n / 4]
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let M = P[0]; let N = P[1]; let K = P[2];
  let batch = P[3] + wid.z;
  let t = lid.y * 16u + lid.x;
  let row0 = wid.y * 64u;
  let col0 = wid.x * 64u;
  let aBase = P[4] + batch * P[5];
  let bBase = P[8] + batch * P[9];
  var acc: array<vec4<f32>, 4>;
  for (var k0 = 0u; k0 < K; k0 += 16u) {
    for (var j = 0u; j < 4u; j++) {
      let e = t + 256u * j;
      // A tile: 64 rows × 16 k; consecutive threads walk k (contiguous for row-major A).
      let r = e / 16u; let kk = e % 16u;
      var va = 0.0;
      if (row0 + r < M && k0 + kk < K) { va = A[aBase + (row0 + r) * P[6] + (k0 + kk) * P[7]]; }
      As[kk * 16u + r / 4u][r % 4u] = va;
      // B tile: 16 k × 64 columns; consecutive threads walk columns.
      let kb = e / 64u; let c = e % 64u;
      var vb = 0.0;
      if (k0 + kb < K && col0 + c < N) { vb = B[bBase + (k0 + kb) * P[10] + (col0 + c) * P[11]]; }
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
  let cBase = P[12] + batch * M * N;
  for (var i = 0u; i < 4u; i++) {
    let r = row0 + lid.y * 4u + i;
    if (r >= M) { continue; }
    for (var j = 0u; j < 4u; j++) {
      let c = col0 + lid.x * 4u + j;
      if (c >= N) { continue; }
      var v = acc[i][j];
      if (P[13] == 1u) { v += BIAS[P[15] + c]; }
      switch (P[14]) {
        case 1u: { v = max(v, 0.0); }
        case 2u: { v = safe_tanh(v); }
        case 3u: { v = sigmoid(v); }
        default: {}
      }
      C[cBase + r * N + c] = v;
    }
  }
}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Convolution by im2col: COLS[(n, oh, ow), (c, kh, kw)] = X[n, c, oh·sh + kh − ph, ow·sw + kw − pw].
//   P[0] total  P[2] base  P[3] x off  P[4..8) N C H W  P[8..12) x strides  P[12] KH P[13] KW
//   P[14] OH P[15] OW P[16] sh P[17] sw P[18] ph P[19] pw
const CONV_GEOMETRY = /* wgsl */ `
  let N = P[4]; let Cc = P[5]; let H = P[6]; let W = P[7];
  let KH = P[12]; let KW = P[13]; let OH = P[14]; let OW = P[15];
  let sh = i32(P[16]); let sw = i32(P[17]); let ph = i32(P[18]); let pw = i32(P[19]);
`;

export function im2col() {
  return {
    bindings: ["rw", "r"],
    code: `${PRELUDE}${bindings([["COLS", "rw"], ["X", "r"]])}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = P[2] + gid.x;
  if (i >= P[0]) { return; }
  ${CONV_GEOMETRY}
  let ckk = Cc * KH * KW;
  let col = i % ckk; let rowi = i / ckk;
  let kw = col % KW; let kh = (col / KW) % KH; let c = col / (KW * KH);
  let ow = rowi % OW; let oh = (rowi / OW) % OH; let n = rowi / (OW * OH);
  let ih = i32(oh) * sh + i32(kh) - ph;
  let iw = i32(ow) * sw + i32(kw) - pw;
  var v = 0.0;
  if (ih >= 0 && ih < i32(H) && iw >= 0 && iw < i32(W)) {
    v = X[P[3] + n * P[8] + c * P[9] + u32(ih) * P[10] + u32(iw) * P[11]];
  }
  COLS[i] = v;
}`,
  };
}

// The adjoint of im2col, written as a gather (each input pixel sums the columns that read it), so it
// needs no atomics and is deterministic. DX is contiguous (N, C, H, W); DCOLS contiguous.
export function col2im() {
  return {
    bindings: ["rw", "r"],
    code: `${PRELUDE}${bindings([["DX", "rw"], ["DCOLS", "r"]])}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = P[2] + gid.x;
  if (i >= P[0]) { return; }
  ${CONV_GEOMETRY}
  let w = i % W; let h = (i / W) % H; let c = (i / (W * H)) % Cc; let n = i / (W * H * Cc);
  let ckk = Cc * KH * KW;
  var s = 0.0;
  for (var kh = 0u; kh < KH; kh++) {
    let y = i32(h) + ph - i32(kh);
    if (y < 0 || y % sh != 0 || y / sh >= i32(OH)) { continue; }
    for (var kw = 0u; kw < KW; kw++) {
      let x = i32(w) + pw - i32(kw);
      if (x < 0 || x % sw != 0 || x / sw >= i32(OW)) { continue; }
      let rowi = (n * OH + u32(y / sh)) * OW + u32(x / sw);
      s += DCOLS[rowi * ckk + (c * KH + kh) * KW + kw];
    }
  }
  DX[i] = s;
}`,
  };
}

// Pooling. Forward: one thread per output (N, C, OH, OW); max also writes the arg-max (h·W + w of
// the first largest entry, as NumPy's argmax) into IDX. Backward: one thread per input pixel,
// gathering the gradients of the windows that chose it (max) or contain it (average).
export function pool(kind) {
  const forward = kind === "max_fwd" || kind === "avg_fwd";
  const names = forward
    ? [["OUT", "rw"], ["X", "r"], ["IDX", "rw"]]
    : [["DX", "rw"], ["G", "r"], ["IDX", "r"]];
  const body = {
    max_fwd: `
  var best = neg_inf(); var at = -1.0;
  for (var kh = 0u; kh < KH; kh++) { for (var kw = 0u; kw < KW; kw++) {
    let y = i32(oh) * sh + i32(kh) - ph; let x = i32(ow) * sw + i32(kw) - pw;
    if (y < 0 || y >= i32(H) || x < 0 || x >= i32(W)) { continue; }
    let v = X[P[3] + n * P[8] + c * P[9] + u32(y) * P[10] + u32(x) * P[11]];
    if (v > best || at < 0.0) { best = v; at = f32(u32(y) * W + u32(x)); }
  } }
  OUT[i] = best; IDX[i] = at;`,
    avg_fwd: `
  var s = 0.0;
  for (var kh = 0u; kh < KH; kh++) { for (var kw = 0u; kw < KW; kw++) {
    let y = i32(oh) * sh + i32(kh) - ph; let x = i32(ow) * sw + i32(kw) - pw;
    if (y < 0 || y >= i32(H) || x < 0 || x >= i32(W)) { continue; }
    s += X[P[3] + n * P[8] + c * P[9] + u32(y) * P[10] + u32(x) * P[11]];
  } }
  OUT[i] = s / f32(KH * KW);`,
    max_bwd: `
  var s = 0.0;
  let me = f32(h * W + w);
  for (var kh = 0u; kh < KH; kh++) {
    let y = i32(h) + ph - i32(kh);
    if (y < 0 || y % sh != 0 || y / sh >= i32(OH)) { continue; }
    for (var kw = 0u; kw < KW; kw++) {
      let x = i32(w) + pw - i32(kw);
      if (x < 0 || x % sw != 0 || x / sw >= i32(OW)) { continue; }
      let o = ((n * Cc + c) * OH + u32(y / sh)) * OW + u32(x / sw);
      if (IDX[o] == me) { s += G[P[3] + o]; }
    }
  }
  DX[i] = s;`,
    avg_bwd: `
  var s = 0.0;
  for (var kh = 0u; kh < KH; kh++) {
    let y = i32(h) + ph - i32(kh);
    if (y < 0 || y % sh != 0 || y / sh >= i32(OH)) { continue; }
    for (var kw = 0u; kw < KW; kw++) {
      let x = i32(w) + pw - i32(kw);
      if (x < 0 || x % sw != 0 || x / sw >= i32(OW)) { continue; }
      s += G[P[3] + ((n * Cc + c) * OH + u32(y / sh)) * OW + u32(x / sw)];
    }
  }
  DX[i] = s / f32(KH * KW);`,
  }[kind];
  const index = forward
    ? "let ow = i % OW; let oh = (i / OW) % OH; let c = (i / (OW * OH)) % Cc; let n = i / (OW * OH * Cc);"
    : "let w = i % W; let h = (i / W) % H; let c = (i / (W * H)) % Cc; let n = i / (W * H * Cc);";
  return {
    bindings: names.map(([, mode]) => mode),
    code: `${PRELUDE}${bindings(names)}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = P[2] + gid.x;
  if (i >= P[0]) { return; }
  ${CONV_GEOMETRY}
  ${index}
  ${body}
}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Row softmax / log-softmax: one workgroup per row (max, then Σ exp, then the outputs).
//   P[0] rows  P[1] cols  P[2] base row  P[3] in off  P[4] in row stride  P[5] in col stride
//   P[6] out off (out is contiguous rows × cols)
export function softmax(log) {
  return {
    bindings: ["rw", "r"],
    code: `${PRELUDE}${bindings([["OUT", "rw"], ["IN", "r"]])}
var<workgroup> red: array<f32, 256>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let row = P[2] + wid.x;
  if (row >= P[0]) { return; }
  let cols = P[1];
  let base = P[3] + row * P[4];
  var m = neg_inf();
  for (var j = li; j < cols; j += 256u) { m = max(m, IN[base + j * P[5]]); }
  red[li] = m;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s = s >> 1u) {
    if (li < s) { red[li] = max(red[li], red[li + s]); }
    workgroupBarrier();
  }
  m = red[0];
  workgroupBarrier();
  var z = 0.0;
  for (var j = li; j < cols; j += 256u) { z += exp(IN[base + j * P[5]] - m); }
  red[li] = z;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s = s >> 1u) {
    if (li < s) { red[li] = red[li] + red[li + s]; }
    workgroupBarrier();
  }
  z = red[0];
  for (var j = li; j < cols; j += 256u) {
    let v = IN[base + j * P[5]] - m;
    OUT[P[6] + row * cols + j] = ${log ? "v - log(z)" : "exp(v) / z"};
  }
}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Gather / scatter by precomputed element offsets (advanced indexing, embedding rows):
//   gather:       OUT[i] = SRC[OFFS[i]]
//   scatter_add:  DST[OFFS[i]] += VAL[P[3] + i]   (f32 add by compare-and-swap: repeated indices add up)
//   scatter:      DST[OFFS[i]]  = VAL[P[3] + i]
//   P[0] n  P[2] base  P[3] value offset
export function gather() {
  return {
    bindings: ["rw", "r", "r"],
    code: `${PRELUDE}${bindings([["OUT", "rw"], ["SRC", "r"], ["OFFS", "r", "array<u32>"]])}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = P[2] + gid.x;
  if (i >= P[0]) { return; }
  OUT[i] = SRC[OFFS[i]];
}`,
  };
}

export function scatter(add) {
  const names = [["DST", "rw", add ? "array<atomic<u32>>" : "array<f32>"], ["VAL", "r"], ["OFFS", "r", "array<u32>"]];
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
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = P[2] + gid.x;
  if (i >= P[0]) { return; }
  let o = OFFS[i];
  let v = VAL[P[3] + i];
  ${store}
}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Optimiser updates, in place on contiguous buffers (PyTorch's formulas, see pizarra.optim).
// SGD:  P[0] n P[2] base P[4] lr P[5] momentum P[6] dampening P[7] weight decay P[8] nesterov
//       P[9] first step (the buffer starts as g)
// Adam: P[0] n P[2] base P[4] lr P[5] β1 P[6] β2 P[7] ε P[8] weight decay P[9] 1-β1ᵗ P[10] 1-β2ᵗ
export function sgd() {
  return {
    bindings: ["rw", "r", "rw"],
    code: `${PRELUDE}${bindings([["THETA", "rw"], ["GRAD", "r"], ["BUF", "rw"]])}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = P[2] + gid.x;
  if (i >= P[0]) { return; }
  let lr = pf(4u); let mu = pf(5u); let damp = pf(6u); let wd = pf(7u);
  let theta = THETA[i];
  var g = GRAD[i] + wd * theta;
  if (mu != 0.0) {
    var b = g;
    if (P[9] == 0u) { b = mu * BUF[i] + (1.0 - damp) * g; }
    BUF[i] = b;
    g = select(b, g + mu * b, P[8] == 1u);
  }
  THETA[i] = theta - lr * g;
}`,
  };
}

export function adam() {
  return {
    bindings: ["rw", "r", "rw", "rw"],
    code: `${PRELUDE}${bindings([["THETA", "rw"], ["GRAD", "r"], ["M", "rw"], ["V", "rw"]])}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = P[2] + gid.x;
  if (i >= P[0]) { return; }
  let lr = pf(4u); let b1 = pf(5u); let b2 = pf(6u); let eps = pf(7u); let wd = pf(8u);
  let theta = THETA[i];
  let g = GRAD[i] + wd * theta;
  let m = b1 * M[i] + (1.0 - b1) * g;
  let v = b2 * V[i] + (1.0 - b2) * g * g;
  M[i] = m; V[i] = v;
  THETA[i] = theta - lr * (m / pf(9u)) / (sqrt(v / pf(10u)) + eps);
}`,
  };
}

/** The source generator of a kernel by its name, e.g. "ew:add", "reduce:sum", "matmul". */
export function kernel(name) {
  const [family, variant, mask] = name.split(":");
  switch (family) {
    case "ew": return elementwise(variant, mask);
    case "reduce": return reduce(variant);
    case "matmul": return matmul();
    case "im2col": return im2col();
    case "col2im": return col2im();
    case "pool": return pool(variant);
    case "softmax": return softmax(variant === "log");
    case "gather": return gather();
    case "scatter": return scatter(variant === "add");
    case "sgd": return sgd();
    case "adam": return adam();
    default: throw new Error(`unknown kernel ${name}`);
  }
}
