"""The course's "rain" predicate: an MLP learns what one layer cannot."""

import numpy as np

import pizarra
from pizarra import nn, optim
from pizarra.nn import functional as F


def rain_data(n=200, seed=0):
    """Rain when x1 and x2 are both large or both small (XOR-like) on [0, 1]²."""
    x = np.random.default_rng(seed).random((n, 2)).astype(np.float32)
    y = ((x[:, 0] > 0.5) == (x[:, 1] > 0.5)).astype(np.float32)[:, None]
    return x, y


def train(model, x, y, epochs, lr):
    opt = optim.Adam(model.parameters(), lr=lr)
    for _ in range(epochs):
        opt.zero_grad()
        loss = F.binary_cross_entropy(model(pizarra.tensor(x)), y)
        loss.backward()
        opt.step()
    with pizarra.no_grad():
        predictions = model(pizarra.tensor(x)).numpy() > 0.5
    return float(np.mean(predictions == y)), loss.item()


def test_mlp_learns_the_rain_predicate():
    pizarra.manual_seed(0)
    x, y = rain_data()
    model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1), nn.Sigmoid())
    accuracy, loss = train(model, x, y, epochs=1500, lr=0.05)
    assert accuracy == 1.0 and loss < 0.1


def test_a_single_layer_cannot():
    pizarra.manual_seed(0)
    x, y = rain_data()
    accuracy, _ = train(nn.Sequential(nn.Linear(2, 1), nn.Sigmoid()), x, y, epochs=300, lr=0.05)
    assert accuracy < 0.8
