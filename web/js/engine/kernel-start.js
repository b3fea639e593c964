// The notebook app kernel's Python (kernel-python.js hands over the kernel's loadPyodide options):
//   snapshot: restored from lite/snapshot/, made at build time (buildlib/snapshot.py) with the
//             packages of the kernel's start loaded and the modules of IPython it imports imported,
//             as the pages' worker restores its own (boot.js);
//   standard: Pyodide boots and loads the packages the options name — where the snapshot cannot be
//             used (a browser without JSPI, a build without it, a failed check).
// Either way the kernel then imports pyodide_kernel and starts. Packages left out of the snapshot
// (ssl) load when a cell imports them, as any package of Pyodide's does in the kernel.
import { loadPyodide } from "../../runtime/pyodide.mjs";
import { MissingFile, RUNTIME, fromSnapshot, readSnapshot, startFailure } from "./boot.js";
import { PYTHON_ENV } from "./snapshot.mjs";

const SNAPSHOT = new URL("../../lite/snapshot/", import.meta.url).href;

/** The kernel's loadPyodide(options): its `indexURL` (kernel-python.js's folder) is not Pyodide's. */
export async function startKernelPython(kernelOptions) {
  const { packages = [], ...options } = kernelOptions;
  delete options.indexURL;
  const failure = startFailure(); // Pyodide hangs rather than fails on a missing file
  const snapshot = await readSnapshot(SNAPSHOT);
  if (snapshot) {
    try {
      return await Promise.race([fromSnapshot(SNAPSHOT, snapshot, options), failure]);
    } catch (error) {
      if (error instanceof MissingFile) throw error;
      console.warn(
        `Pizarra: the kernel's snapshot cannot be used (${error?.message ?? error}); starting Python the standard way.`,
      );
    }
  }
  const env = { ...PYTHON_ENV }; // as in the snapshot
  return Promise.race([loadPyodide({ ...options, indexURL: RUNTIME, env, packages }), failure]);
}
