// The bridge: the one way pages talk to Python. Exposed as `window.pizarra` so that tests and
// curious students can call Python from the console:
//   await pizarra.call("engine_info")            // a function of pizarra.demos, JSON in and out
//   await pizarra.run("import numpy; numpy.__version__")
// Every call returns a promise. A call the engine's door refuses (pizarra.demos.door: a wrong
// argument, a bound passed) rejects with an EngineError of code "refused" and its `refusal`
// {code, field, limit, value}; anything unexpected in Python with code "failed" and the Python
// text in `details`. Pages word both with ui/engine-error.js, never with `message` (English, for
// the console). A call can be cancelled with an AbortSignal and times out with a message.
// Stopping (a cancel, a timeout, `pizarra.stop()`) interrupts the running call and keeps Python's
// state when the site is cross-origin isolated (interrupt.js); a call that does not stop within
// STOP_GRACE_MS, or any running call without isolation, ends with a fresh engine: the last resort.
// While a call has run for BUSY_AFTER_MS the engine is busy: `engine.busy`, a "busy" event and
// <html data-engine-busy>. See docs/ARCHITECTURE.md, "Start-up, stopping and the content policy".
import { createControl, interrupt } from "./interrupt.js";

export class EngineError extends Error {
  constructor(
    code,
    message,
    { pythonType = null, traceback = null, refusal = null, details = null, timeoutMs = null, fn = null } = {},
  ) {
    super(message);
    this.name = "EngineError";
    // "refused" | "failed" | "python" (pizarra.run) | "timeout" | "cancelled" | "engine-error" | "restarted" | "bad-arguments"
    this.code = code;
    this.pythonType = pythonType;
    this.traceback = traceback;
    this.refusal = refusal; // {code, field, limit, value} of a refused call
    this.details = details; // Python's text of a failed call (a page shows it only on request)
    this.timeoutMs = timeoutMs;
    this.fn = fn; // the demo function called (its page id names the argument's words: arg.<page>.<field>)
  }
}

/** The EngineError of a call's error as the worker sends it (see worker.js); `fn`: the function called. */
export function engineError(error, fn = null) {
  if (error.refused) {
    const { code, field, limit, value } = error.refused;
    const text = `Refused (${code}): ${field ?? "the call"}${limit === null ? "" : `, limit ${JSON.stringify(limit)}`}${value === null ? "" : `; given ${JSON.stringify(value)}`}`;
    return new EngineError("refused", text, { refusal: error.refused, fn });
  }
  if (error.failed)
    return new EngineError("failed", error.failed.message, { details: error.failed.details, fn });
  return new EngineError("python", `${error.name}: ${error.message}`.slice(0, 300), {
    pythonType: error.name,
    traceback: error.traceback,
  });
}

const DEFAULT_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 3_000;
const BUSY_AFTER_MS = 250;
const BACKENDS = ["auto", "numpy", "webgpu"];

/** `?backend=numpy|webgpu|auto` in the site's address (before the `#`) forces the array backend. */
export function requestedBackend(search = globalThis.location?.search ?? "") {
  const value = new URLSearchParams(search).get("backend");
  return BACKENDS.includes(value) ? value : "auto";
}

export class Engine extends EventTarget {
  constructor(workerURL) {
    super();
    this.workerURL = workerURL;
    this.state = "loading";
    this.info = null;
    this.failure = null;
    this.pending = new Map();
    this.nextId = 1;
    this.running = null; // the id of the call the worker said it started, until its result
    this.busy = false;
    this.boot = null; // how Python started: "snapshot" or "standard"
    this.control = createControl(); // null without cross-origin isolation
  }

  start() {
    this.worker = new Worker(this.workerURL, { type: "module" });
    this.worker.onmessage = (event) => this.receive(event.data);
    this.worker.onerror = async (event) => {
      if (this.state !== "loading") return; // an error after the start is the worker's own to report
      event.preventDefault();
      // The worker's script could not load: most likely the runtime module is missing.
      const module = new URL("../../runtime/pyodide.mjs", import.meta.url);
      const found = await fetch(module, { method: "HEAD" }).then(
        (r) => r.ok,
        () => false,
      );
      if (found) this.setStatus({ state: "error", code: "boot-failed", detail: event.message || "" });
      else this.setStatus({ state: "error", code: "runtime-missing", file: "runtime/pyodide.mjs" });
    };
    this.setStatus({ state: "loading", stage: "python" });
    this.worker.postMessage({ type: "boot", control: this.control, backend: requestedBackend() });
  }

  restart() {
    this.worker?.terminate();
    for (const [, call] of this.pending)
      this.settle(call, new EngineError("restarted", "The engine was restarted."));
    this.pending.clear();
    this.setRunning(null);
    this.control = createControl(); // the old worker may have stopped in the middle of using its own
    this.start();
  }

  /** Stop every call: the running one is interrupted (or, as a last resort, the engine restarts). */
  stop() {
    for (const id of [...this.pending.keys()])
      this.cancel(id, new EngineError("cancelled", "The call was stopped."));
  }

  /** A call that was cancelled or timed out may still run: interrupt it; restart if it goes on. */
  stopRunning(id) {
    if (this.control) interrupt(this.control, id);
    if (this.running !== id) return; // not started: the worker skips it
    clearTimeout(this.stopTimer);
    this.stopTimer = setTimeout(() => this.running === id && this.restart(), STOP_GRACE_MS);
  }

  setRunning(id) {
    this.running = id;
    clearTimeout(this.busyTimer);
    clearTimeout(this.stopTimer);
    if (id === null) this.setBusy(false);
    else this.busyTimer = setTimeout(() => this.running === id && this.setBusy(true), BUSY_AFTER_MS);
  }

  setBusy(busy) {
    if (busy === this.busy) return;
    this.busy = busy;
    document.documentElement.toggleAttribute("data-engine-busy", busy);
    this.dispatchEvent(new CustomEvent("busy", { detail: { busy } }));
  }

  setStatus(status) {
    this.state = status.state;
    this.info = status.state === "ready" ? status.info : this.info;
    this.bootStages = status.stages ?? this.bootStages;
    this.boot = status.boot ?? this.boot;
    this.failure = status.state === "error" ? status : null;
    document.documentElement.dataset.engine = status.state;
    if (status.state === "ready" && !performance.getEntriesByName("pizarra:engine-ready").length) {
      performance.mark("pizarra:engine-ready"); // read by `build.py bench`
    }
    this.dispatchEvent(new CustomEvent("status", { detail: status }));
    if (status.state === "error") {
      for (const [, call] of this.pending)
        this.settle(call, new EngineError("engine-error", "The engine failed to start."));
      this.pending.clear();
    }
  }

  receive(message) {
    if (message.type === "status") return this.setStatus(message);
    if (message.type === "started") {
      this.setRunning(message.id);
      if (!this.pending.has(message.id)) this.stopRunning(message.id); // cancelled on its way
      return;
    }
    const call = this.pending.get(message.id);
    if (this.running === message.id) this.setRunning(null);
    if (!call) return; // cancelled or timed out: the result is dropped
    this.pending.delete(message.id);
    if (message.ok) this.settle(call, null, message.value);
    else this.settle(call, engineError(message.error, call.fn));
  }

  settle(call, error, value) {
    clearTimeout(call.timer);
    call.signal?.removeEventListener("abort", call.onAbort);
    if (error) call.reject(error);
    else call.resolve(value);
  }

  request(message, { signal, timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
    if (this.state === "error")
      return Promise.reject(new EngineError("engine-error", "The engine is not available."));
    if (signal?.aborted) return Promise.reject(new EngineError("cancelled", "The call was cancelled."));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const call = { resolve, reject, signal, fn: message.fn ?? null };
      call.onAbort = () => this.cancel(id, new EngineError("cancelled", "The call was cancelled."));
      call.timer = setTimeout(
        () =>
          this.cancel(
            id,
            new EngineError("timeout", `No answer from Python after ${Math.round(timeoutMs / 1000)} s.`, {
              timeoutMs,
            }),
          ),
        timeoutMs,
      );
      signal?.addEventListener("abort", call.onAbort, { once: true });
      this.pending.set(id, call);
      try {
        this.worker.postMessage({ ...message, id });
      } catch (error) {
        // Arguments that cannot be copied to the worker (a function, a DOM node): nothing was
        // sent, so nothing may time out later and restart the engine.
        this.pending.delete(id);
        this.settle(
          call,
          new EngineError("bad-arguments", `The arguments cannot be sent to Python: ${error.message}`),
        );
      }
    });
  }

  cancel(id, error) {
    const call = this.pending.get(id);
    if (!call) return;
    this.pending.delete(id);
    this.worker.postMessage({ type: "cancel", id });
    this.settle(call, error);
    this.stopRunning(id);
  }

  /**
   * Call `pizarra.demos.<fn>(**args)`; arguments and result are JSON. `options.assets` names the
   * committed files (served at data/<name>) the call reads: the worker fetches each one into
   * Python's file system once, before the call (see pizarra.data.assets).
   */
  call(fn, args = {}, options = {}) {
    return this.request({ type: "call", fn, args, assets: options.assets ?? [] }, options);
  }

  /** Run Python source; resolves with the value of its last expression (converted to JavaScript). */
  run(code, options) {
    return this.request({ type: "run", code }, options);
  }

  /** Test hooks of the GPU module: "stats", "destroy-device", "break-shaders". */
  gpu(action, options) {
    return this.request({ type: "gpu", action }, options);
  }

  /** Resolves when the engine is ready; rejects if it fails to start. */
  ready() {
    if (this.state === "ready") return Promise.resolve(this.info);
    if (this.state === "error")
      return Promise.reject(new EngineError("engine-error", "The engine is not available."));
    return new Promise((resolve, reject) => {
      const onStatus = ({ detail }) => {
        if (detail.state === "loading") return;
        this.removeEventListener("status", onStatus);
        if (detail.state === "ready") resolve(detail.info);
        else reject(new EngineError("engine-error", "The engine is not available."));
      };
      this.addEventListener("status", onStatus);
    });
  }
}
