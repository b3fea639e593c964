// The lab's run in the engine: started from the settings, trained in chunks of steps sized so
// each call takes about CHUNK_TARGET_MS (the page stays responsive), replayed to a link's step
// with its progress shown (Stop keeps what is done), and stopped by early stopping or the engine's
// step limit. The newest start wins (the engine's queue, key "lab"); every later answer is about
// the run it was asked for, and is dropped once a restart has replaced that run.
//
// It draws nothing itself: it tells `view` what changed (toggle, status, run, inspect, layers,
// failure, ghost), and `view` reads the run back through the getters returned here.
import { labConfig } from "./state.js";

const CHUNK_TARGET_MS = 120; // each call to the engine trains for about this long
const REPLAY_CHUNK = 500; // steps per call while replaying a link: its progress shows

/**
 * labRun({engine, replaying, settings, save, waiting, view}) →
 *   {run, pressed, replay, failure, atLimit(), restart({ghost}), toggle(), step(), inspect(), halt()}
 * run: {data, maxSteps, epochs, norms, step, stopped, best, boundary, inspected} or null.
 */
export function labRun({ engine, replaying, settings, save, waiting, view }) {
  let run = null;
  let running = false;
  let wantsToRun = false; // Train pressed before the run was ready: it starts as soon as it is
  let replay = null; // {target} while the link's steps are replayed
  let failure = null; // the engine's error, if the last call failed
  let chunk = 5;

  const atLimit = () => run !== null && run.step >= run.maxSteps;

  async function restart({ ghost = false } = {}) {
    pause();
    replaying.stop("restart"); // a replay of the previous run: its call in flight too
    if (ghost) view.ghost();
    run = null;
    replay = null;
    failure = null;
    view.failure(null);
    view.toggle();
    view.status();
    let fresh = null;
    try {
      const start = () => engine.call("backprop_lab_start", labConfig(settings));
      const started = await engine.queue(start, { key: "lab", waiting });
      fresh = {
        data: started,
        maxSteps: started.max_steps,
        epochs: [],
        norms: [],
        step: 0,
        stopped: false,
        best: null,
        boundary: started.boundary,
        inspected: null,
      };
      run = fresh;
      view.layers(started.layers);
      if (settings.trained > 0) await replayLink();
      if (run !== fresh) return; // restarted during the replay
      view.run();
      if (wantsToRun) play();
    } catch (error) {
      if (fresh === null || run === fresh) fail(error);
    }
  }

  /** Train the run again up to the link's step, showing how far it is; Stop keeps what is done. */
  async function replayLink() {
    const asked = run;
    replay = { target: settings.trained };
    view.toggle();
    view.status();
    try {
      const { outcome } = await replaying.run(async ({ signal, progress }) => {
        progress(run.step / replay.target);
        while (run.step < replay.target && !run.stopped && !atLimit()) {
          const steps = Math.min(REPLAY_CHUNK, replay.target - run.step);
          const result = await engine.call(
            "backprop_lab_train",
            { steps, inspect_layer: settings.layer },
            { signal },
          );
          if (signal.aborted) return; // stopped or restarted while the answer was on its way
          absorb(result);
          progress(run.step / replay.target);
          view.status();
        }
      });
      if (outcome !== "stopped") return;
      // Stopped mid-call: Python ended at a step boundary after steps this page has not seen yet.
      const since = { steps: 0, since: run.step, inspect_layer: settings.layer };
      const caught = await engine.call("backprop_lab_train", since);
      if (run !== asked) return;
      absorb(caught);
      settings.trained = run.step; // the link now holds the step the replay reached
      save({ trained: run.step });
    } finally {
      if (run === asked) {
        replay = null;
        view.toggle();
      }
    }
  }

  async function advance(steps) {
    if (!run || run.stopped || atLimit()) return null;
    const asked = run;
    const started = performance.now();
    const args = { steps: Math.min(steps, run.maxSteps - run.step), inspect_layer: settings.layer };
    const result = await engine.call("backprop_lab_train", args);
    if (run !== asked) return null;
    absorb(result);
    view.run();
    settings.trained = run.step;
    save({ trained: run.step });
    return performance.now() - started;
  }

  function toggle() {
    if (replay) return; // the replay has its own Stop
    if (running || wantsToRun) pause();
    else play();
  }

  async function play() {
    if (!run) {
      wantsToRun = true; // the run is being prepared (or Python is loading): it starts when ready
      return view.toggle();
    }
    if (run.stopped || atLimit()) return;
    running = true;
    view.toggle();
    while (running && run && !run.stopped && !atLimit()) {
      const elapsed = await advance(chunk).catch((error) => (fail(error), null));
      if (elapsed === null) break;
      chunk = Math.max(
        1,
        Math.min(1000, Math.round(chunk * Math.min(2, CHUNK_TARGET_MS / Math.max(elapsed, 1)))),
      );
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    pause();
  }

  function pause() {
    running = false;
    wantsToRun = false;
    view.toggle();
  }

  function fail(error) {
    failure = error;
    view.failure(error);
    pause();
    view.status();
  }

  /** Ask the engine for the layer `settings.layer` of the run as it is now. */
  async function inspect() {
    if (!run) return;
    const asked = run;
    const args = { layer: settings.layer };
    const result = await engine.queue(() => engine.call("backprop_lab_inspect", args), { key: "inspect" });
    if (run !== asked) return;
    run.inspected = result;
    view.inspect();
  }

  function absorb(result) {
    run.step = result.step;
    run.norms.push(...result.grad_norms);
    run.epochs.push(...result.epochs);
    run.stopped = result.stopped;
    run.best = result.best_epoch;
    run.boundary = result.boundary;
    run.inspected = result.inspect;
  }

  return {
    get run() {
      return run;
    },
    get pressed() {
      return running || wantsToRun; // Train is on: running, or waiting for the run to be ready
    },
    get replay() {
      return replay;
    },
    get failure() {
      return failure;
    },
    atLimit,
    restart,
    toggle,
    step: () => advance(1).catch(fail),
    inspect,
    halt: () => {
      running = false; // the loop ends at its next chunk
    },
  };
}
