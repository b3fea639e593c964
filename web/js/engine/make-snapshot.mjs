// Build step, run by build.py under Node (never served): the memory snapshot the worker starts from.
//   node web/js/engine/make-snapshot.mjs <runtime folder> <pizarra wheel> <output folder>
// 1. micropip installs the pizarra wheel next to NumPy, exactly as a visitor's browser would; the
//    installed files of both become site.bin.
// 2. A second Pyodide starts with those files and NumPy's extension modules preloaded (snapshot.mjs,
//    as the worker does), imports numpy and pizarra's pages, checks itself, and is snapshotted:
//    memory.bin. snapshot.json says what the worker needs to restore it.
// Both .bin files are gzip-compressed; the worker decompresses them with DecompressionStream.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import {
  PYTHON_ENV,
  SITE_PACKAGES,
  hasJSPI,
  libraryPaths,
  packFiles,
  preloadBeforeStart,
  recordHandles,
  unpackFiles,
} from "./snapshot.mjs";

const [runtime, wheel, output] = process.argv.slice(2).map((p) => path.resolve(p));
if (!hasJSPI()) throw new Error("run with Node's flag for WebAssembly JSPI (see build.py's node_jspi_flags)");
const indexURL = runtime + "/";
const { loadPyodide } = await import(path.join(runtime, "pyodide.mjs"));
const quiet = { stdout: () => {}, stderr: (line) => console.error(line) };

async function installedFiles() {
  const pyodide = await loadPyodide({ indexURL, ...quiet });
  await pyodide.loadPackage(["numpy", "micropip"], { messageCallback: () => {} });
  const local = `/tmp/${path.basename(wheel)}`;
  pyodide.FS.writeFile(local, fs.readFileSync(wheel));
  await pyodide.runPythonAsync(`import micropip\nawait micropip.install("emfs:${local}")`);
  const files = [];
  const walk = (folder) => {
    for (const name of pyodide.FS.readdir(SITE_PACKAGES + folder)) {
      if (name === "." || name === ".." || name === "__pycache__") continue;
      const relative = folder + name;
      if (pyodide.FS.isDir(pyodide.FS.stat(SITE_PACKAGES + relative).mode)) walk(relative + "/");
      else files.push([relative, pyodide.FS.readFile(SITE_PACKAGES + relative)]);
    }
  };
  walk("");
  // NumPy's and pizarra's packages and metadata; micropip itself is not needed at run time.
  return files
    .filter(([relative]) => /^(numpy|pizarra)[/-]/.test(relative))
    .sort(([a], [b]) => (a < b ? -1 : 1));
}

const site = packFiles(await installedFiles());
const files = unpackFiles(site);
const bytes = new Map(files);
const modules = await Promise.all(
  libraryPaths(files).map(async (relative) => [relative, await WebAssembly.compile(bytes.get(relative))]),
);
await import(path.join(runtime, "pyodide.asm.js"));
const preload = preloadBeforeStart(Promise.resolve(files), Promise.resolve(modules));
const pyodide = await Promise.race([
  loadPyodide({ indexURL, env: { ...PYTHON_ENV }, _makeSnapshot: true, ...quiet }),
  preload.failed,
]);
preload.unwrap();
// What the snapshot holds imported: NumPy and every page's engine calls. The check runs before it.
const check = pyodide.runPython(`
import numpy, pizarra.demos
import gc, json
assert json.loads(pizarra.demos.call("engine_check", "{}"))["r"] == -20.0
gc.collect()
numpy.__version__
`);
// Pyodide's record of loaded packages is a JavaScript object the snapshot may only hold empty.
for (const name of Object.keys(pyodide.loadedPackages)) delete pyodide.loadedPackages[name];
const memory = pyodide.makeMemorySnapshot();
fs.mkdirSync(output, { recursive: true });
const gzip = (bytes) => zlib.gzipSync(bytes, { level: 6 });
fs.writeFileSync(path.join(output, "memory.bin"), gzip(memory));
fs.writeFileSync(path.join(output, "site.bin"), gzip(site));
const meta = {
  pyodide: pyodide.version,
  numpy: check,
  memory: "memory.bin",
  site: "site.bin",
  layout: await preload.placed,
  handles: recordHandles(pyodide),
};
fs.writeFileSync(path.join(output, "snapshot.json"), JSON.stringify(meta, null, 1));
console.log(
  `snapshot: ${(memory.length / 1e6).toFixed(1)} MB of memory, ${files.length} files, ${modules.length} extension modules`,
);
