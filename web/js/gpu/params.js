// The kernels' parameters as declared in kernel-params.json, the one declaration that Python
// (pizarra.backend.kernel_params) reads too. A kernel's source never spells a word's index: it asks
// its layout, `layout.get("shape", "d")` → `P[3u + d]`, and float fields come back bit-cast,
// `layout.get("lr")` → `pf(2u)`.

const TYPE = /^(u32|f32)(?:\[(\w+)\])?(?:\[(\w+)\])?$/;

export async function loadKernelParams() {
  const response = await fetch(new URL("./kernel-params.json", import.meta.url));
  if (!response.ok) throw new Error(`kernel-params.json: HTTP ${response.status}`);
  const text = await response.text();
  return { text, params: readKernelParams(JSON.parse(text)) };
}

/** The declaration with its layouts read: `params.layout("ew")` is the layout of kernel family "ew". */
export function readKernelParams(declaration) {
  const count = (word) => (word === "dims" ? declaration.dims : Number(word));
  const byKernel = new Map();
  for (const [name, { kernels, fields }] of Object.entries(declaration.layouts)) {
    const layout = new Layout(name, fields, count);
    if (layout.words > declaration.words)
      throw new Error(`layout ${name}: ${layout.words} words, above ${declaration.words}`);
    for (const kernel of kernels) byKernel.set(kernel, layout);
  }
  return {
    words: declaration.words,
    dims: declaration.dims,
    threads: declaration.threads,
    tile: declaration.tile,
    layout(kernel) {
      const layout = byKernel.get(kernel);
      if (!layout) throw new Error(`no parameter layout for kernel ${kernel}`);
      return layout;
    },
  };
}

class Layout {
  constructor(name, fields, count) {
    this.name = name;
    this.fields = new Map();
    let next = 0;
    for (const [field, type] of Object.entries(fields)) {
      const match = TYPE.exec(type);
      if (!match) throw new Error(`layout ${name}: field ${field} has an unknown type ${type}`);
      const [rows, columns] = match[3]
        ? [count(match[2]), count(match[3])]
        : [1, match[2] ? count(match[2]) : 1];
      this.fields.set(field, { start: next, float: match[1] === "f32", columns });
      next += rows * columns;
    }
    this.words = next;
  }

  /** WGSL that reads word `index` (a number or a WGSL expression) of `row` of a field. */
  get(field, index = 0, row = 0) {
    const entry = this.fields.get(field);
    if (!entry) throw new Error(`layout ${this.name} has no field ${field}`);
    const first = entry.start + row * entry.columns;
    const at = typeof index === "number" ? `${first + index}u` : `${first}u + ${index}`;
    return entry.float ? `pf(${at})` : `P[${at}]`;
  }
}
