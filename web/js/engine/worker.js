// The engine: this dedicated worker owns Pyodide. Python never runs on the page's thread.
//
// Protocol (page → worker): {type: "boot", interruptBuffer?} | {type: "call", id, fn, args}
//   | {type: "run", id, code} | {type: "cancel", id}
// (worker → page): {type: "status", state: "loading"|"ready"|"error", ...} | {type: "started", id}
//   | {type: "result", id, ok, value|error}
// Calls run one at a time, in the order they arrive; a cancelled call that has not started is skipped.

import { loadPyodide } from "../../runtime/pyodide.mjs";

const RUNTIME = new URL("../../runtime/", import.meta.url).href;
const SITE = new URL("../../", import.meta.url).href;
// The files without which Python cannot start; named in the error when one is missing.
const CORE_FILES = ["pyodide.asm.wasm", "pyodide.asm.js", "python_stdlib.zip", "pyodide-lock.json"];

let pyodide = null;
let callDemo = null;
let queue = Promise.resolve();
const cancelled = new Set();

function post(message) {
  self.postMessage(message);
}

// Resolves with the first core file the server does not have; never resolves if all are there.
// Pyodide hangs rather than fails when its .wasm is missing, so boot races against this check.
function missingRuntimeFile() {
  return new Promise((resolve) => {
    for (const name of CORE_FILES) {
      fetch(RUNTIME + name, { method: "HEAD" })
        .then((response) => response.ok || resolve(`runtime/${name}`))
        .catch(() => resolve(`runtime/${name}`));
    }
  });
}

class MissingFile extends Error {}

const BOOT_TIMEOUT_MS = 120_000;
const bootTimeout = () =>
  new Promise((_, reject) => setTimeout(() => reject(new Error(`Python did not start within ${BOOT_TIMEOUT_MS / 1000} s.`)), BOOT_TIMEOUT_MS));

async function boot() {
  const started = performance.now();
  post({ type: "status", state: "loading", stage: "python" });
  try {
    const missing = missingRuntimeFile().then((file) => {
      throw new MissingFile(file);
    });
    const manifest = fetch(SITE + "build.json").then((response) => response.json());
    const stages = {};
    const lap = (name) => (stages[name] = Math.round(performance.now() - started));
    pyodide = await Promise.race([loadPyodide({ indexURL: RUNTIME }), missing, bootTimeout()]);
    lap("python");
    await pyodide.loadPackage(["numpy", "micropip"], { messageCallback: () => {} });
    lap("packages");
    const build = await manifest;
    post({ type: "status", state: "loading", stage: "pizarra" });
    const micropip = pyodide.pyimport("micropip");
    await micropip.install(new URL(build.wheel, SITE).href);
    lap("install");
    const demos = pyodide.pyimport("pizarra.demos");
    callDemo = demos.call;
    const info = JSON.parse(callDemo("engine_info", "{}"));
    lap("import");
    post({ type: "status", state: "ready", info, stages });
  } catch (error) {
    const file = error instanceof MissingFile ? error.message : null;
    post({
      type: "status",
      state: "error",
      code: file ? "runtime-missing" : "boot-failed",
      file,
      detail: file ? "" : String(error && error.message ? error.message : error).slice(0, 2000),
    });
  }
}

function describe(error) {
  // A Python exception arrives as a PythonError whose message is the formatted traceback.
  const traceback = String(error && error.message ? error.message : error);
  const lines = traceback.trim().split("\n");
  return {
    name: error && error.type ? error.type : error && error.name ? error.name : "Error",
    message: lines[lines.length - 1],
    traceback,
  };
}

async function handle(message) {
  const { id } = message;
  if (cancelled.delete(id)) return;
  post({ type: "started", id });
  try {
    if (!pyodide) throw new Error("The engine is not ready.");
    let value;
    if (message.type === "call") {
      value = JSON.parse(callDemo(message.fn, JSON.stringify(message.args ?? {})));
    } else {
      const result = await pyodide.runPythonAsync(message.code);
      value = result && typeof result.toJs === "function" ? result.toJs({ dict_converter: Object.fromEntries }) : result;
      if (result && typeof result.destroy === "function") result.destroy();
    }
    post({ type: "result", id, ok: true, value });
  } catch (error) {
    post({ type: "result", id, ok: false, error: describe(error) });
  }
}

self.onmessage = (event) => {
  const message = event.data;
  if (message.type === "boot") {
    queue = queue.then(boot).then(() => {
      if (message.interruptBuffer && pyodide) pyodide.setInterruptBuffer(message.interruptBuffer);
    });
  } else if (message.type === "cancel") {
    cancelled.add(message.id);
  } else {
    queue = queue.then(() => handle(message));
  }
};
