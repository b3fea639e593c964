"""The engine workloads that `python3 build.py bench` times, identical in CPython and in Pyodide.

Each workload is one training step (forward, backward, optimiser update) on fixed random data;
`measure()` reports the median wall time per step in milliseconds. In the browser the same file
runs as source text (`in_browser`), so the site's package carries no benchmark code.
"""

from __future__ import annotations

import time

import numpy as np

import pizarra
from pizarra import nn, optim
from pizarra.cnn import LeNet5
from pizarra.nn import functional as F


def training_step(optimizer, compute_loss):
    """One step: zero the gradients, L = compute_loss(), backward, update; returns L."""

    def step():
        optimizer.zero_grad()
        loss = compute_loss()
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


def lenet5_step(batch=64):
    """LeNet-5 on a batch of 64 MNIST-sized images, cross-entropy, SGD."""
    model = LeNet5()
    opt = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    rng = np.random.default_rng(0)
    x = pizarra.tensor(rng.random((batch, 1, 28, 28), dtype=np.float32))
    y = pizarra.tensor(rng.integers(0, 10, batch))
    return training_step(opt, lambda: F.cross_entropy(model(x), y))


def lstm_step(batch=32, steps=64, input_size=64, hidden=256):
    """An LSTM (hidden 256) over a batch of 32 sequences of 64 steps, regression loss, Adam."""
    model = nn.LSTM(input_size, hidden, batch_first=True)
    head = nn.Linear(hidden, 1)
    opt = optim.Adam(list(model.parameters()) + list(head.parameters()), lr=1e-3)
    rng = np.random.default_rng(0)
    x = pizarra.tensor(rng.standard_normal((batch, steps, input_size), dtype=np.float32))
    y = pizarra.tensor(rng.standard_normal((batch, steps, 1), dtype=np.float32))
    return training_step(opt, lambda: F.mse_loss(head(model(x)[0]), y))


def mlp_step(batch=256, features=784, hidden=256, classes=10):
    """A 2-layer MLP (784-256-10, ReLU) on a batch of 256, cross-entropy, SGD."""
    model = nn.Sequential(nn.Linear(features, hidden), nn.ReLU(), nn.Linear(hidden, classes))
    opt = optim.SGD(model.parameters(), lr=0.1)
    rng = np.random.default_rng(0)
    x = pizarra.tensor(rng.random((batch, features), dtype=np.float32))
    y = pizarra.tensor(rng.integers(0, classes, batch))
    return training_step(opt, lambda: F.cross_entropy(model(x), y))


WORKLOADS = {"lenet5_b64": lenet5_step, "lstm_h256_b32_t64": lstm_step, "mlp_784_256_10_b256": mlp_step}


def measure(names=None, repeats=3):
    """{workload: median milliseconds per training step}, after one warm-up step."""
    pizarra.manual_seed(0)
    results = {}
    for name in names or WORKLOADS:
        step = WORKLOADS[name]()
        step()
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            step()
            times.append((time.perf_counter() - start) * 1000)
        results[name] = float(np.median(times))
    return results


def in_browser(expression: str) -> str:
    """Python source for ``pizarra.run``: this module's code, then ``expression`` as the result."""
    return open(__file__, encoding="utf-8").read() + "\n\nimport json\n" + expression + "\n"
