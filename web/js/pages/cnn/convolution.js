// The arithmetic of the convolution explainer, on small grids of numbers (the network itself
// runs in Python; this only spells out the course's formulas cell by cell):
//   Z[j, k] = Σ_{m,n} V[j·s + m − p, k·s + n − p] · K[m, n]     (cross-correlation, zero padding p)
//   "valid": p = 0, output (H − k)/s + 1;  "same": p = (k − 1)/2 (k odd, stride 1 keeps the size)
//   pooling: P[j, k] = max or mean of the 2×2 window V[2j + m, 2k + n]

/** The explainer's 3×3 kernels, by the name the link uses. */
export const KERNELS = {
  "edge-v": [
    [1, 0, -1],
    [1, 0, -1],
    [1, 0, -1],
  ],
  "edge-h": [
    [1, 1, 1],
    [0, 0, 0],
    [-1, -1, -1],
  ],
  diagonal: [
    [2, -1, -1],
    [-1, 2, -1],
    [-1, -1, 2],
  ],
  sharpen: [
    [0, -1, 0],
    [-1, 5, -1],
    [0, -1, 0],
  ],
  sum: [
    [1, 1, 1],
    [1, 1, 1],
    [1, 1, 1],
  ],
};

/** Padding in cells for "valid" or "same" with an odd kernel size k. */
export function paddingFor(mode, k) {
  return mode === "same" ? (k - 1) / 2 : 0;
}

/**
 * convolve(V, K, {stride, padding}) → {output, steps}
 * steps[t] = {row, col, terms: [{r, c, v, k}], sum} for output cell t in row-major order;
 * r, c are input coordinates (outside the input v = 0: padding).
 */
export function convolve(input, kernel, { stride = 1, padding = "valid" } = {}) {
  const h = input.length,
    w = input[0].length,
    k = kernel.length;
  const p = paddingFor(padding, k);
  const rows = Math.floor((h + 2 * p - k) / stride) + 1;
  const cols = Math.floor((w + 2 * p - k) / stride) + 1;
  const output = [],
    steps = [];
  for (let j = 0; j < rows; j++) {
    output.push([]);
    for (let c = 0; c < cols; c++) {
      const terms = [];
      let sum = 0;
      for (let m = 0; m < k; m++) {
        for (let n = 0; n < k; n++) {
          const r = j * stride + m - p,
            cc = c * stride + n - p;
          const v = r >= 0 && r < h && cc >= 0 && cc < w ? input[r][cc] : 0;
          terms.push({ r, c: cc, v, k: kernel[m][n] });
          sum += v * kernel[m][n];
        }
      }
      output[j].push(sum);
      steps.push({ row: j, col: c, terms, sum });
    }
  }
  return { output, steps };
}

/** 2×2 pooling with stride 2 ("max" or "mean"); a last odd row or column is dropped, as in PyTorch. */
export function pool(map, kind = "max", size = 2) {
  const rows = Math.floor(map.length / size),
    cols = Math.floor(map[0].length / size);
  return Array.from({ length: rows }, (_, j) =>
    Array.from({ length: cols }, (_, c) => {
      const window = [];
      for (let m = 0; m < size; m++)
        for (let n = 0; n < size; n++) window.push(map[j * size + m][c * size + n]);
      return kind === "max" ? Math.max(...window) : window.reduce((a, b) => a + b, 0) / window.length;
    }),
  );
}
