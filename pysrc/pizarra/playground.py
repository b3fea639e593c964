"""A multi-layer perceptron learning a two-class set in the plane, one mini-batch step at a time
(course, section 2), with what a student wants to watch recorded at every step.

A :class:`TrainingRun` is fully determined by its :class:`Config` (data, network, optimiser,
regularisation and ``seed``): the same configuration advanced by the same number of steps gives
the same weights, however the steps are grouped into calls. Per step it records
``‖∂J/∂W_l‖`` for every linear layer ``l`` (vanishing gradients show in deep sigmoid stacks)
and, for every layer, the matrices of the course's rule for ``y = W x``::

    ∂L/∂W = (∂L/∂y) xᵀ          summed over the mini-batch: ∂L/∂W = Σ_b (∂L/∂y_b) x_bᵀ

The loss is the binary cross-entropy of ``ŷ = σ(o)``, with the L2 penalty
``J = L + λ Σ_l ‖W_l‖²`` (biases are not penalised), so ``∂J/∂W_l = ∂L/∂W_l + 2λ W_l``.
After every epoch the whole training and validation sets are evaluated; with early stopping
the run stops when the validation loss has not improved for ``patience`` epochs and keeps the
weights of its best epoch.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from . import datasets2d, nn, optim, rng
from .nn import functional as F
from .tensor import Tensor, no_grad

ACTIVATIONS = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "leaky_relu": nn.LeakyReLU, "elu": nn.ELU}
INITS = ("xavier", "he", "small")
OPTIMIZERS = ("sgd", "momentum", "adam")
MAX_STEPS = 100_000


@dataclasses.dataclass(frozen=True)
class Config:
    dataset: str = "rain"
    n: int = 200                 # points, training + validation
    noise: float = 0.1           # std of the Gaussian jitter of the points
    validation: float = 0.3      # fraction of the points held out
    depth: int = 2               # hidden layers
    width: int = 8               # units per hidden layer
    activation: str = "tanh"
    init: str = "xavier"         # xavier: U[±√6/√(d_in+d_out)]; he: N(0, 2/d_in); small: N(0, 0.01²)
    optimizer: str = "adam"      # sgd, momentum (μ = 0.9), adam
    lr: float = 0.03
    batch_size: int = 32
    l2: float = 0.0              # λ of J = L + λ Σ‖W‖²
    dropout: float = 0.0         # p of every hidden layer while training
    early_stopping: bool = False
    patience: int = 30           # epochs without a better validation loss
    seed: int = 1

    def __post_init__(self):
        checks = [
            (self.dataset in datasets2d.DATASETS, "dataset"), (10 <= self.n <= 2000, "n"),
            (0 <= self.noise <= 1, "noise"), (0.05 <= self.validation <= 0.9, "validation"),
            (1 <= self.depth <= 8, "depth"), (1 <= self.width <= 64, "width"),
            (self.activation in ACTIVATIONS, "activation"), (self.init in INITS, "init"),
            (self.optimizer in OPTIMIZERS, "optimizer"), (0 < self.lr <= 10, "lr"),
            (1 <= self.batch_size <= 2000, "batch_size"), (0 <= self.l2 <= 10, "l2"),
            (0 <= self.dropout < 1, "dropout"), (1 <= self.patience <= 10_000, "patience"),
            (0 <= self.seed < 2 ** 32, "seed"),
        ]
        bad = [name for ok, name in checks if not ok]
        if bad:
            raise ValueError(f"bad training configuration: {', '.join(bad)}")


def build_mlp(config: Config) -> nn.Sequential:
    """``Linear → activation (→ Dropout)`` × depth, then ``Linear(width, 1)`` giving the logit ``o``.
    Weights initialised as ``config.init`` says, biases at zero; draws from the shared generator."""
    layers, d_in = [], 2
    for _ in range(config.depth):
        layers += [nn.Linear(d_in, config.width), ACTIVATIONS[config.activation]()]
        if config.dropout:
            layers.append(nn.Dropout(config.dropout))
        d_in = config.width
    layers.append(nn.Linear(d_in, 1))
    model = nn.Sequential(*layers)
    for layer in linear_layers(model):
        if config.init == "xavier":
            nn.init.xavier_uniform_(layer.weight)
        elif config.init == "he":
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
        else:
            nn.init.normal_(layer.weight, 0.0, 0.01)
        nn.init.zeros_(layer.bias)
    return model


def linear_layers(model):
    return [m for m in model if isinstance(m, nn.Linear)]


class TrainingRun:
    """Data, model, optimiser and history of one reproducible run (see the module docstring)."""

    def __init__(self, config: Config):
        self.config = config
        data_seed, model_seed, train_seed = np.random.SeedSequence(config.seed).spawn(3)
        data_generator = np.random.default_rng(data_seed)
        x, y = datasets2d.make(config.dataset, config.n, config.noise, data_generator)
        self.x_train, self.y_train, self.x_val, self.y_val = datasets2d.split(x, y, config.validation, data_generator)
        with rng.using(np.random.default_rng(model_seed)):
            self.model = build_mlp(config)
        self.layers = linear_layers(self.model)
        self.generator = np.random.default_rng(train_seed)  # mini-batch order and dropout masks
        params = self.model.parameters()
        if config.optimizer == "adam":
            self.optimizer = optim.Adam(params, lr=config.lr)
        else:
            self.optimizer = optim.SGD(params, lr=config.lr, momentum=0.9 if config.optimizer == "momentum" else 0.0)
        self.stopper = optim.EarlyStopping(patience=config.patience) if config.early_stopping else None
        self.step_count = 0
        self.order = None
        self.epochs = []           # one dict per finished epoch
        self.grad_norms = []       # one list (per linear layer) per step
        self.last_step = None      # per layer: W, x, ∂L/∂y, ∂J/∂W of the latest step
        self.stopped = False

    @property
    def steps_per_epoch(self):
        return math.ceil(len(self.x_train) / self.config.batch_size)

    def run(self, steps: int):
        """Advance by up to ``steps`` mini-batch steps (fewer if early stopping ends the run)."""
        with rng.using(self.generator):
            for _ in range(steps):
                if self.stopped or self.step_count >= MAX_STEPS:
                    break
                self._step()

    def _step(self):
        config = self.config
        within = self.step_count % self.steps_per_epoch
        if within == 0:
            self.order = self.generator.permutation(len(self.x_train))
        batch = self.order[within * config.batch_size:(within + 1) * config.batch_size]
        self.model.train()
        h, seen = Tensor(self.x_train[batch]), []
        for module in self.model:
            out = module(h)
            if isinstance(module, nn.Linear):
                seen.append((h, out))
            h = out
        loss = F.binary_cross_entropy_with_logits(h.reshape(-1), Tensor(self.y_train[batch]))
        objective = loss + config.l2 * optim.l2_penalty([layer.weight for layer in self.layers]) if config.l2 else loss
        weights_before = [layer.weight.data.copy() for layer in self.layers]
        self.optimizer.zero_grad()
        objective.backward()
        self.grad_norms.append([float(np.linalg.norm(layer.weight.grad)) for layer in self.layers])
        self.last_step = [
            {"W": w, "x": x.data, "dy": y.grad, "dW": layer.weight.grad.copy()}
            for w, (x, y), layer in zip(weights_before, seen, self.layers)
        ]
        self.optimizer.step()
        self.step_count += 1
        if self.step_count % self.steps_per_epoch == 0:
            self._end_epoch()

    def evaluate(self, x, y):
        """``(L, accuracy)`` on a whole set, in evaluation mode (no dropout)."""
        self.model.eval()
        with no_grad():
            logits = self.model(Tensor(x)).reshape(-1)
            loss = F.binary_cross_entropy_with_logits(logits, Tensor(y)).item()
        return loss, float(np.mean((logits.data > 0) == (y > 0.5)))

    def _end_epoch(self):
        train_loss, train_acc = self.evaluate(self.x_train, self.y_train)
        val_loss, val_acc = self.evaluate(self.x_val, self.y_val)
        self.epochs.append({"epoch": len(self.epochs) + 1, "step": self.step_count, "train_loss": train_loss,
                            "val_loss": val_loss, "train_accuracy": train_acc, "val_accuracy": val_acc})
        if self.stopper is not None and self.stopper.step(val_loss, self.model):
            self.model.load_state_dict(self.stopper.best_state)
            self.stopped = True

    @property
    def best_epoch(self):
        """The epoch (1-based) early stopping keeps, or ``None``."""
        if self.stopper is None or self.stopper.best_epoch is None:
            return None
        return self.stopper.best_epoch + 1

    def probabilities(self, x):
        """``ŷ = σ(o)`` for points ``x`` ``(n, 2)``, in evaluation mode."""
        self.model.eval()
        with no_grad():
            return F.sigmoid(self.model(Tensor(np.asarray(x, dtype=np.float32)))).data.reshape(-1)
