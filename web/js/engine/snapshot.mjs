// Start-up from a memory snapshot: the state of Python right after `import numpy, pizarra.demos`,
// made once at build time (make-snapshot.mjs, run by build.py under Node) and restored by the
// worker, so a visit skips the interpreter's start, NumPy's import and pizarra's install and
// import. See docs/ARCHITECTURE.md, "Start-up, stopping and the content policy".
//
// Pyodide 0.27.7's snapshot (`_makeSnapshot` / `_loadSnapshot`) holds the WebAssembly memory only.
// What lives outside it is rebuilt identically in both runs by this module:
//   - the files of site-packages (NumPy's and pizarra's, as micropip installed them), written
//     before the interpreter starts;
//   - NumPy's compiled extension modules, instantiated before the interpreter starts and always in
//     the same order: their places in memory and in the function table then follow from that order
//     alone, equal when the snapshot is made and when it is restored;
//   - the dlopen handles Python holds for them (recorded when made, re-attached when restored);
//   - what the runtime builds at its start for CPython (restoreRuntimeState), and random seeds.
// This module runs in the worker and, to make the snapshot, under Node: no DOM here.

/**
 * Whether this runtime has WebAssembly's JSPI (stack switching), new API or old, as Pyodide tests
 * it. Python's start records it (run_sync works only if it had it), so the snapshot is made with
 * JSPI and used only where there is JSPI.
 */
export const hasJSPI = () => "Suspending" in WebAssembly || "Suspender" in WebAssembly;
/** The environment Python starts with; captured by the snapshot, so both runs must agree. */
export const PYTHON_ENV = { PIZARRA_ASSETS: "/home/pyodide/assets" };
export const SITE_PACKAGES = "/lib/python3.12/site-packages/";
// Function-table entries left free before the libraries', for what a runtime adds before them.
const TABLE_MARGIN = 64;

/** One file of the site archive: a little-endian u32 header length, the JSON header [[path, size], …], the bytes in order. */
export function packFiles(files) {
  const header = new TextEncoder().encode(JSON.stringify(files.map(([path, bytes]) => [path, bytes.length])));
  const total = 4 + header.length + files.reduce((sum, [, bytes]) => sum + bytes.length, 0);
  const out = new Uint8Array(total);
  new DataView(out.buffer).setUint32(0, header.length, true);
  out.set(header, 4);
  let offset = 4 + header.length;
  for (const [, bytes] of files) {
    out.set(bytes, offset);
    offset += bytes.length;
  }
  return out;
}

/** [[path relative to site-packages, bytes], …] from packFiles' output. */
export function unpackFiles(archive) {
  const length = new DataView(archive.buffer, archive.byteOffset, 4).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(archive.subarray(4, 4 + length)));
  let offset = 4 + length;
  return header.map(([path, size]) => {
    const bytes = archive.subarray(offset, offset + size);
    offset += size;
    return [path, bytes];
  });
}

/** The extension modules among the files, in the one order both runs load them. */
export function libraryPaths(files) {
  return files
    .map(([path]) => path)
    .filter((path) => path.endsWith(".so"))
    .sort();
}

/**
 * Make the next loadPyodide() write `files` into site-packages and instantiate the extension
 * modules (`modules`: [path, WebAssembly.Module] in libraryPaths order) before the interpreter
 * starts. Pyodide's module factory (pyodide.asm.js, which must be imported first) is wrapped until
 * `unwrap()`. If an input or an instantiation fails, the start never completes and `failed`
 * rejects: race loadPyodide() against it. Relies on Pyodide 0.27.7's internals: the factory
 * `_createPyodideModule`, Emscripten's preRun hooks and its dynamic linker (`newDSO`,
 * `loadWebAssemblyModule`, `LDSO`, `GOT`), which allocates from the heap's base before the runtime
 * starts.
 *
 * The libraries' places must be those of the snapshot: `layout` (snapshot.json's) gives where their
 * function-table entries start, past the few entries a runtime may add before (a browser with JSPI
 * adds one that Node does not). Without `layout` (making the snapshot) they start TABLE_MARGIN
 * entries on. `placed` resolves with the layout used, which must equal the snapshot's.
 */
export function preloadBeforeStart(filesPromise, modulesPromise, layout = null) {
  const create = globalThis._createPyodideModule;
  if (typeof create !== "function") throw new Error("pyodide.asm.js is not loaded");
  let fail, place;
  const failed = new Promise((_, reject) => (fail = reject));
  const placed = new Promise((resolve) => (place = resolve));
  const inputs = Promise.all([filesPromise, modulesPromise]);
  inputs.catch(fail);
  globalThis._createPyodideModule = (settings) => {
    // Pyodide runs the preRun hooks last to first: the first one runs after site-packages exists.
    settings.preRun.unshift((Module) => {
      Module.addRunDependency("pizarra-preload");
      inputs
        .then(([files, modules]) => {
          for (const [path, bytes] of files) {
            const full = SITE_PACKAGES + path;
            Module.FS.mkdirTree(full.slice(0, full.lastIndexOf("/")));
            Module.FS.writeFile(full, bytes);
          }
          const table = Module.wasmTable;
          const tableStart = layout ? layout.tableStart : table.length + TABLE_MARGIN;
          if (table.length > tableStart)
            throw new Error(`the runtime's function table is already past ${tableStart}`);
          table.grow(tableStart - table.length);
          for (const [path, module] of modules) instantiateLibrary(Module, SITE_PACKAGES + path, module);
          const used = { tableStart, tableEnd: table.length, heapEnd: Module.GOT.__heap_base.value };
          if (layout && (used.tableEnd !== layout.tableEnd || used.heapEnd !== layout.heapEnd)) {
            throw new Error(`the libraries landed elsewhere than in the snapshot (${JSON.stringify(used)})`);
          }
          place(used);
          Module.removeRunDependency("pizarra-preload");
        })
        .catch(fail);
    });
    return create(settings);
  };
  return { failed, placed, unwrap: () => (globalThis._createPyodideModule = create) };
}

/** What Pyodide's loader does for an extension module, synchronously and outside Python. */
function instantiateLibrary(Module, path, module) {
  const dso = Module.newDSO(path, undefined, "loading");
  dso.refcount = Infinity;
  dso.global = false;
  dso.exports = Module.loadWebAssemblyModule(
    module,
    { loadAsync: false, nodelete: true, allowUndefined: true },
    path,
    {},
  );
  Module.LDSO.loadedLibsByName[path.slice(path.lastIndexOf("/") + 1)] = dso;
}

/** The dlopen handles Python holds: {handle: library path}. */
export function recordHandles(pyodide) {
  const handles = {};
  for (const [handle, dso] of Object.entries(pyodide._module.LDSO.loadedLibsByHandle)) {
    if (Number(handle)) handles[handle] = dso.name;
  }
  return handles;
}

/** Re-attach the handles a restored Python holds to the libraries instantiated for it. */
export function restoreHandles(pyodide, handles) {
  const { LDSO } = pyodide._module;
  for (const [handle, name] of Object.entries(handles)) {
    const dso = LDSO.loadedLibsByName[name];
    if (!dso) throw new Error(`the snapshot needs ${name}, which was not loaded`);
    LDSO.loadedLibsByHandle[handle] = dso;
  }
}

/**
 * What this runtime found at its start, which the snapshot's memory, made under Node, does not hold:
 * CPython's pointer to the function that counts a function's arguments, a small WebAssembly module
 * built at start where the engine supports it (Chromium does; Node 20 does not). Without it, calls
 * go through a JavaScript trampoline, through which JSPI cannot suspend (WebGPU's run_sync fails).
 * Mirrors Pyodide 0.27.7's preRun hook that sets it.
 */
export function restoreRuntimeState(pyodide) {
  const Module = pyodide._module;
  const offset = Module.HEAP32[Module.__PyEM_EMSCRIPTEN_COUNT_ARGS_OFFSET / 4];
  Module.HEAP32[(Module.__PyRuntime + offset) / 4] = Module._PyEM_CountArgsPtr;
}

/** Python's random generators were seeded when the snapshot was made: every visit draws anew. */
export const RESEED = "import random, numpy; random.seed(); numpy.random.seed()";
