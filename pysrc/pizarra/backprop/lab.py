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
weights of its best epoch. A step and the epoch's evaluation it ends are done together or not at
all (:func:`pizarra.training.uninterrupted`): a page's Stop leaves the run at a step boundary.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .. import nn, optim, rng
from ..data import points
from ..nn import functional as F
from ..tensor import Tensor, no_grad
from ..training import Trainer, uninterrupted

ACTIVATIONS = {
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU,
    "elu": nn.ELU,
}
INITS = ("xavier", "he", "small")
OPTIMIZERS = ("sgd", "momentum", "adam")
MAX_STEPS = 100_000
# The bounds and choices of every setting (the page's state.js declares the same; tests/test_schemas.py
# compares them).
RANGES = {
    "n": (20, 1000),
    "noise": (0, 0.5),
    "validation": (0.1, 0.5),
    "depth": (1, 6),
    "width": (1, 32),
    "lr": (0.0001, 3),
    "batch_size": (1, 1000),
    "l2": (0, 0.1),
    "dropout": (0, 0.8),
    "patience": (1, 500),
    "seed": (0, 2**31 - 1),
}
CHOICES = {
    "dataset": points.DATASETS,
    "activation": tuple(ACTIVATIONS),
    "init": INITS,
    "optimizer": OPTIMIZERS,
}
WHOLE = ("n", "depth", "width", "batch_size", "patience", "seed")  # the RANGES of whole numbers


@dataclasses.dataclass(frozen=True)
class Config:
    dataset: str = "rain"
    n: int = 200  # points, training + validation
    noise: float = 0.1  # std of the Gaussian jitter of the points
    validation: float = 0.3  # fraction of the points held out
    depth: int = 2  # hidden layers
    width: int = 8  # units per hidden layer
    activation: str = "tanh"
    init: str = "xavier"  # xavier: U[±√6/√(d_in+d_out)]; he: N(0, 2/d_in); small: N(0, 0.01²)
    optimizer: str = "adam"  # sgd, momentum (μ = 0.9), adam
    lr: float = 0.03
    batch_size: int = 32
    l2: float = 0.0  # λ of J = L + λ Σ‖W‖²
    dropout: float = 0.0  # p of every hidden layer while training
    early_stopping: bool = False
    patience: int = 30  # epochs without a better validation loss
    seed: int = 1

    def __post_init__(self):
        bad = [name for name, (lo, hi) in RANGES.items() if not lo <= getattr(self, name) <= hi]
        bad += [name for name, values in CHOICES.items() if getattr(self, name) not in values]
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
        x, y = points.make(config.dataset, config.n, config.noise, data_generator)
        self.x_train, self.y_train, self.x_val, self.y_val = points.split(
            x, y, config.validation, data_generator
        )
        with rng.using(np.random.default_rng(model_seed)):
            self.model = build_mlp(config)
        self.layers = linear_layers(self.model)
        params = self.model.parameters()
        if config.optimizer == "adam":
            optimizer = optim.Adam(params, lr=config.lr)
        else:
            optimizer = optim.SGD(
                params, lr=config.lr, momentum=0.9 if config.optimizer == "momentum" else 0.0
            )
        # The mini-batch order and the dropout masks come from the trainer's generator (train_seed).
        self.trainer = Trainer(
            self.model,
            optimizer,
            self._objective,
            (self.x_train, self.y_train),
            batch_size=config.batch_size,
            seed=train_seed,
            after_backward=self._record,
        )
        self.stopper = optim.EarlyStopping(patience=config.patience) if config.early_stopping else None
        self.epochs = []  # one dict per finished epoch
        self.grad_norms = []  # one list (per linear layer) per step
        self.last_step = None  # per layer: W, x, ∂L/∂y, ∂J/∂W of the latest step
        self.stopped = False

    @property
    def step_count(self):
        return self.trainer.steps

    @property
    def steps_per_epoch(self):
        return self.trainer.steps_per_epoch

    def run(self, steps: int):
        """Advance by up to ``steps`` mini-batch steps (fewer if early stopping ends the run)."""
        for _ in range(steps):
            if self.stopped or self.step_count >= MAX_STEPS:
                break
            with uninterrupted():
                self.trainer.step()
                if self.trainer.end_of_epoch:
                    self._end_epoch()

    def _objective(self, batch):
        """``J = L + λ Σ‖W‖²`` on a batch, keeping each linear layer's input ``x`` and output ``y``."""
        x, y = batch
        h, seen = Tensor(x), []
        for module in self.model:
            out = module(h)
            if isinstance(module, nn.Linear):
                seen.append((h, out))
            h = out
        loss = F.binary_cross_entropy_with_logits(h.reshape(-1), Tensor(y))
        l2 = self.config.l2
        objective = loss + l2 * optim.l2_penalty([layer.weight for layer in self.layers]) if l2 else loss
        return objective, {"seen": seen}

    def _record(self, info):
        """After backward, before the update: ``‖∂J/∂W_l‖`` and each layer's ``W, x, ∂L/∂y, ∂J/∂W``."""
        self.grad_norms.append([float(np.linalg.norm(layer.weight.grad)) for layer in self.layers])
        self.last_step = [
            {"W": layer.weight.data.copy(), "x": x.data, "dy": y.grad, "dW": layer.weight.grad.copy()}
            for (x, y), layer in zip(info.pop("seen"), self.layers)
        ]

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
        self.epochs.append(
            {
                "epoch": len(self.epochs) + 1,
                "step": self.step_count,
                "train_loss": train_loss,
                "val_loss": val_loss,
                "train_accuracy": train_acc,
                "val_accuracy": val_acc,
            }
        )
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
