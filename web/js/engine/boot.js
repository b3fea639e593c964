// Getting a Python with NumPy and pizarra imported, as fast as the site allows (the worker's start).
//   snapshot: restore the memory snapshot made at build time (snapshot.mjs), with the installed
//             files and NumPy's extension modules fetched and compiled while the runtime compiles;
//   standard: Pyodide boots, loads NumPy and micropip, micropip installs the pizarra wheel (fetched
//             while Python boots) and pizarra is imported. Used when the build has no snapshot or
//             the snapshot cannot be used (another runtime, a failed check).
// See docs/ARCHITECTURE.md, "Start-up, stopping and the content policy".
import { loadPyodide } from "../../runtime/pyodide.mjs";
import {
  PYTHON_ENV,
  RESEED,
  hasJSPI,
  libraryPaths,
  preloadBeforeStart,
  restoreHandles,
  restoreRuntimeState,
  unpackFiles,
} from "./snapshot.mjs";

export const RUNTIME = new URL("../../runtime/", import.meta.url).href;
const SITE = new URL("../../", import.meta.url).href;
const SNAPSHOT = new URL("../../snapshot/", import.meta.url).href;
// The files without which Python cannot start; named in the error when one is missing.
const CORE_FILES = ["pyodide.asm.wasm", "pyodide.asm.js", "python_stdlib.zip", "pyodide-lock.json"];
const BOOT_TIMEOUT_MS = 120_000;

export class MissingFile extends Error {
  name = "MissingFile"; // the message is the missing file's path in the site
}

// Rejects with the first core file the server does not have; never settles if all are there.
// Pyodide hangs rather than fails when its .wasm is missing, so the start races against this check.
function missingRuntimeFile() {
  return new Promise((_, reject) => {
    for (const name of CORE_FILES) {
      const missing = () => reject(new MissingFile(`runtime/${name}`));
      fetch(RUNTIME + name, { method: "HEAD" }).then((response) => response.ok || missing(), missing);
    }
  });
}

/**
 * Rejects with the first core file missing, or when Python has not started within BOOT_TIMEOUT_MS;
 * never settles otherwise: race a start against it.
 */
export function startFailure() {
  const failure = Promise.race([missingRuntimeFile(), timeout()]);
  failure.catch(() => {});
  return failure;
}

const timeout = () =>
  new Promise((_, reject) =>
    setTimeout(
      () => reject(new Error(`Python did not start within ${BOOT_TIMEOUT_MS / 1000} s.`)),
      BOOT_TIMEOUT_MS,
    ),
  );

/**
 * Start Python: resolves with {pyodide, boot: "snapshot" | "standard"} once `import pizarra.demos`
 * is done. `lap(stage)` records when each stage ends.
 */
export async function startPython(lap) {
  const failure = startFailure();
  const snapshot = await readSnapshot(SNAPSHOT);
  if (snapshot) {
    try {
      const pyodide = await Promise.race([fromSnapshot(SNAPSHOT, snapshot), failure]);
      lap("snapshot");
      return { pyodide, boot: "snapshot" };
    } catch (error) {
      if (error instanceof MissingFile) throw error;
      console.warn(
        `Pizarra: the start-up snapshot cannot be used (${error?.message ?? error}); starting Python the standard way.`,
      );
    }
  }
  return { pyodide: await Promise.race([standard(lap), failure]), boot: "standard" };
}

/** A snapshot's snapshot.json in `folder`, or null if the build has none there. */
export function readSnapshot(folder) {
  return fetch(folder + "snapshot.json").then(
    (r) => (r.ok ? r.json() : null),
    () => null,
  );
}

/**
 * Python restored from the snapshot in `folder` (its snapshot.json: `snapshot`); `options` go to
 * loadPyodide (the kernel's lock file). Throws if it cannot be used.
 */
export async function fromSnapshot(folder, snapshot, options = {}) {
  if (!hasJSPI()) throw new Error("this browser has no WebAssembly JSPI, which the snapshot was made with");
  const memory = fetchPacked(folder + snapshot.memory).then(checkMemoryImage);
  memory.catch(() => {}); // loadPyodide awaits it, and fails with its error
  const files = fetchPacked(folder + snapshot.site).then(unpackFiles);
  // NumPy's extension modules compile in parallel, while the runtime itself compiles.
  const modules = files.then((all) => {
    const bytes = new Map(all);
    return Promise.all(
      libraryPaths(all).map(async (path) => [path, await WebAssembly.compile(bytes.get(path))]),
    );
  });
  await import(RUNTIME + "pyodide.asm.js");
  const preload = preloadBeforeStart(files, modules, snapshot.layout);
  let pyodide;
  try {
    pyodide = await Promise.race([
      loadPyodide({ ...options, indexURL: RUNTIME, env: { ...PYTHON_ENV }, _loadSnapshot: memory }),
      preload.failed,
    ]);
  } finally {
    preload.unwrap();
  }
  restoreHandles(pyodide, snapshot.handles);
  restoreRuntimeState(pyodide);
  pyodide.runPython(RESEED);
  // Installed before the snapshot: Pyodide's record, emptied for it, says so again.
  for (const name of snapshot.packages ?? []) pyodide.loadedPackages[name] = "default channel";
  return pyodide;
}

/**
 * Pyodide's snapshot format: a u32 magic number, the u32 offset of the memory image, which is whole
 * 64 KiB pages. Pyodide hangs rather than fails on a broken image, so it is checked first.
 */
function checkMemoryImage(bytes) {
  const [magic, offset] = new Uint32Array(bytes.buffer, bytes.byteOffset, 2);
  if (magic !== 0x706e7300 || offset >= bytes.length || (bytes.length - offset) % 65536 !== 0) {
    throw new Error("snapshot/memory.bin is not a Pyodide memory snapshot");
  }
  return bytes;
}

/** A gzip file of the build (snapshot/*.bin), decompressed; taken as is if a host already did. */
async function fetchPacked(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function standard(lap) {
  const manifest = fetch(SITE + "build.json").then((response) => response.json());
  const wheel = manifest
    .then((build) => fetch(new URL(build.wheel, SITE)))
    .then((response) => response.arrayBuffer());
  wheel.catch(() => {});
  const pyodide = await loadPyodide({ indexURL: RUNTIME, env: { ...PYTHON_ENV } });
  lap("python");
  await pyodide.loadPackage(["numpy", "micropip"], { messageCallback: () => {} });
  lap("packages");
  // micropip installs the wheel exactly as from its address, from the copy fetched meanwhile.
  const local = `/tmp/${(await manifest).wheel.split("/").pop()}`;
  pyodide.FS.writeFile(local, new Uint8Array(await wheel));
  await pyodide.pyimport("micropip").install(`emfs:${local}`);
  lap("install");
  pyodide.pyimport("pizarra.demos");
  return pyodide;
}
