"""The NumPy backend's matrix product where NumPy has no BLAS (Pyodide): einsum for wide products."""

import numpy as np

from pizarra.backend.numpy_backend import NumpyBackend, einsum_is_faster


def no_blas_backend():
    backend = NumpyBackend()
    backend.no_blas = True
    return backend


def test_no_blas_products_equal_numpy_for_every_shape_class():
    backend = no_blas_backend()
    rng = np.random.default_rng(0)
    shapes = [
        ((5, 40), (40, 30)),
        ((2, 4, 33), (33, 24)),
        ((3, 1, 4, 6), (2, 6, 2)),
        ((1, 64), (64, 1)),
        ((7, 50), (50, 25)),
    ]
    uses_einsum = []
    for shape_a, shape_b in shapes:
        a, b = rng.standard_normal(shape_a), rng.standard_normal(shape_b)
        np.testing.assert_allclose(backend.matmul(a, b), np.matmul(a, b), rtol=1e-12, atol=1e-12)
        uses_einsum.append(einsum_is_faster(a, b))
    assert uses_einsum == [True, True, False, False, True]


def test_the_choice_is_a_rule_of_shapes_so_results_repeat_exactly():
    backend = no_blas_backend()
    rng = np.random.default_rng(1)
    a, b = (
        rng.standard_normal((64, 300)).astype(np.float32),
        rng.standard_normal((300, 120)).astype(np.float32),
    )
    first = backend.matmul(a, b)
    for _ in range(3):
        np.testing.assert_array_equal(backend.matmul(a, b), first)
