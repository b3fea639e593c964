// The notebook app's kernel (lite/, JupyterLite's Pyodide kernel) loads this file instead of
// Pyodide's loader (its `pyodideUrl`, lite/jupyter-lite.json): a classic script, taken with
// importScripts, that gives the kernel's worker `loadPyodide`. It starts the kernel's Python from
// the snapshot the build made of it (kernel-start.js). `indexURL` is this file's folder, as the
// kernel derives it from `pyodideUrl`. See docs/ARCHITECTURE.md, "Take it home".
self.loadPyodide = async (options) => {
  const { startKernelPython } = await import(new URL("kernel-start.js", options.indexURL).href);
  return startKernelPython(options);
};
