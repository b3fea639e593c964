// The bridge: the one way pages talk to Python. Exposed as `window.pizarra` so that tests and
// curious students can call Python from the console:
//   await pizarra.call("engine_info")            // a function of pizarra.demos, JSON in and out
//   await pizarra.run("import numpy; numpy.__version__")
// Every call returns a promise; Python exceptions reject it with an EngineError carrying the
// traceback; a call can be cancelled with an AbortSignal and times out with a message.

export class EngineError extends Error {
  constructor(code, message, { pythonType = null, traceback = null } = {}) {
    super(message);
    this.name = "EngineError";
    this.code = code; // "python" | "timeout" | "cancelled" | "engine-error" | "restarted" | "bad-arguments"
    this.pythonType = pythonType;
    this.traceback = traceback;
  }
}

const DEFAULT_TIMEOUT_MS = 120_000;
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
    this.running = null;
    // With cross-origin isolation a shared buffer lets a cancel interrupt running Python.
    this.interruptBuffer = globalThis.crossOriginIsolated ? new Uint8Array(new SharedArrayBuffer(1)) : null;
  }

  start() {
    this.worker = new Worker(this.workerURL, { type: "module" });
    this.worker.onmessage = (event) => this.receive(event.data);
    this.worker.onerror = async (event) => {
      event.preventDefault();
      // The worker's script could not load: most likely the runtime module is missing.
      const module = new URL("../../runtime/pyodide.mjs", import.meta.url);
      const found = await fetch(module, { method: "HEAD" }).then((r) => r.ok, () => false);
      if (found) this.setStatus({ state: "error", code: "boot-failed", detail: event.message || "" });
      else this.setStatus({ state: "error", code: "runtime-missing", file: "runtime/pyodide.mjs" });
    };
    this.setStatus({ state: "loading", stage: "python" });
    this.worker.postMessage({ type: "boot", interruptBuffer: this.interruptBuffer, backend: requestedBackend() });
  }

  restart() {
    this.worker?.terminate();
    for (const [, call] of this.pending) this.settle(call, new EngineError("restarted", "The engine was restarted."));
    this.pending.clear();
    this.running = null;
    this.start();
  }

  setStatus(status) {
    this.state = status.state;
    this.info = status.state === "ready" ? status.info : this.info;
    this.bootStages = status.state === "ready" ? status.stages : this.bootStages;
    this.failure = status.state === "error" ? status : null;
    document.documentElement.dataset.engine = status.state;
    if (status.state === "ready" && !performance.getEntriesByName("pizarra:engine-ready").length) {
      performance.mark("pizarra:engine-ready"); // read by `build.py bench`
    }
    this.dispatchEvent(new CustomEvent("status", { detail: status }));
    if (status.state === "error") {
      for (const [, call] of this.pending) this.settle(call, new EngineError("engine-error", "The engine failed to start."));
      this.pending.clear();
    }
  }

  receive(message) {
    if (message.type === "status") return this.setStatus(message);
    if (message.type === "started") {
      this.running = message.id;
      return;
    }
    const call = this.pending.get(message.id);
    if (this.running === message.id) this.running = null;
    if (!call) return; // cancelled or timed out: the result is dropped
    this.pending.delete(message.id);
    if (message.ok) this.settle(call, null, message.value);
    else {
      const { name, message: text, traceback } = message.error;
      this.settle(call, new EngineError("python", `${name}: ${text}`, { pythonType: name, traceback }));
    }
  }

  settle(call, error, value) {
    clearTimeout(call.timer);
    call.signal?.removeEventListener("abort", call.onAbort);
    if (error) call.reject(error);
    else call.resolve(value);
  }

  request(message, { signal, timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
    if (this.state === "error") return Promise.reject(new EngineError("engine-error", "The engine is not available."));
    if (signal?.aborted) return Promise.reject(new EngineError("cancelled", "The call was cancelled."));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const call = { resolve, reject, signal };
      call.onAbort = () => this.cancel(id, new EngineError("cancelled", "The call was cancelled."));
      call.timer = setTimeout(() => {
        this.cancel(id, new EngineError("timeout", `No answer from Python after ${Math.round(timeoutMs / 1000)} s.`));
        // Python may be stuck in a loop that nothing can interrupt: start a fresh engine.
        if (!this.interruptBuffer) this.restart();
      }, timeoutMs);
      signal?.addEventListener("abort", call.onAbort, { once: true });
      this.pending.set(id, call);
      try {
        this.worker.postMessage({ ...message, id });
      } catch (error) {
        // Arguments that cannot be copied to the worker (a function, a DOM node): nothing was
        // sent, so nothing may time out later and restart the engine.
        this.pending.delete(id);
        this.settle(call, new EngineError("bad-arguments", `The arguments cannot be sent to Python: ${error.message}`));
      }
    });
  }

  cancel(id, error) {
    const call = this.pending.get(id);
    if (!call) return;
    this.pending.delete(id);
    this.worker.postMessage({ type: "cancel", id });
    if (this.running === id && this.interruptBuffer) this.interruptBuffer[0] = 2; // SIGINT → KeyboardInterrupt
    this.settle(call, error);
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
    if (this.state === "error") return Promise.reject(new EngineError("engine-error", "The engine is not available."));
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
