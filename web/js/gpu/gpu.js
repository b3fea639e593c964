// The GPU module: owns the WebGPU adapter and device, the buffers, the compiled pipelines, and the
// one queue of work. Python (pizarra.backend.device) drives it through the plain-number API of
// `createGPU()`: buffers are integer handles, kernels are names (see kernels.js), parameters are
// arrays of u32 words laid out as kernel-params.json declares (handed to Python as `paramsText`).
// Work is recorded into one open compute pass and submitted only when a result must come back
// (`read`, `readAll`) or when the parameter arena is full; nothing is read back per operation.
// Every read counts in `stats.readbacks`, which the tests assert on.
//
// The buffers that kernels wrote since Python last asked (`takeWritten`) are what Python copies to
// main memory at the end of a call, so that NumPy can carry on from there if the GPU is lost.
//
// Failure model: a lost device, an out-of-memory or a validation error (a shader that does not
// compile) make the next `read` reject (and every later call throw) with a message that starts
// with "GPUFailure:"; Python turns it into pizarra.backend.BackendFailure and NumPy takes over.

import { kernel } from "./kernels.js";
import { loadKernelParams } from "./params.js";

const ARENA_SLOTS = 1024;
const U = () => GPUBufferUsage;

function sizeClass(bytes) {
  let size = 256;
  while (size < bytes) size *= 2;
  return size;
}

export async function createGPU({ adapterOptions = {} } = {}) {
  if (!globalThis.navigator?.gpu) return { available: false, reason: "no-webgpu" };
  const adapter = await navigator.gpu.requestAdapter(adapterOptions).catch(() => null);
  if (!adapter) return { available: false, reason: "no-adapter" };
  const info = adapter.info ?? (adapter.requestAdapterInfo ? await adapter.requestAdapterInfo() : {});
  const wanted = ["maxStorageBufferBindingSize", "maxBufferSize", "maxComputeWorkgroupStorageSize"];
  const requiredLimits = Object.fromEntries(wanted.map((k) => [k, adapter.limits[k]]));
  let device;
  try {
    device = await adapter.requestDevice({ requiredLimits });
  } catch (error) {
    return { available: false, reason: `no-device: ${error.message}` };
  }
  const adapterInfo = {
    vendor: info.vendor || "",
    architecture: info.architecture || "",
    device: info.device || "",
    description: info.description || "",
    fallback: Boolean(adapter.isFallbackAdapter || info.isFallbackAdapter),
  };
  adapterInfo.software =
    adapterInfo.fallback || /swiftshader|llvmpipe|software|warp/i.test(Object.values(adapterInfo).join(" "));
  const { text, params } = await loadKernelParams();
  return new GPU(device, adapterInfo, params, text);
}

class GPU {
  constructor(device, adapterInfo, kernelParams, paramsText) {
    this.available = true;
    this.device = device;
    this.adapter = adapterInfo;
    this.kernelParams = kernelParams; // kernel-params.json, read (params.js)
    this.paramsText = paramsText; // and as text, for Python (pizarra.backend.kernel_params)
    this.paramBytes = kernelParams.words * 4;
    this.limits = {
      maxGroups: device.limits.maxComputeWorkgroupsPerDimension,
      maxBinding: device.limits.maxStorageBufferBindingSize,
    };
    this.failure = null; // the first reason the device became unusable
    this.buffers = new Map(); // handle -> {buffer, size}
    this.written = new Set(); // handles of the buffers that kernels wrote since takeWritten()
    this.nextHandle = 1;
    this.pool = new Map(); // size class -> [GPUBuffer]
    this.pipelines = new Map();
    this.layouts = new Map();
    this.freeArenas = [];
    this.encoder = null;
    this.pass = null;
    this.arena = null;
    this.scoped = false;
    this.stats = {
      readbacks: 0,
      dispatches: 0,
      submits: 0,
      uploads: 0,
      pipelines: 0,
      bytesRead: 0,
      bytesUploaded: 0,
    };
    this.dummy = device.createBuffer({ size: 256, usage: U().STORAGE });
    this.brokenShaders = false; // test hook: compile every new pipeline from a broken source
    device.lost.then((lost) => {
      if (lost.reason !== "destroyed" || !this.failure)
        this.fail(`device lost (${lost.reason || "unknown"}): ${lost.message}`);
    });
    device.addEventListener("uncapturederror", (event) => this.fail(describeError(event.error)));
  }

  fail(reason) {
    if (!this.failure) this.failure = reason;
  }

  check() {
    if (this.failure) throw new Error(`GPUFailure: ${this.failure}`);
  }

  // --- buffers -------------------------------------------------------------------------------

  allocate(bytes) {
    this.check();
    const size = sizeClass(Math.max(4, bytes));
    if (size > this.limits.maxBinding)
      throw new Error(`GPUFailure: out of memory (${bytes} bytes is above this GPU's limit)`);
    const free = this.pool.get(size);
    const buffer = free?.length
      ? free.pop()
      : this.device.createBuffer({ size, usage: U().STORAGE | U().COPY_SRC | U().COPY_DST });
    const handle = this.nextHandle++;
    this.buffers.set(handle, { buffer, size });
    return handle;
  }

  /** A new buffer holding the bytes of a Python buffer (a NumPy array, float32 or uint32). */
  upload(pyArray) {
    this.check();
    const view = pyArray.getBuffer();
    try {
      const bytes = view.data.byteLength;
      const size = sizeClass(Math.max(4, bytes));
      if (size > this.limits.maxBinding)
        throw new Error(`GPUFailure: out of memory (${bytes} bytes is above this GPU's limit)`);
      // A fresh buffer mapped at creation: no ordering hazard with work still being recorded.
      const buffer = this.device.createBuffer({
        size,
        usage: U().STORAGE | U().COPY_SRC | U().COPY_DST,
        mappedAtCreation: true,
      });
      new Uint8Array(buffer.getMappedRange()).set(
        new Uint8Array(view.data.buffer, view.data.byteOffset, bytes),
      );
      buffer.unmap();
      const handle = this.nextHandle++;
      this.buffers.set(handle, { buffer, size });
      this.stats.uploads++;
      this.stats.bytesUploaded += bytes;
      return handle;
    } finally {
      view.release();
    }
  }

  release(handle) {
    const entry = this.buffers.get(handle);
    if (!entry) return;
    this.buffers.delete(handle);
    this.written.delete(handle);
    if (this.failure) return;
    // Work recorded or in flight that uses the buffer runs before any later reuse: the queue is ordered.
    if (!this.pool.has(entry.size)) this.pool.set(entry.size, []);
    this.pool.get(entry.size).push(entry.buffer);
  }

  // --- kernels ---------------------------------------------------------------------------------

  pipeline(name) {
    let entry = this.pipelines.get(name);
    if (entry) return entry;
    const { code, bindings } = kernel(name, this.kernelParams);
    const key = bindings.join(",");
    let layout = this.layouts.get(key);
    if (!layout) {
      const entries = [
        {
          binding: 0,
          visibility: GPUShaderStage.COMPUTE,
          buffer: { type: "read-only-storage", hasDynamicOffset: true, minBindingSize: this.paramBytes },
        },
      ];
      bindings.forEach((mode, i) =>
        entries.push({
          binding: i + 1,
          visibility: GPUShaderStage.COMPUTE,
          buffer: { type: mode === "rw" ? "storage" : "read-only-storage" },
        }),
      );
      const group = this.device.createBindGroupLayout({ entries });
      layout = { group, pipeline: this.device.createPipelineLayout({ bindGroupLayouts: [group] }) };
      this.layouts.set(key, layout);
    }
    this.beginScope();
    const module = this.device.createShaderModule({
      code: this.brokenShaders ? code + "\nthis is not WGSL;" : code,
    });
    const pipeline = this.device.createComputePipeline({
      layout: layout.pipeline,
      compute: { module, entryPoint: "main" },
    });
    entry = { pipeline, group: layout.group, bindings };
    this.pipelines.set(name, entry);
    this.stats.pipelines++;
    return entry;
  }

  beginScope() {
    if (this.scoped) return;
    // Errors of everything until the next read are collected and reported by that read.
    for (const filter of ["validation", "out-of-memory", "internal"]) this.device.pushErrorScope(filter);
    this.scoped = true;
  }

  async endScope() {
    if (!this.scoped) return;
    this.scoped = false;
    const errors = await Promise.all([0, 1, 2].map(() => this.device.popErrorScope()));
    const error = errors.find(Boolean);
    if (error) this.fail(describeError(error));
  }

  /**
   * Record one dispatch: kernel name, buffer handles (in binding order), u32 parameter words,
   * workgroup counts. Several dispatches of one operation share the record order: later ones see
   * the writes of earlier ones.
   */
  dispatch(name, handles, params, x, y = 1, z = 1) {
    this.check();
    if (x === 0 || y === 0 || z === 0) return;
    const { pipeline, group, bindings } = this.pipeline(name);
    this.beginScope();
    if (!this.arena || this.arena.used === ARENA_SLOTS) this.flush();
    if (!this.arena) this.arena = this.takeArena();
    if (!this.encoder) {
      this.encoder = this.device.createCommandEncoder();
      this.pass = this.encoder.beginComputePass();
    }
    const slot = this.arena.used++;
    const words = this.arena.words;
    const first = slot * this.kernelParams.words;
    words.fill(0, first, first + this.kernelParams.words);
    for (let i = 0; i < params.length; i++) words[first + i] = params[i];
    const entries = [{ binding: 0, resource: { buffer: this.arena.buffer, size: this.paramBytes } }];
    for (let i = 0; i < bindings.length; i++) {
      const handle = handles[i];
      const buffer = handle ? this.buffers.get(handle)?.buffer : this.dummy;
      if (!buffer) throw new Error(`GPUFailure: buffer ${handle} was released`);
      entries.push({ binding: i + 1, resource: { buffer } });
      if (handle && bindings[i] === "rw") this.written.add(handle);
    }
    const bindGroup = this.device.createBindGroup({ layout: group, entries });
    this.pass.setPipeline(pipeline);
    this.pass.setBindGroup(0, bindGroup, [slot * this.paramBytes]);
    this.pass.dispatchWorkgroups(x, y, z);
    this.stats.dispatches++;
  }

  takeArena() {
    const arena = this.freeArenas.pop() ?? {
      buffer: this.device.createBuffer({
        size: ARENA_SLOTS * this.paramBytes,
        usage: U().STORAGE | U().COPY_DST,
      }),
      words: new Uint32Array(ARENA_SLOTS * this.kernelParams.words),
    };
    arena.used = 0;
    return arena;
  }

  /** Submit what has been recorded (the parameters first). */
  flush(extra) {
    if (!this.encoder && !extra) return;
    const encoder = this.encoder ?? this.device.createCommandEncoder();
    this.pass?.end();
    extra?.(encoder);
    const arena = this.arena;
    if (arena && arena.used)
      this.device.queue.writeBuffer(arena.buffer, 0, arena.words, 0, arena.used * this.kernelParams.words);
    this.device.queue.submit([encoder.finish()]);
    this.stats.submits++;
    this.encoder = this.pass = null;
    if (arena && arena.used) {
      this.arena = null;
      this.device.queue.onSubmittedWorkDone().then(
        () => this.freeArenas.push(arena),
        () => {},
      );
    }
  }

  /** Read `count` elements (4 bytes each) from element `offset` of a buffer: a Promise of a Float32Array. */
  read(handle, offset, count) {
    return this.readRegions([[handle, offset, count]]);
  }

  /** The first `counts[i]` elements of each buffer `handles[i]`, one after the other, in one readback. */
  readAll(handles, counts) {
    return this.readRegions([...handles].map((handle, i) => [handle, 0, counts[i]]));
  }

  /** The handles of the buffers that kernels wrote since the last call of this method. */
  takeWritten() {
    const handles = [...this.written];
    this.written.clear();
    return handles;
  }

  async readRegions(regions) {
    this.check();
    const sources = regions.map(([handle, offset, count]) => {
      const entry = this.buffers.get(handle);
      if (!entry) throw new Error(`GPUFailure: buffer ${handle} was released`);
      return { buffer: entry.buffer, offset, count };
    });
    this.stats.readbacks++;
    const total = sources.reduce((sum, { count }) => sum + count, 0);
    const bytes = Math.max(4, total * 4);
    const staging = this.device.createBuffer({ size: sizeClass(bytes), usage: U().MAP_READ | U().COPY_DST });
    this.flush((encoder) => {
      let at = 0;
      for (const { buffer, offset, count } of sources) {
        if (count) encoder.copyBufferToBuffer(buffer, offset * 4, staging, at * 4, count * 4);
        at += count;
      }
    });
    try {
      await Promise.all([staging.mapAsync(GPUMapMode.READ), this.endScope()]);
    } catch (error) {
      this.fail(describeError(error));
    }
    this.check();
    const out = new Float32Array(staging.getMappedRange(0, bytes).slice(0, total * 4));
    staging.destroy();
    this.stats.bytesRead += total * 4;
    return out;
  }

  // --- test hooks ------------------------------------------------------------------------------

  destroyForTest() {
    this.device.destroy();
    this.fail("device lost (destroyed): the test hook destroyed the device");
  }
}

function describeError(error) {
  if (!error) return "unknown GPU error";
  const kind =
    error.constructor?.name === "GPUOutOfMemoryError"
      ? "out of memory"
      : error.constructor?.name === "GPUValidationError"
        ? "validation error"
        : error.constructor?.name === "GPUInternalError"
          ? "internal error"
          : "error";
  return `${kind}: ${String(error.message || error)
    .split("\n")
    .slice(0, 6)
    .join(" ")}`;
}
