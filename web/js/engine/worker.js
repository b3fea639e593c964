// The engine: this dedicated worker owns Pyodide. Python never runs on the page's thread.
//
// Protocol (page → worker): {type: "boot", control?, backend?} | {type: "call", id, fn, args, assets}
//   | {type: "run", id, code} | {type: "cancel", id} | {type: "gpu", id, action} (test hooks)
// (worker → page): {type: "status", state: "loading"|"ready"|"error", ...} | {type: "started", id}
//   | {type: "result", id, ok, value|error}; a call's error is {refused: {code, field, limit, value}}
//   (the door's refusal, pizarra.demos.door), {failed: {message, details}} (anything unexpected in
//   Python) or {name, message, traceback} (a `run`'s Python error, or the worker's own)
// Calls run one at a time, in the order they arrive; a cancelled call that has not started is skipped,
// and the page stops one that runs through memory shared with this worker (interrupt.js).
//
// Python is always entered through JSPI (`callPromising`), so that the WebGPU backend can wait for
// GPU results with `pyodide.ffi.run_sync`. After each call, the GPU arrays it changed are copied to
// main memory (`checkpoint`). When the GPU fails (device lost, out of memory,
// a shader that does not compile), during a call (Python raises BackendFailure) or between calls,
// every live GPU array becomes a NumPy array of its last copy, the call runs (again) on NumPy, and
// a new status tells the page why. The backend choice never delays a call: see "calibration" below.

import { createGPU } from "../gpu/gpu.js";
import { MissingFile, startPython } from "./boot.js";
import { running } from "./interrupt.js";
import { PYTHON_ENV } from "./snapshot.mjs";

const SITE = new URL("../../", import.meta.url).href;
// Where the committed artefacts a call needs (weights, vector sets) are written; Python reads
// them from there through pizarra.data.assets (PIZARRA_ASSETS).
const ASSETS = PYTHON_ENV.PIZARRA_ASSETS;
const ASSET_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

let pyodide = null;
let answerDemo = null; // pizarra.demos.answer: JSON in, {value} | {refused} | {failed} out
let backendModule = null;
let gpu = null;
let control = null; // shared with the page to stop a running call (interrupt.js), when isolated
let fellBack = false; // NumPy replaced the GPU
let queue = Promise.resolve();
let waiting = 0; // tasks queued or running
const cancelled = new Set();

function post(message) {
  self.postMessage(message);
}

async function boot(backend) {
  const started = performance.now();
  post({ type: "status", state: "loading", stage: "python" });
  try {
    // The GPU starts in parallel with Python (unless NumPy is forced); a failure here only means NumPy.
    const gpuReady =
      backend === "numpy"
        ? Promise.resolve(null)
        : createGPU().catch((error) => ({ available: false, reason: String(error) }));
    const stages = {};
    const lap = (name) => (stages[name] = Math.round(performance.now() - started));
    const start = await startPython(lap);
    pyodide = start.pyodide;
    post({ type: "status", state: "loading", stage: "pizarra" });
    answerDemo = pyodide.pyimport("pizarra.demos").answer;
    gpu = await gpuReady;
    pyodide.registerJsModule("pizarra_gpu", {
      gpu: gpu && gpu.available ? gpu : null,
      reason: gpu ? (gpu.reason ?? "") : "not-requested",
    });
    backendModule = pyodide.pyimport("pizarra.backend");
    await backendModule.setup.callPromising(backend);
    await loadCachedCalibration();
    const info = await engineInfo();
    lap("import");
    if (control) pyodide.setInterruptBuffer(control);
    post({ type: "status", state: "ready", info, stages, boot: start.boot });
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

async function engineInfo() {
  const answer = await callDemo("engine_info", {});
  if (!("value" in answer)) throw new Error(answer.failed?.message ?? "engine_info was refused");
  return answer.value;
}

// --- calibration: the backend choice by measurement, which never delays a call. Calls are answered
// on NumPy until it is done; it runs in small steps (pizarra.backend.calibration_run) while the
// engine is idle: the first IDLE_MS after the last call, the next ones as soon as no call waits, so
// a call waits at most for the step under way; the auto backend follows the measurement as soon as
// the last step ends. The result is cached in IndexedDB under the adapter's identity: a second
// visit (or a new worker) uses it from the start, and a new GPU or driver measures again.
const CALIBRATION_VERSION = 1;
const IDLE_MS = 300;
let idleTimer = null;

function idb(mode, action) {
  return new Promise((resolve) => {
    const open = indexedDB.open("pizarra-engine", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("calibration");
    open.onerror = () => resolve(null);
    open.onsuccess = () => {
      const request = action(open.result.transaction("calibration", mode).objectStore("calibration"));
      request.onsuccess = () => resolve(request.result ?? null);
      request.onerror = () => resolve(null);
    };
  });
}

const calibrationKey = () => `v${CALIBRATION_VERSION}:${JSON.stringify(gpu.adapter)}`;

async function loadCachedCalibration() {
  if (!backendModule.needs_calibration()) return;
  const cached = await idb("readonly", (store) => store.get(calibrationKey())).catch(() => null);
  if (cached) backendModule.load_calibration(cached);
}

/** Queue a task (a call, or a calibration step); when none is left, the engine is idle. */
function enqueue(task) {
  waiting += 1;
  queue = queue.then(task).finally(() => {
    waiting -= 1;
    calibrateWhenIdle(task === calibrationStep ? 0 : IDLE_MS);
  });
}

function calibrateWhenIdle(delay) {
  clearTimeout(idleTimer);
  if (waiting || !backendModule || fellBack || !backendModule.needs_calibration()) return;
  idleTimer = setTimeout(() => waiting || enqueue(calibrationStep), delay);
}

async function calibrationStep() {
  if (fellBack || !backendModule.needs_calibration()) return;
  try {
    const result = await backendModule.calibration_step.callPromising();
    if (result == null) return; // more steps to go
    await idb("readwrite", (store) => store.put(result, calibrationKey())).catch(() => null);
    post({ type: "status", state: "ready", info: await engineInfo() });
  } catch (error) {
    await fallBack(error); // the calibration is GPU work: whatever failed, NumPy from now on
  }
}

/** Copy the GPU arrays the last call changed to main memory (nothing to do on NumPy). */
async function checkpoint() {
  if (!backendModule || fellBack) return;
  try {
    await backendModule.checkpoint.callPromising();
  } catch (error) {
    await fallBack(error);
  }
}

/** Fetch each named asset (site path data/<name>) into ASSETS, once per engine. */
async function loadAssets(names) {
  for (const name of names) {
    if (!ASSET_NAME.test(name) || name.startsWith("."))
      throw new Error(`Not an asset name: ${JSON.stringify(name)}`);
    const file = `${ASSETS}/${name}`;
    if (pyodide.FS.analyzePath(file).exists) continue;
    const response = await fetch(new URL(`data/${name}`, SITE));
    if (!response.ok) throw new MissingFile(`data/${name}`);
    pyodide.FS.mkdirTree(ASSETS);
    pyodide.FS.writeFile(file, new Uint8Array(await response.arrayBuffer()));
  }
}

function isBackendFailure(error) {
  return error && error.type === "BackendFailure";
}

/** NumPy replaces the GPU: every live GPU array comes back to main memory; the page is told why. */
async function fallBack(error) {
  fellBack = true;
  backendModule.fall_back(describe(error).message);
  post({ type: "status", state: "ready", info: await engineInfo() });
}

async function gpuHook(action) {
  if (action === "destroy-device") {
    if (!gpu || !gpu.available) throw new Error("no GPU device to destroy");
    gpu.destroyForTest();
    return true;
  }
  if (action === "break-shaders") {
    if (!gpu || !gpu.available) throw new Error("no GPU device");
    gpu.brokenShaders = true;
    gpu.pipelines.clear();
    return true;
  }
  if (action === "stats")
    return gpu && gpu.available ? { ...gpu.stats, adapter: gpu.adapter, failure: gpu.failure } : null;
  throw new Error(`unknown GPU test action ${action}`);
}

/** A demo function's answer: {value} | {refused} | {failed} (pizarra.demos.answer). */
async function callDemo(fn, args) {
  return JSON.parse(await answerDemo.callPromising(fn, JSON.stringify(args)));
}

function describe(error) {
  // A Python exception arrives as a PythonError whose message is the formatted traceback.
  const traceback = String(error && error.message ? error.message : error);
  const lines = traceback.trim().split("\n");
  const name = error && error.type ? error.type : error && error.name ? error.name : "Error";
  // A traceback's last line is "ValueError: message": the type travels in `name`, once.
  const last = lines[lines.length - 1];
  return { name, message: last.startsWith(`${name}: `) ? last.slice(name.length + 2) : last, traceback };
}

async function handle(message) {
  const { id } = message;
  if (cancelled.delete(id)) return;
  if (control) running(control, id);
  post({ type: "started", id });
  let reply;
  try {
    if (!pyodide) throw new Error("The engine is not ready.");
    const attempt = async () => {
      if (message.type === "gpu") return gpuHook(message.action);
      if (message.type === "call") {
        await loadAssets(message.assets ?? []);
        return callDemo(message.fn, message.args ?? {});
      }
      // Not runPythonAsync: its asyncio task would raise a stopped run's KeyboardInterrupt a second
      // time, out of the event loop, as an uncaught error.
      const result = await pyodide.pyodide_py.code.eval_code.callPromising(message.code, pyodide.globals);
      const value =
        result && typeof result.toJs === "function"
          ? result.toJs({ dict_converter: Object.fromEntries })
          : result;
      if (result && typeof result.destroy === "function") result.destroy();
      return value;
    };
    // The GPU was lost since the last call: NumPy carries on from the last checkpoint.
    if (gpu?.failure && !fellBack) await fallBack(new Error(gpu.failure));
    let value;
    try {
      value = await attempt();
    } catch (error) {
      if (!isBackendFailure(error)) throw error;
      // The GPU failed during this computation: it runs again, on NumPy.
      await fallBack(error);
      value = await attempt();
    }
    if (message.type !== "call") reply = { type: "result", id, ok: true, value };
    else if ("value" in value) reply = { type: "result", id, ok: true, value: value.value };
    else reply = { type: "result", id, ok: false, error: value }; // {refused} or {failed}
  } catch (error) {
    reply = { type: "result", id, ok: false, error: describe(error) };
  }
  if (control) running(control, 0); // a stop that comes later is not for the next call
  post(reply);
  await checkpoint();
}

self.onmessage = (event) => {
  const message = event.data;
  if (message.type === "boot") {
    control = message.control ?? null;
    enqueue(() => boot(message.backend ?? "auto"));
  } else if (message.type === "cancel") {
    cancelled.add(message.id);
  } else {
    enqueue(() => handle(message));
  }
};
