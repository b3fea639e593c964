// Convolution by im2col (and its adjoint col2im), and pooling; one thread per output element.
// The layout's `image` is (N, C, H, W): the input in the forward kernels, the input's gradient in
// the backward ones; the array read is at `in_offset` (with `image_strides` where it is the image).
import { PRELUDE, bindings, elementIndex } from "./common.js";

function geometry(L) {
  return `let N = ${L.get("image", 0)}; let Cc = ${L.get("image", 1)}; let H = ${L.get("image", 2)}; let W = ${L.get("image", 3)};
  let KH = ${L.get("kernel", 0)}; let KW = ${L.get("kernel", 1)}; let OH = ${L.get("out_size", 0)}; let OW = ${L.get("out_size", 1)};
  let sh = i32(${L.get("stride", 0)}); let sw = i32(${L.get("stride", 1)}); let ph = i32(${L.get("padding", 0)}); let pw = i32(${L.get("padding", 1)});
  let first = ${L.get("in_offset")};`;
}

// The input pixel (n, c, y, x) of a strided image view.
const pixel = (L) =>
  `X[first + n * ${L.get("image_strides", 0)} + c * ${L.get("image_strides", 1)} + u32(y) * ${L.get("image_strides", 2)} + u32(x) * ${L.get("image_strides", 3)}]`;

// The windows that read input pixel (h, w): `body` runs for each with y / sh, x / sw its output position.
const windowsOf = (body) => `
  for (var kh = 0u; kh < KH; kh++) {
    let y = i32(h) + ph - i32(kh);
    if (y < 0 || y % sh != 0 || y / sh >= i32(OH)) { continue; }
    for (var kw = 0u; kw < KW; kw++) {
      let x = i32(w) + pw - i32(kw);
      if (x < 0 || x % sw != 0 || x / sw >= i32(OW)) { continue; }
      ${body}
    }
  }`;

// The input pixels in the window of output (oh, ow), padding skipped: `body` runs for each (y, x).
const windowAt = (body) => `
  for (var kh = 0u; kh < KH; kh++) { for (var kw = 0u; kw < KW; kw++) {
    let y = i32(oh) * sh + i32(kh) - ph; let x = i32(ow) * sw + i32(kw) - pw;
    if (y < 0 || y >= i32(H) || x < 0 || x >= i32(W)) { continue; }
    ${body}
  } }`;

const OUTPUT_INDEX =
  "let ow = i % OW; let oh = (i / OW) % OH; let c = (i / (OW * OH)) % Cc; let n = i / (OW * OH * Cc);";
const INPUT_INDEX =
  "let w = i % W; let h = (i / W) % H; let c = (i / (W * H)) % Cc; let n = i / (W * H * Cc);";

function kernel(params, L, names, body) {
  return {
    bindings: names.map(([, mode]) => mode),
    code: `${PRELUDE}${bindings(names)}
@compute @workgroup_size(${params.threads})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${elementIndex(L)}
  ${geometry(L)}
  ${body}
}`,
  };
}

/** Kernel "im2col": COLS[(n, oh, ow), (c, kh, kw)] = X[n, c, oh·sh + kh − ph, ow·sw + kw − pw] (0 outside). */
export function im2col(params) {
  const L = params.layout("im2col");
  return kernel(
    params,
    L,
    [
      ["COLS", "rw"],
      ["X", "r"],
    ],
    `
  let ckk = Cc * KH * KW;
  let col = i % ckk; let rowi = i / ckk;
  let kw = col % KW; let kh = (col / KW) % KH; let c = col / (KW * KH);
  let ow = rowi % OW; let oh = (rowi / OW) % OH; let n = rowi / (OW * OH);
  let y = i32(oh) * sh + i32(kh) - ph;
  let x = i32(ow) * sw + i32(kw) - pw;
  var v = 0.0;
  if (y >= 0 && y < i32(H) && x >= 0 && x < i32(W)) { v = ${pixel(L)}; }
  COLS[i] = v;`,
  );
}

/** Kernel "col2im", the adjoint of im2col as a gather (each pixel sums the columns that read it): no
 * atomics, deterministic. DX is contiguous, and DCOLS from `in_offset` on. */
export function col2im(params) {
  const L = params.layout("col2im");
  return kernel(
    params,
    L,
    [
      ["DX", "rw"],
      ["DCOLS", "r"],
    ],
    `
  ${INPUT_INDEX}
  let ckk = Cc * KH * KW;
  var s = 0.0;
  ${windowsOf("s += DCOLS[first + ((n * OH + u32(y / sh)) * OW + u32(x / sw)) * ckk + (c * KH + kh) * KW + kw];")}
  DX[i] = s;`,
  );
}

/** Kernels "pool:max_fwd", "pool:avg_fwd" (one thread per output; max also writes the arg-max h·W + w of
 * the first largest entry, as NumPy's argmax) and "pool:max_bwd", "pool:avg_bwd" (one thread per input
 * pixel, gathering the gradients of the windows that chose it or contain it). */
export function pool(params, variant) {
  const L = params.layout("pool");
  const forward = variant.endsWith("_fwd");
  const names = forward
    ? [
        ["OUT", "rw"],
        ["X", "r"],
        ["IDX", "rw"],
      ]
    : [
        ["DX", "rw"],
        ["G", "r"],
        ["IDX", "r"],
      ];
  const gradient = "G[first + ((n * Cc + c) * OH + u32(y / sh)) * OW + u32(x / sw)]";
  const body = {
    max_fwd: `
  var best = neg_inf(); var at = -1.0;
  ${windowAt(`let v = ${pixel(L)};
    if (v > best || at < 0.0) { best = v; at = f32(u32(y) * W + u32(x)); }`)}
  OUT[i] = best; IDX[i] = at;`,
    avg_fwd: `
  var s = 0.0;
  ${windowAt(`s += ${pixel(L)};`)}
  OUT[i] = s / f32(KH * KW);`,
    max_bwd: `
  var s = 0.0;
  let me = f32(h * W + w);
  ${windowsOf(`if (IDX[((n * Cc + c) * OH + u32(y / sh)) * OW + u32(x / sw)] == me) { s += ${gradient}; }`)}
  DX[i] = s;`,
    avg_bwd: `
  var s = 0.0;
  ${windowsOf(`s += ${gradient};`)}
  DX[i] = s / f32(KH * KW);`,
  }[variant];
  if (!body) throw new Error(`unknown pooling kernel ${variant}`);
  return kernel(params, L, names, `${forward ? OUTPUT_INDEX : INPUT_INDEX}${body}`);
}
