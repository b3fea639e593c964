// Build step, run by build.py under Node (never served): a memory snapshot a Python starts from.
//   node make-snapshot.mjs <runtime folder> <recipe.json> <output folder>
// Two are made, each from a recipe (buildlib/snapshot.py writes them):
//   the pages' worker: NumPy and pizarra, imported (snapshot/);
//   the notebook app's kernel: what its configuration loads at start, with NumPy, pizarra and the
//   modules of IPython the kernel imports, imported (lite/snapshot/; js/engine/kernel-python.js).
// A recipe: {lockFile: null or the lock to load with, packages: to load, wheel: null or a wheel
// micropip installs, keep: null (all) or a pattern of the site-packages paths kept, record: whether
// a restored Python records its packages as loaded (all kept), prepare: Python that finds what to
// import, run in that first Python, imports: Python run before the snapshot}.
// 1. A first Pyodide loads the packages (and installs the wheel) exactly as a visitor's browser
//    would; the installed files kept become site.bin.
// 2. A second Pyodide starts with those files and their extension modules preloaded (snapshot.mjs,
//    as the worker does), runs the recipe's imports and checks, and is snapshotted: memory.bin.
//    snapshot.json says what a worker needs to restore it.
// Both .bin files are gzip-compressed; a worker decompresses them with DecompressionStream.
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

const [runtime, recipePath, output] = process.argv.slice(2).map((p) => path.resolve(p));
const recipe = JSON.parse(fs.readFileSync(recipePath, "utf8"));
if (!hasJSPI()) throw new Error("run with Node's flag for WebAssembly JSPI (see build.py's node_jspi_flags)");
const indexURL = runtime + "/";
const lock = recipe.lockFile ? { lockFileURL: recipe.lockFile } : {};
const { loadPyodide } = await import(path.join(runtime, "pyodide.mjs"));
const quiet = { stdout: () => {}, stderr: (line) => console.error(line) };

/** The files the recipe installs, the packages it loaded, and what its `prepare` printed. */
async function install() {
  const pyodide = await loadPyodide({ indexURL, ...lock, ...quiet });
  await pyodide.loadPackage(recipe.packages, { messageCallback: () => {} });
  if (recipe.wheel) {
    const local = `/tmp/${path.basename(recipe.wheel)}`;
    pyodide.FS.writeFile(local, fs.readFileSync(recipe.wheel));
    await pyodide.runPythonAsync(`import micropip\nawait micropip.install("emfs:${local}")`);
  }
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
  const keep = recipe.keep ? new RegExp(recipe.keep) : /(?:)/;
  const prepared = recipe.prepare ? await pyodide.runPythonAsync(recipe.prepare) : null;
  return {
    files: files.filter(([relative]) => keep.test(relative)).sort(([a], [b]) => (a < b ? -1 : 1)),
    packages: Object.keys(pyodide.loadedPackages).sort(),
    prepared,
  };
}

const installed = await install();
const recorded = recipe.record ? recordable(installed.packages) : [];

/** The packages loaded, all of which must be installed in site-packages: the files a snapshot restores. */
function recordable(names) {
  if (recipe.keep) throw new Error("a recipe that records its packages keeps all their files");
  const lockFile = recipe.lockFile ?? path.join(runtime, "pyodide-lock.json");
  const entries = Object.values(JSON.parse(fs.readFileSync(lockFile, "utf8")).packages);
  const outside = names.filter(
    (name) => entries.find((entry) => entry.name === name)?.install_dir !== "site",
  );
  if (outside.length) {
    throw new Error(
      `${outside.join(", ")}: installed outside site-packages, where a snapshot's files are not restored; leave them out of the recipe`,
    );
  }
  return names;
}
const site = packFiles(installed.files);
const files = unpackFiles(site);
const bytes = new Map(files);
const modules = await Promise.all(
  libraryPaths(files).map(async (relative) => [relative, await WebAssembly.compile(bytes.get(relative))]),
);
await import(path.join(runtime, "pyodide.asm.js"));
const preload = preloadBeforeStart(Promise.resolve(files), Promise.resolve(modules));
const pyodide = await Promise.race([
  loadPyodide({ indexURL, ...lock, env: { ...PYTHON_ENV }, _makeSnapshot: true, ...quiet }),
  preload.failed,
]);
preload.unwrap();
// What the snapshot holds imported; the recipe's checks run before it. `prepared` is in globals.
pyodide.globals.set("prepared", installed.prepared);
const check = pyodide.runPython(recipe.imports);
pyodide.runPython("del prepared\nimport gc\ngc.collect()");
// Pyodide's record of loaded packages is a JavaScript object the snapshot may only hold empty.
for (const name of Object.keys(pyodide.loadedPackages)) delete pyodide.loadedPackages[name];
const memory = pyodide.makeMemorySnapshot();
fs.mkdirSync(output, { recursive: true });
const gzip = (bytes) => zlib.gzipSync(bytes, { level: 6 });
fs.writeFileSync(path.join(output, "memory.bin"), gzip(memory));
fs.writeFileSync(path.join(output, "site.bin"), gzip(site));
const meta = {
  pyodide: pyodide.version,
  check,
  memory: "memory.bin",
  site: "site.bin",
  layout: await preload.placed,
  handles: recordHandles(pyodide),
  // What a restored Python has installed, for Pyodide's record (loadPackage would load them again).
  packages: recorded,
};
fs.writeFileSync(path.join(output, "snapshot.json"), JSON.stringify(meta, null, 1));
console.log(
  `snapshot: ${(memory.length / 1e6).toFixed(1)} MB of memory, ${files.length} files, ${modules.length} extension modules`,
);
