// The optimisers' updates, one fused kernel each, in place on contiguous buffers (each from its
// offset): PyTorch's formulas as pizarra.optim states them (SGD with momentum, dampening, Nesterov,
// weight decay; Adam).
import { PRELUDE, bindings, elementIndex } from "./common.js";

/** Kernel "sgd": θ ← θ − lr·g with g = ∇ + λθ through the momentum buffer b (the first step sets b = g). */
export function sgd(params) {
  const L = params.layout("sgd");
  return {
    bindings: ["rw", "r", "rw"],
    code: `${PRELUDE}${bindings([
      ["THETA", "rw"],
      ["GRAD", "r"],
      ["BUF", "rw"],
    ])}
@compute @workgroup_size(${params.threads})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${elementIndex(L)}
  let t = ${L.get("theta_offset")} + i; let b = ${L.get("buffer_offset")} + i;
  let lr = ${L.get("lr")}; let mu = ${L.get("momentum")}; let damp = ${L.get("dampening")}; let wd = ${L.get("weight_decay")};
  let theta = THETA[t];
  var g = GRAD[${L.get("grad_offset")} + i] + wd * theta;
  if (mu != 0.0) {
    var buf = g;
    if (${L.get("first_step")} == 0u) { buf = mu * BUF[b] + (1.0 - damp) * g; }
    BUF[b] = buf;
    g = select(buf, g + mu * buf, ${L.get("nesterov")} == 1u);
  }
  THETA[t] = theta - lr * g;
}`,
  };
}

/** Kernel "adam": m, v the running means of g and g², bias-corrected by 1 − β₁ᵗ and 1 − β₂ᵗ. */
export function adam(params) {
  const L = params.layout("adam");
  return {
    bindings: ["rw", "r", "rw", "rw"],
    code: `${PRELUDE}${bindings([
      ["THETA", "rw"],
      ["GRAD", "r"],
      ["M", "rw"],
      ["V", "rw"],
    ])}
@compute @workgroup_size(${params.threads})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${elementIndex(L)}
  let t = ${L.get("theta_offset")} + i; let mi = ${L.get("m_offset")} + i; let vi = ${L.get("v_offset")} + i;
  let lr = ${L.get("lr")}; let b1 = ${L.get("beta1")}; let b2 = ${L.get("beta2")}; let eps = ${L.get("eps")};
  let theta = THETA[t];
  let g = GRAD[${L.get("grad_offset")} + i] + ${L.get("weight_decay")} * theta;
  let m = b1 * M[mi] + (1.0 - b1) * g;
  let v = b2 * V[vi] + (1.0 - b2) * g * g;
  M[mi] = m; V[vi] = v;
  THETA[t] = theta - lr * (m / ${L.get("bias_correction1")}) / (sqrt(v / ${L.get("bias_correction2")}) + eps);
}`,
  };
}
