"""Mini-batch training one step at a time: the loop every page and ``build.py train`` share.

Each step (course, section 2: mini-batch SGD, epochs, learning rate)::

    B = the next mini-batch (a new random order of the examples every epoch)
    J = loss(model, B)                     # L, plus a penalty λ Ω(θ) if the page adds one
    ∂J/∂θ by backpropagation               # optionally clipped to ‖∂J/∂θ‖ ≤ clip_norm
    θ ← optimizer(θ, ∂J/∂θ, lr_t)          # lr_t from the schedule, if any

A page advances a run by a few steps between two frames; ``build.py train`` runs it to the end.
Every random draw of a run — the batch order, dropout masks, augmentation (anything drawn from
``pizarra.rng.generator()`` inside ``loss``) — comes from the run's own generator, seeded once,
so a run gives the same result however its steps are split across calls, and whatever else runs
in between.

A page stops a call by raising KeyboardInterrupt in it (the engine's Stop, between any two
bytecodes). A step is done whole or not at all: :func:`uninterrupted` holds the interrupt until
the step ends, so a stopped run is always at a step boundary — parameters, optimiser state,
generator and counters together — and trained on, it equals a run that was never stopped.
"""

from __future__ import annotations

import contextlib
import math
import os
import pickle
import signal
import threading
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from . import rng
from .nn.utils import clip_grad_norm_


def _hold(signum, frame):
    _held.append(signum)


_held = []  # interrupts that arrived inside an uninterrupted() block


@contextlib.contextmanager
def uninterrupted():
    """Run the block whole: a KeyboardInterrupt (SIGINT, as Pyodide delivers a page's Stop) that
    arrives inside it is held and raised as the block ends. Nested blocks hold it until the
    outermost ends. Only Python's own handler is replaced: where SIGINT is ignored (a job started
    with nohup) or handled otherwise, or outside the main thread (which cannot set signal
    handlers), the block holds nothing."""
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield
        return
    signal.signal(signal.SIGINT, _hold)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        if _held:
            _held.clear()
            raise KeyboardInterrupt


def cosine_schedule(lr: float, total_steps: int) -> Callable[[int], float]:
    """``lr_t = lr · (1 + cos(π t / T)) / 2``: from ``lr`` at step 0 down to 0 at step ``T``."""
    return lambda t: lr * (1 + math.cos(math.pi * t / total_steps)) / 2


class Trainer:
    """One training run of ``model`` on ``data``, advanced by :meth:`step`.

    - ``data``: arrays of equal length (inputs, targets, …); a batch is ``[a[i] for a in data]``
      with ``i`` the batch's example indices.
    - ``loss(batch)``: the objective ``J`` on one batch, as a scalar ``Tensor``, or a pair
      ``(J, info)`` whose dict ``info`` is returned by :meth:`step` with the loss.
    - ``shuffle``: a new random order every epoch (``False``: the data's order, as truncated
      backpropagation through time needs).
    - ``after_backward(info)``: called once the gradients exist, before the update (a page
      reads ``∂J/∂W`` there).
    """

    def __init__(
        self,
        model,
        optimizer,
        loss: Callable,
        data: Sequence[np.ndarray],
        *,
        batch_size: int,
        epochs: int | None = None,
        seed: int | np.random.SeedSequence = 0,
        shuffle: bool = True,
        schedule: Callable[[int], float] | None = None,
        clip_norm: float | None = None,
        after_backward: Callable[[dict], None] | None = None,
    ):
        self.model, self.optimizer, self.loss = model, optimizer, loss
        self.data = [np.asarray(a) for a in data]
        if len({len(a) for a in self.data}) != 1:
            raise ValueError("the arrays of a data set must have the same length")
        self.size = len(self.data[0])
        if self.size == 0:
            raise ValueError("cannot train on an empty data set")
        self.batch_size, self.shuffle, self.schedule = int(batch_size), shuffle, schedule
        self.clip_norm, self.after_backward = clip_norm, after_backward
        self.steps_per_epoch = math.ceil(self.size / self.batch_size)
        self.total_steps = None if epochs is None else epochs * self.steps_per_epoch
        self.generator = np.random.default_rng(seed)
        self.steps = 0
        self._order = np.arange(self.size)

    @property
    def epoch(self) -> float:
        """Epochs done so far (a fraction within an epoch)."""
        return self.steps / self.steps_per_epoch

    @property
    def done(self) -> bool:
        return self.total_steps is not None and self.steps >= self.total_steps

    @property
    def end_of_epoch(self) -> bool:
        """True right after the last step of an epoch."""
        return self.steps > 0 and self.steps % self.steps_per_epoch == 0

    def learning_rate(self) -> float:
        """The learning rate of the next step."""
        return self.schedule(self.steps) if self.schedule else self.optimizer.param_groups[0]["lr"]

    def next_batch(self) -> np.ndarray:
        """The example indices of the next step's batch (a new order at each epoch's start)."""
        position = self.steps % self.steps_per_epoch
        if position == 0 and self.shuffle:
            self._order = self.generator.permutation(self.size)
        return self._order[position * self.batch_size : (position + 1) * self.batch_size]

    def step(self) -> dict:
        """One update on the next batch: ``{"loss": J, **info}`` (and ``"grad_norm"`` when clipping);
        whole or not at all (:func:`uninterrupted`)."""
        if self.done:
            raise RuntimeError("the run is finished")
        with uninterrupted(), rng.using(self.generator):
            index = self.next_batch()
            if self.schedule:
                for group in self.optimizer.param_groups:
                    group["lr"] = self.schedule(self.steps)
            self.model.train()
            result = self.loss([a[index] for a in self.data])
            objective, info = result if isinstance(result, tuple) else (result, {})
            self.optimizer.zero_grad()
            objective.backward()
            if self.clip_norm is not None:
                info["grad_norm"] = float(clip_grad_norm_(self.model.parameters(), self.clip_norm).item())
            if self.after_backward is not None:
                self.after_backward(info)
            self.optimizer.step()
            self.steps += 1
        return {"loss": float(objective.item()), **info}

    def state_dict(self) -> dict:
        """Everything a resumed run needs to go on exactly as if never stopped: the model's and the
        optimiser's state, the step count, the generator and this epoch's order."""
        return {
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "steps": self.steps,
            "generator": self.generator.bit_generator.state,
            "order": self._order.copy(),
        }

    def load_state_dict(self, state: dict) -> None:
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.steps, self._order = int(state["steps"]), np.asarray(state["order"])
        self.generator.bit_generator.state = state["generator"]

    def run(self, steps: int) -> list[dict]:
        """Up to ``steps`` steps (fewer at the end of the run): their results."""
        results = []
        for _ in range(steps):
            if self.done:
                break
            results.append(self.step())
        return results


def save_checkpoint(path: Path, state: dict) -> None:
    """Write a training checkpoint (any picklable dict: a :meth:`Trainer.state_dict` and what the run
    adds) atomically: a run killed while writing leaves the previous checkpoint whole."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with open(partial, "wb") as f:
        pickle.dump(state, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(partial, path)


def load_checkpoint(path: Path) -> dict | None:
    """A checkpoint written by :func:`save_checkpoint` (this machine's own training runs only:
    pickle runs code), or ``None`` if there is none."""
    path = Path(path)
    if not path.exists():
        return None
    with open(path, "rb") as f:
        return pickle.load(f)
