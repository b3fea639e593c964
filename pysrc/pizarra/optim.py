"""Optimisers (PyTorch's exact updates), penalties and early stopping.

Training loop, as in PyTorch::

    optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for x, y in batches:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()

Regularisation (course, section 2): ``J = L + λ Ω(θ)`` with
``Ω = l2_penalty(θ) = Σ θ²`` or ``l1_penalty(θ) = Σ |θ|`` (elastic net:
both). ``weight_decay=λ`` in ``SGD``/``Adam`` adds ``λ θ`` to each gradient,
which is the gradient of ``(λ/2) Σ θ²``.
"""

import numpy as np

from . import backend
from .backend import fused_optimizers
from .tensor import no_grad


class Optimizer:
    """Holds the parameters (in ``param_groups``, each group a dict of
    hyper-parameters plus ``"params"``) and per-parameter ``state``."""

    def __init__(self, params, defaults):
        params = list(params)
        groups = params if params and isinstance(params[0], dict) else [{"params": params}]
        self.param_groups = [{**defaults, **group, "params": list(group["params"])} for group in groups]
        self.state = {}

    def zero_grad(self):
        """Forget the gradients (``grad = None``, PyTorch's default)."""
        for group in self.param_groups:
            for p in group["params"]:
                p.grad = None

    def step(self):
        """Update every parameter that has a gradient (one living on the GPU in place, by one
        fused kernel: the same formula)."""
        with no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state.setdefault(id(p), {})
                    if backend.is_device_array(p.data):
                        self.update_on_gpu(p.data, p.grad, state, group)
                    else:
                        p.data = self.update(p.data, p.grad, state, group).astype(p.dtype, copy=False)

    def update(self, theta, grad, state, group):
        """New value of one parameter ``theta`` (NumPy arrays in and out)."""
        raise NotImplementedError

    def update_on_gpu(self, theta, grad, state, group):
        """The same update of a parameter that lives on the GPU, in place: here by the formula's
        element-wise kernels; SGD and Adam run one fused kernel instead."""
        theta[...] = self.update(theta, grad, state, group)

    def _all_params(self):
        return [p for group in self.param_groups for p in group["params"]]

    def state_dict(self):
        """``{"state": {i: {...}}, "param_groups": [...]}`` with parameters as
        indices, as PyTorch; arrays are copies."""
        index = {id(p): i for i, p in enumerate(self._all_params())}
        state = {index[key]: {k: np.copy(v) for k, v in s.items()} for key, s in self.state.items()}
        groups = [
            {**{k: v for k, v in g.items() if k != "params"}, "params": [index[id(p)] for p in g["params"]]}
            for g in self.param_groups
        ]
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        params = self._all_params()
        for group, saved in zip(self.param_groups, state_dict["param_groups"]):
            group.update({k: v for k, v in saved.items() if k != "params"})
        self.state = {
            id(params[i]): {k: np.copy(v) for k, v in s.items()} for i, s in state_dict["state"].items()
        }


class SGD(Optimizer):
    """Stochastic gradient descent, PyTorch's update::

    g ← ∇θ + λ θ                                  (weight_decay λ)
    b ← g  (first step),  b ← μ b + (1 - dampening) g   (momentum μ)
    g ← g + μ b  (nesterov)   or   g ← b
    θ ← θ - lr · g
    """

    def __init__(self, params, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(
            params,
            dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay, nesterov=nesterov),
        )

    def update(self, theta, grad, state, group):
        g = grad + group["weight_decay"] * theta if group["weight_decay"] else grad
        mu = group["momentum"]
        if mu:
            if "momentum_buffer" not in state:
                state["momentum_buffer"] = np.copy(g)
            else:
                state["momentum_buffer"] = mu * state["momentum_buffer"] + (1 - group["dampening"]) * g
            buf = state["momentum_buffer"]
            g = g + mu * buf if group["nesterov"] else buf
        return theta - group["lr"] * g

    def update_on_gpu(self, theta, grad, state, group):
        first_step = group["momentum"] and "momentum_buffer" not in state
        if first_step:
            state["momentum_buffer"] = np.empty_like(theta)
        fused_optimizers.sgd_step(
            theta,
            grad,
            state.get("momentum_buffer"),
            group["lr"],
            group["momentum"],
            group["dampening"],
            group["weight_decay"],
            group["nesterov"],
            first_step,
        )


class Adam(Optimizer):
    """Adam (Kingma & Ba), PyTorch's update at step ``t``::

    g ← ∇θ + λ θ                        (weight_decay λ, L2 as in torch.optim.Adam)
    m ← β₁ m + (1 - β₁) g               (mean of gradients)
    v ← β₂ v + (1 - β₂) g²              (mean of squared gradients)
    m̂ = m / (1 - β₁ᵗ),   v̂ = v / (1 - β₂ᵗ)   (bias correction)
    θ ← θ - lr · m̂ / (√v̂ + ε)
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay))

    def update(self, theta, grad, state, group):
        beta1, beta2 = group["betas"]
        g = grad + group["weight_decay"] * theta if group["weight_decay"] else grad
        t = self._count_step(state, theta)
        state["exp_avg"] = beta1 * state["exp_avg"] + (1 - beta1) * g
        state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1 - beta2) * g * g
        m_hat = state["exp_avg"] / (1 - beta1**t)
        v_hat = state["exp_avg_sq"] / (1 - beta2**t)
        return theta - group["lr"] * m_hat / (np.sqrt(v_hat) + group["eps"])

    def update_on_gpu(self, theta, grad, state, group):
        t = self._count_step(state, theta)
        fused_optimizers.adam_step(
            theta,
            grad,
            state["exp_avg"],
            state["exp_avg_sq"],
            t,
            group["lr"],
            group["betas"],
            group["eps"],
            group["weight_decay"],
        )

    @staticmethod
    def _count_step(state, theta):
        """``t``, this update's number (from 1); the first one starts m and v at 0."""
        if not state:
            state.update(step=0, exp_avg=np.zeros_like(theta), exp_avg_sq=np.zeros_like(theta))
        state["step"] += 1
        return state["step"]


def l2_penalty(params):
    """``Ω(θ) = Σ θ²`` over all given parameters (add ``λ Ω`` to the loss)."""
    return sum((p**2).sum() for p in params)


def l1_penalty(params):
    """``Ω(θ) = Σ |θ|`` over all given parameters (sparse solutions)."""
    return sum(p.abs().sum() for p in params)


class EarlyStopping:
    """Stop training when the validation loss has not improved for ``patience`` epochs.

    An epoch improves when ``loss < best_loss - min_delta``. Call
    ``step(val_loss)`` once per epoch; it returns ``True`` when training should
    stop. ``best_loss`` and ``best_epoch`` (0-based) record the best epoch;
    pass ``model`` to keep a copy of its weights then (``best_state``)::

        stopper = EarlyStopping(patience=5)
        for epoch in range(100):
            ...
            if stopper.step(val_loss, model):
                break
        model.load_state_dict(stopper.best_state)
    """

    def __init__(self, patience=5, min_delta=0.0):
        self.patience, self.min_delta = patience, min_delta
        self.best_loss, self.best_epoch, self.best_state = float("inf"), None, None
        self.epoch, self.bad_epochs, self.should_stop = -1, 0, False

    def step(self, val_loss, model=None):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.bad_epochs = val_loss, self.epoch, 0
            if model is not None:
                self.best_state = model.state_dict()
        else:
            self.bad_epochs += 1
        self.should_stop = self.bad_epochs >= self.patience
        return self.should_stop
