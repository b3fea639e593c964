"""The autograd core: graph, backward, broadcasting, every op against finite
differences, and the course's backprop example."""

import numpy as np
import pytest

import pizarra
from pizarra import backend, gradcheck, ops
from pizarra.gradcheck import GradcheckError
from pizarra.tensor import Function, Tensor, unbroadcast

rng = np.random.default_rng(1234)


def randn(*shape):
    return rng.standard_normal(shape)


# --- the course's example -----------------------------------------------------


def test_course_backprop_example_values_and_gradients():
    x, y, z, w = (
        pizarra.tensor(v, requires_grad=True, name=n)
        for v, n in [(3.0, "x"), (-4.0, "y"), (2.0, "z"), (0.0, "w")]
    )
    r = ((x * y) + pizarra.maximum(z, w)) * 2
    r.backward()
    # By hand: r = 2 (xy + max(z, w)); ∂r/∂x = 2y, ∂r/∂y = 2x, ∂r/∂z = 2 (z wins), ∂r/∂w = 0.
    assert r.item() == 2 * (3 * -4 + 2)
    nodes = pizarra.trace(r)
    by_label = {n["label"]: n for n in nodes if n["label"]}
    assert {k: by_label[k]["grad"] for k in "xyzw"} == {"x": 2 * -4, "y": 2 * 3, "z": 2, "w": 0}
    # Topological order, leaves first, and the intermediate nodes carry gradients.
    for node in nodes:
        assert all(i < node["id"] for i in node["inputs"])
    ops_by_value = {n["op"]: n for n in nodes if n["op"] in ("add", "maximum")}
    assert ops_by_value["add"]["value"] == -10 and ops_by_value["add"]["grad"] == 2
    assert ops_by_value["maximum"]["value"] == 2 and ops_by_value["maximum"]["grad"] == 2
    assert nodes[-1]["value"] == -20 and nodes[-1]["grad"] == 1
    assert [n["op"] for n in nodes].count("const") == 1  # the "* 2"
    import json

    json.dumps(nodes)


def test_trace_before_backward_has_no_gradients():
    a = pizarra.tensor([1.0, 2.0], requires_grad=True)
    nodes = pizarra.trace((a * a).sum())
    assert [n["op"] for n in nodes] == ["input", "mul", "sum"]
    assert all(n["grad"] is None for n in nodes)


# --- engine behaviour ---------------------------------------------------------


def test_dtypes_follow_pytorch():
    assert pizarra.tensor([1.0, 2.0]).dtype == np.float32
    assert pizarra.tensor(3.0).dtype == np.float32
    assert pizarra.tensor([1, 2]).dtype == np.int64
    assert pizarra.tensor(np.zeros(2)).dtype == np.float64
    x = pizarra.tensor([1.0, 2.0])
    assert (x * 2).dtype == np.float32 and (2.5 - x).dtype == np.float32
    assert (x**2).dtype == np.float32


def test_gradients_accumulate_and_reach_shared_nodes_once_per_path():
    a = pizarra.tensor(3.0, requires_grad=True)
    b = a * a + a  # db/da = 2a + 1 = 7
    b.backward()
    assert a.grad == 7
    (a * 2).backward()  # accumulates: 7 + 2
    assert a.grad == 9


def test_backward_with_explicit_gradient_and_errors():
    a = pizarra.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (a * 3).backward(np.array([1.0, 0.0, 2.0]))
    np.testing.assert_allclose(a.grad, [3, 0, 6])
    with pytest.raises(RuntimeError):
        (a * 3).backward()  # not a scalar
    with pytest.raises(RuntimeError):
        pizarra.tensor(1.0).backward()


def test_leaf_gradients_are_private_copies():
    a = pizarra.tensor([1.0, 2.0], requires_grad=True)
    b = pizarra.tensor([3.0, 4.0], requires_grad=True)
    (a + b).sum().backward()
    a.grad *= 10
    np.testing.assert_allclose(b.grad, [1, 1])


def test_no_grad_records_nothing():
    a = pizarra.tensor(2.0, requires_grad=True)
    with pizarra.no_grad():
        b = a * 3
    assert not b.requires_grad and b.grad_fn is None

    @pizarra.no_grad()
    def double(t):
        return t * 2

    assert not double(a).requires_grad
    assert (a * 3).requires_grad


def test_deep_graph_needs_no_recursion():
    a = pizarra.tensor(1.0, requires_grad=True)
    out = a
    for _ in range(5000):
        out = out + a
    out.backward()
    assert a.grad == 5001


def test_detach_cuts_the_graph():
    a = pizarra.tensor(2.0, requires_grad=True)
    (a.detach() * a).backward()
    assert a.grad == 2


def test_numpy_array_on_the_left_keeps_the_graph():
    a = pizarra.tensor([1.0, 2.0], requires_grad=True)
    out = np.array([3.0, 4.0]) * a
    assert isinstance(out, Tensor)
    out.sum().backward()
    np.testing.assert_allclose(a.grad, [3, 4])


def test_comparisons_are_boolean_tensors_outside_the_graph():
    a = pizarra.tensor([1.0, 5.0], requires_grad=True)
    mask = a > 2
    assert mask.dtype == bool and not mask.requires_grad
    np.testing.assert_array_equal(mask.numpy(), [False, True])


def test_cast_passes_the_gradient_back_in_the_input_dtype():
    a = pizarra.tensor(np.array([1.0, 2.0]), requires_grad=True)
    b = a.float()
    assert b.dtype == np.float32
    (b * b).sum().backward()
    assert a.grad.dtype == np.float64
    np.testing.assert_allclose(a.grad, [2, 4])


def test_unbroadcast_sums_stretched_axes():
    grad = np.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_allclose(unbroadcast(grad, (3, 1)), grad.sum(axis=(0, 2))[:, None])
    np.testing.assert_allclose(unbroadcast(grad, (4,)), grad.sum(axis=(0, 1)))


def test_max_with_dim_returns_values_and_indices():
    a = pizarra.tensor([[1.0, 7.0, 3.0], [4.0, 2.0, 0.0]])
    values, indices = a.max(dim=1)
    np.testing.assert_allclose(values.numpy(), [7, 4])
    np.testing.assert_array_equal(indices.numpy(), [1, 0])


def test_ties_split_the_gradient():
    a = pizarra.tensor([2.0, 2.0, 1.0], requires_grad=True)
    a.amax().backward()
    np.testing.assert_allclose(a.grad, [0.5, 0.5, 0])
    x, y = pizarra.tensor(1.0, requires_grad=True), pizarra.tensor(1.0, requires_grad=True)
    pizarra.maximum(x, y).backward()
    assert x.grad == 0.5 and y.grad == 0.5


def test_softmax_sums_to_one_and_survives_huge_logits():
    o = pizarra.tensor(np.array([[1000.0, -1000.0, 0.0], [1.0, 2.0, 3.0]]))
    s = o.softmax(dim=1).numpy()
    np.testing.assert_allclose(s.sum(axis=1), 1)
    np.testing.assert_allclose(s[0], [1, 0, 0])
    logp = o.log_softmax(dim=1).numpy()
    assert np.all(np.isfinite(logp))
    # log softmax(o)_i = o_i - log Σ e^(o_j), by hand: row 0 → [0, -2000, -1000].
    np.testing.assert_allclose(logp[0], [0, -2000, -1000])
    np.testing.assert_allclose(logp[1], [1, 2, 3] - np.log(np.exp([1, 2, 3]).sum()))


def test_indexing_with_repeated_indices_adds_gradients():
    a = pizarra.tensor([10.0, 20.0, 30.0], requires_grad=True)
    a[np.array([0, 2, 0])].sum().backward()
    np.testing.assert_allclose(a.grad, [2, 0, 1])


class _CountingBackend(backend.NumpyBackend):
    def __init__(self):
        self.calls = []

    def matmul(self, a, b):
        self.calls.append("matmul")
        return super().matmul(a, b)

    def sum(self, x, axis=None, keepdims=False):
        self.calls.append("sum")
        return super().sum(x, axis, keepdims)


def test_matrix_products_and_reductions_go_through_the_backend():
    counting = _CountingBackend()
    previous = backend.use(counting)
    try:
        a = pizarra.tensor(randn(2, 3), requires_grad=True)
        (a @ pizarra.tensor(randn(3, 4))).sum().backward()
    finally:
        backend.use(previous)
    assert counting.calls.count("matmul") >= 2 and "sum" in counting.calls
    assert backend.current() is previous
    with pytest.raises(ValueError):
        backend.use("no-such-backend")


# --- gradient checks ------------------------------------------------------------


def test_gradcheck_catches_a_wrong_gradient():
    class WrongSquare(Function):
        def forward(self, a):
            self.a = a
            return a**2

        def backward(self, grad):
            return grad * 3 * self.a  # should be 2a

    with pytest.raises(GradcheckError, match="input 0"):
        gradcheck(WrongSquare.apply, [randn(3)])
    assert gradcheck(WrongSquare.apply, [randn(3)], raise_exception=False) is False


positive = np.abs(randn(2, 3)) + 0.5
UNARY = {
    "neg": lambda a: -a,
    "exp": lambda a: a.exp(),
    "log": lambda a: (a * a + 0.5).log(),
    "sqrt": lambda a: (a * a + 0.5).sqrt(),
    "abs": lambda a: a.abs(),
    "tanh": lambda a: a.tanh(),
    "sigmoid": lambda a: a.sigmoid(),
    "relu": lambda a: a.relu(),
    "leaky_relu": lambda a: ops.LeakyReLU.apply(a, negative_slope=0.1),
    "elu": lambda a: ops.ELU.apply(a, alpha=0.7),
    "clamp": lambda a: a.clamp(-0.5, 0.5),
    "pow_scalar": lambda a: a**3,
    "rpow": lambda a: 2.0**a,
    "sum_all": lambda a: a.sum(),
    "sum_axis": lambda a: a.sum(dim=1),
    "sum_keepdim": lambda a: a.sum(axis=(0, 2), keepdims=True),
    "mean": lambda a: a.mean(dim=-1),
    "var": lambda a: a.var(dim=0),
    "amax": lambda a: a.amax(dim=1),
    "amin_keep": lambda a: a.amin(dim=2, keepdim=True),
    "max_all": lambda a: a.max(),
    "softmax": lambda a: a.softmax(dim=1),
    "log_softmax": lambda a: a.log_softmax(dim=-1),
    "reshape": lambda a: a.reshape(6, 4),
    "flatten": lambda a: a.flatten(1),
    "unsqueeze_squeeze": lambda a: a.unsqueeze(1).squeeze(1) * a,
    "permute": lambda a: a.permute(2, 0, 1),
    "transpose": lambda a: a.transpose(0, 2),
    "T": lambda a: a.T,
    "expand": lambda a: a[:, :1].expand(2, 5, 4),
    "basic_index": lambda a: a[1, ::2, 1:],
    "advanced_index": lambda a: a[np.array([0, 1, 1]), np.array([2, 0, 2])],
    "boolean_index": lambda a: a[a.numpy() > 0],
    "masked_fill": lambda a: a.masked_fill(a.numpy() > 0, 0.0),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_op_gradients(name):
    # Values away from kinks (0 for relu/abs, ±0.5 for clamp) keep finite differences exact.
    a = randn(2, 3, 4)
    a = np.where(np.abs(a) < 0.05, 0.3, a)
    a = np.where(np.abs(np.abs(a) - 0.5) < 0.05, 0.7, a)
    gradcheck(UNARY[name], [a])


BINARY = {
    "add": (lambda a, b: a + b, (2, 3), (3,)),
    "radd": (lambda a, b: 1.5 + a + b, (2, 3), (2, 1)),
    "sub": (lambda a, b: a - b, (2, 3), (1, 3)),
    "rsub": (lambda a, b: 1.0 - a * b, (2, 3), (2, 3)),
    "mul": (lambda a, b: a * b, (4, 1, 3), (2, 3)),
    "div": (lambda a, b: a / (b * b + 1), (2, 3), (3,)),
    "rdiv": (lambda a, b: 2.0 / (a * a + 1) + b, (3,), (3,)),
    "pow_tensors": (lambda a, b: (a * a + 1) ** b, (2, 3), (2, 3)),
    "maximum": (lambda a, b: pizarra.maximum(a, b), (2, 3), (3,)),
    "minimum": (lambda a, b: pizarra.minimum(a, b), (2, 3), (2, 3)),
    "where": (lambda a, b: pizarra.where(np.array([True, False, True]), a, b), (2, 3), (3,)),
    "matmul_2d": (lambda a, b: a @ b, (2, 3), (3, 4)),
    "matmul_batched": (lambda a, b: a @ b, (5, 2, 3), (5, 3, 4)),
    "matmul_broadcast": (lambda a, b: a @ b, (2, 5, 2, 3), (3, 4)),
    "matmul_vec_left": (lambda a, b: a @ b, (3,), (2, 3, 4)),
    "matmul_vec_right": (lambda a, b: a @ b, (2, 4, 3), (3,)),
    "matmul_vec_vec": (lambda a, b: a @ b, (3,), (3,)),
    "cat": (lambda a, b: pizarra.cat([a, b, a], dim=1), (2, 3), (2, 1)),
    "stack": (lambda a, b: pizarra.stack([a, b], dim=1), (2, 3), (2, 3)),
}


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_op_gradients(name):
    fn, shape_a, shape_b = BINARY[name]
    gradcheck(fn, [randn(*shape_a), randn(*shape_b)])
