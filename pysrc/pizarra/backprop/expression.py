"""Arithmetic expressions as pizarra computational graphs (course, section 2).

``parse(text)`` reads an expression such as the course's
``((x * y) + max(z, w)) * 2`` with a small recursive-descent parser — never
``eval`` — and ``build(tree, values)`` turns it into pizarra tensors, so the
graph *is* pizarra's autograd: ``r.backward()`` fills every node's ``∂r/∂·``
and :func:`pizarra.trace` lists the nodes::

    tree = parse("((x * y) + max(z, w)) * 2")
    r = build(tree, {"x": 3.0, "y": -4.0, "z": 2.0, "w": 0.0})
    r.backward()                       # r = -20, ∂r/∂x = 2y = -8, ∂r/∂z = 2

Grammar (``^`` binds tighter than unary minus, and to the right, as in
mathematics: ``-x^2 = -(x^2)``, ``2^3^2 = 2^9``; ``**`` is a synonym)::

    sum     := product (("+" | "-") product)*
    product := unary (("*" | "/") unary)*
    unary   := "-" unary | power
    power   := atom ("^" unary)?
    atom    := number | variable | function "(" sum ("," sum)* ")" | "(" sum ")"

Variables are a letter optionally followed by digits (``x``, ``w2``), so that
graph labels stay short; letters and digits are ASCII only (``x٣`` is not a
name, as the page's links do not carry one); functions: ``max, min`` (two arguments) and
``exp, log, tanh, sigmoid, relu`` (one). Every error is an
:class:`ExpressionError` with a ``code``, the ``position`` (0-based
character index) it points at, and ``details`` for the message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from .. import ops
from ..tensor import Tensor

FUNCTIONS = {
    "max": (2, ops.Maximum),
    "min": (2, ops.Minimum),
    "exp": (1, ops.Exp),
    "log": (1, ops.Log),
    "tanh": (1, ops.Tanh),
    "sigmoid": (1, ops.Sigmoid),
    "relu": (1, ops.ReLU),
}
BINARY = {"+": ops.Add, "-": ops.Sub, "*": ops.Mul, "/": ops.Div, "^": ops.Pow}
MAX_NODES = 200
MAX_LENGTH = 1000
MAX_DEPTH = 60  # nested parentheses / unary minus / exponents
MAX_VARIABLES = 8

_TOKEN = re.compile(
    r"\s*(?:(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)"
    r"|(?P<name>[A-Za-z_]\w*)|(?P<op>\*\*|[-+*/^(),]))",
    re.ASCII,
)
_VARIABLE = re.compile(r"[A-Za-z]\d*", re.ASCII)


class ExpressionError(ValueError):
    """A bad expression: ``code`` (e.g. ``"unexpected-char"``), ``position`` and ``details``."""

    def __init__(self, code, position, message, **details):
        super().__init__(f"{message} (at character {position + 1})")
        self.code, self.position, self.details = code, position, details


@dataclass
class Node:
    """One node of the parsed expression: ``kind`` is ``"number"``,
    ``"variable"``, a binary operator (``"+"``…), ``"neg"`` or a function name."""

    kind: str
    position: int
    args: list = field(default_factory=list)
    value: float | None = None
    name: str | None = None


@dataclass
class Tree:
    """A parsed expression: its root, its variables (first-appearance order) and its graph size."""

    root: Node
    variables: list
    size: int


def _tokenize(text):
    """``[(kind, text, position)]`` ending with ``("end", "", len(text))``."""
    tokens, position = [], 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position == len(text):
            tokens.append(("end", "", position))
            return tokens
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise ExpressionError(
                "unexpected-char", position, f"unexpected character {text[position]!r}", char=text[position]
            )
        kind = match.lastgroup
        tokens.append((kind, match.group(kind), match.start(kind)))
        position = match.end()


class _Parser:
    def __init__(self, text):
        self.tokens = _tokenize(text)
        self.index = 0
        self.depth = 0
        self.variables = []
        self.constants = 0
        self.operations = 0

    # --- reading tokens -------------------------------------------------------

    @property
    def kind(self):
        return self.tokens[self.index][0]

    @property
    def text(self):
        return self.tokens[self.index][1]

    @property
    def position(self):
        return self.tokens[self.index][2]

    def advance(self):
        token = self.tokens[self.index]
        self.index += 1
        return token

    def at(self, *ops_):
        return self.kind == "op" and self.text in ops_

    def unexpected(self):
        if self.kind == "end":
            return ExpressionError("unexpected-end", self.position, "the expression ends too early")
        return ExpressionError(
            "unexpected-token", self.position, f"unexpected {self.text!r}", token=self.text
        )

    def expect(self, op, opened_at=None):
        if self.at(op):
            return self.advance()
        if op == ")" and opened_at is not None and self.kind == "end":
            raise ExpressionError("unclosed-paren", opened_at, "this parenthesis is never closed")
        raise self.unexpected()

    # --- counting the graph -------------------------------------------------------

    def count(self, node):
        """Keep the graph under MAX_NODES while parsing (variables count once: one node each)."""
        if node.kind == "number":
            self.constants += 1
        elif node.kind != "variable":
            self.operations += 1
        size = self.constants + self.operations + len(self.variables)
        if size > MAX_NODES:
            raise ExpressionError(
                "too-many-nodes",
                node.position,
                f"the graph would have more than {MAX_NODES} nodes",
                limit=MAX_NODES,
            )
        return node

    def nest(self, position):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(
                "too-deep", position, f"more than {MAX_DEPTH} levels of nesting", limit=MAX_DEPTH
            )

    # --- grammar ---------------------------------------------------------------------

    def parse(self):
        if self.kind == "end":
            raise ExpressionError("empty", 0, "the expression is empty")
        root = self.sum()
        if self.kind != "end":
            raise self.unexpected()
        return Tree(root, self.variables, self.constants + self.operations + len(self.variables))

    def sum(self):
        node = self.product()
        while self.at("+", "-"):
            _, op, position = self.advance()
            node = self.count(Node(op, position, [node, self.product()]))
        return node

    def product(self):
        node = self.unary()
        while self.at("*", "/"):
            _, op, position = self.advance()
            node = self.count(Node(op, position, [node, self.unary()]))
        return node

    def unary(self):
        if self.at("-"):
            position = self.advance()[2]
            self.nest(position)
            operand = self.unary()
            self.depth -= 1
            return self.count(Node("neg", position, [operand]))
        if self.at("+"):
            self.advance()
        return self.power()

    def power(self):
        base = self.atom()
        if self.at("^", "**"):
            position = self.advance()[2]
            self.nest(position)
            exponent = self.unary()
            self.depth -= 1
            return self.count(Node("^", position, [base, exponent]))
        return base

    def atom(self):
        kind, text, position = self.tokens[self.index]
        if kind == "number":
            self.advance()
            return self.count(Node("number", position, value=float(text)))
        if kind == "name":
            self.advance()
            if self.at("("):
                return self.call(text, position)
            if text in FUNCTIONS:
                raise ExpressionError(
                    "function-needs-call", position, f"{text} is a function: write {text}(…)", name=text
                )
            if not _VARIABLE.fullmatch(text):
                raise ExpressionError("unknown-name", position, f"unknown name {text!r}", name=text)
            if text not in self.variables:
                if len(self.variables) == MAX_VARIABLES:
                    raise ExpressionError(
                        "too-many-variables",
                        position,
                        f"more than {MAX_VARIABLES} variables",
                        limit=MAX_VARIABLES,
                    )
                self.variables.append(text)
                self.count(Node("variable", position, name=text))
            return Node("variable", position, name=text)
        if self.at("("):
            self.advance()
            self.nest(position)
            node = self.sum()
            self.expect(")", opened_at=position)
            self.depth -= 1
            return node
        raise self.unexpected()

    def call(self, name, position):
        if name not in FUNCTIONS:
            raise ExpressionError("unknown-function", position, f"unknown function {name!r}", name=name)
        opened_at = self.advance()[2]
        self.nest(opened_at)
        args = [self.sum()]
        while self.at(","):
            self.advance()
            args.append(self.sum())
        self.expect(")", opened_at=opened_at)
        self.depth -= 1
        arity = FUNCTIONS[name][0]
        if len(args) != arity:
            raise ExpressionError(
                "arity",
                position,
                f"{name} takes {arity} argument(s), got {len(args)}",
                name=name,
                expected=arity,
                got=len(args),
            )
        return self.count(Node(name, position, args))


def parse(text: str) -> Tree:
    """The :class:`Tree` of ``text``; raises :class:`ExpressionError`."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            "too-long", MAX_LENGTH, f"longer than {MAX_LENGTH} characters", limit=MAX_LENGTH
        )
    return _Parser(text).parse()


def build(tree: Tree, values: dict) -> Tensor:
    """The expression as pizarra tensors in float64: one leaf per variable
    (``requires_grad``, named), one constant leaf per number, one
    :class:`~pizarra.tensor.Function` per operation. Division by zero and
    logarithms of non-positive numbers give ``±inf`` / ``nan`` without warnings."""
    leaves = {
        name: Tensor(np.float64(values[name]), requires_grad=True, name=name) for name in tree.variables
    }

    def tensor_of(node):
        if node.kind == "number":
            return Tensor(np.float64(node.value), name=_format_number(node.value))
        if node.kind == "variable":
            return leaves[node.name]
        args = [tensor_of(arg) for arg in node.args]
        if node.kind == "neg":
            return ops.Neg.apply(*args)
        function = BINARY.get(node.kind) or FUNCTIONS[node.kind][1]
        return function.apply(*args)

    with np.errstate(all="ignore"):
        return tensor_of(tree.root)


def _format_number(value):
    return f"{value:g}"
