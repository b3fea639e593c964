// Stopping running Python without losing its state: memory the page and the worker share (a
// SharedArrayBuffer, so only under cross-origin isolation; see docs/ARCHITECTURE.md, "Start-up,
// stopping and the content policy"). Three 32-bit words:
//   SIGNAL   Pyodide's interrupt buffer: 2 (SIGINT) raises KeyboardInterrupt in running Python;
//   RUNNING  the id of the call the worker runs now, 0 between calls;
//   LOCK     taken for the few instructions that read or write the two together.
// The page interrupts a call only while it runs, and the worker clears the signal when a call
// ends, both under the lock: a stop that arrives as a call ends never reaches the next one.
const SIGNAL = 0;
const RUNNING = 1;
const LOCK = 2;

/** The shared words, or null without cross-origin isolation (stopping then restarts the engine). */
export function createControl() {
  return globalThis.crossOriginIsolated ? new Int32Array(new SharedArrayBuffer(3 * 4)) : null;
}

function locked(control, action) {
  while (Atomics.compareExchange(control, LOCK, 0, 1) !== 0);
  try {
    return action();
  } finally {
    Atomics.store(control, LOCK, 0);
  }
}

/** Page: raise KeyboardInterrupt in call `id` if it is the one running; true if so. */
export function interrupt(control, id) {
  return locked(control, () => {
    if (Atomics.load(control, RUNNING) !== id) return false;
    Atomics.store(control, SIGNAL, 2);
    return true;
  });
}

/** Worker: call `id` starts (0: no call runs any more); a signal meant for another call is dropped. */
export function running(control, id) {
  locked(control, () => {
    Atomics.store(control, SIGNAL, 0);
    Atomics.store(control, RUNNING, id);
  });
}
