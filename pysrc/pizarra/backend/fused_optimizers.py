"""The optimisers' updates as one GPU kernel per parameter, in place (``web/js/gpu/kernels/
optimizers.js``): what :mod:`pizarra.optim` runs when a parameter lives on the GPU, instead of the
dozen element-wise kernels its formula would take. Same formulas, same state. θ and the state
are contiguous GPU arrays (as the engine makes them); the gradient may be anything array-like."""

from __future__ import annotations

from .gpu_array import GPUArray, to_device


def _contiguous(*arrays):
    if not all(isinstance(a, GPUArray) and a.contiguous for a in arrays):
        raise ValueError("a fused update needs θ and its state as contiguous GPU arrays")


def sgd_step(theta, grad, momentum_buffer, lr, momentum, dampening, weight_decay, nesterov, first_step):
    """SGD's update of θ (and of the momentum buffer, which the first step sets to the gradient)."""
    with_buffer = momentum_buffer is not None  # none without momentum
    _contiguous(theta, *([momentum_buffer] if with_buffer else []))
    grad = to_device(grad).compact()
    params = {
        "n": theta.size,
        "theta_offset": theta.offset,
        "grad_offset": grad.offset,
        "buffer_offset": momentum_buffer.offset if with_buffer else 0,
        "lr": lr,
        "momentum": momentum,
        "dampening": dampening,
        "weight_decay": weight_decay,
        "nesterov": int(bool(nesterov)),
        "first_step": int(bool(first_step)),
    }
    storages = [theta.storage, grad.storage, momentum_buffer.storage if with_buffer else None]
    theta.storage.device.launch_per_element("sgd", storages, params)


def adam_step(theta, grad, exp_avg, exp_avg_sq, step, lr, betas, eps, weight_decay):
    """Adam's update number ``step`` (from 1) of θ, m (``exp_avg``) and v (``exp_avg_sq``)."""
    _contiguous(theta, exp_avg, exp_avg_sq)
    grad = to_device(grad).compact()
    beta1, beta2 = betas
    params = {
        "n": theta.size,
        "theta_offset": theta.offset,
        "grad_offset": grad.offset,
        "m_offset": exp_avg.offset,
        "v_offset": exp_avg_sq.offset,
        "lr": lr,
        "beta1": beta1,
        "beta2": beta2,
        "eps": eps,
        "weight_decay": weight_decay,
        "bias_correction1": 1 - beta1**step,
        "bias_correction2": 1 - beta2**step,
    }
    theta.storage.device.launch_per_element(
        "adam", [theta.storage, grad.storage, exp_avg.storage, exp_avg_sq.storage], params
    )
