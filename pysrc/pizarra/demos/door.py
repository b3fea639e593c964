"""The engine's door: every function a page calls declares its arguments once, and
:func:`pizarra.demos.call` checks each call against that declaration before any work starts.

    @takes(steps=Whole(0, MAX_STEPS_PER_CALL), inspect_layer=Maybe(Whole(0, 6)))
    def backprop_lab_train(steps, inspect_layer=None): ...

A declaration names each argument's kind and bounds (lengths of text and lists too, so every loop
a call can start has a ceiling); settings a page's Python already bounds (``RANGES``, ``CHOICES``)
are declared from those tables with :func:`settings`, so a range is written once. A call that
does not fit is refused with :class:`Refused`: a ``code``, the argument (``field``, dotted inside
objects), the ``limit`` it broke and at most :data:`ECHO` characters of the value it gave. The
page words it in the user's language (web/js/ui/engine-error.js); the codes:

==================  ===========================================  ==============================
code                meaning                                      limit
==================  ===========================================  ==============================
unknown-function    no demo function has that name              —
unknown-argument    the function takes no argument of that name  —
missing-argument    a required argument is not given             —
wrong-type          not the kind of value declared               "whole", "number", "text",
                                                                 "flag", "list" or "object"
out-of-range        a number outside its bounds                  [low, high]
not-a-choice        not one of the declared values               the values
too-long            text longer than declared                    characters
too-many            a list or object with too many items         items
empty               text with nothing to read in it              —
too-short           text with too little to work on              the least it needs
bad-format          text not in the declared form                "base64", "base64url", "name"
                                                                 (or a form a function names)
wrong-size          data of another size than the call needs     the size needed
needs-first         the engine lacks what another call makes     that function's name
not-found           a name that names nothing                    —
==================  ===========================================  ==============================

The last six are raised by the functions themselves (they depend on two arguments or on what the
engine holds), before their work starts.
"""

from __future__ import annotations

import inspect
import json
import math
import re

from pizarra.notebooks import LANGUAGES

CODES = (
    "unknown-function",
    "unknown-argument",
    "missing-argument",
    "wrong-type",
    "out-of-range",
    "not-a-choice",
    "too-long",
    "too-many",
    "empty",
    "too-short",
    "bad-format",
    "wrong-size",
    "needs-first",
    "not-found",
)
KINDS = ("whole", "number", "text", "flag", "list", "object")  # the limits of wrong-type
ECHO = 80  # characters of an offending value a refusal repeats
MAX_CALL_MS = 10_000  # the longest time budget a call may ask for (a page asks for a few hundred ms)
FORMS = {
    "base64": re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?"),
    "base64url": re.compile(r"[A-Za-z0-9_-]*"),
    "name": re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*", re.ASCII),  # a dotted Python name
}


def base64_length(size: int) -> int:
    """Characters of the base64 text of ``size`` bytes (padded)."""
    return 4 * math.ceil(size / 3)


class Refused(ValueError):
    """A call refused at the door (or by its function, before any work): see the module's table."""

    def __init__(self, code: str, field: str | None = None, limit=None, value=None):
        if code not in CODES:
            raise ValueError(f"not a refusal code: {code!r}")
        self.code, self.field, self.limit = code, field, limit
        self.value = None if value is None else echo(value)
        super().__init__(
            f"{code}: {field}"
            + ("" if limit is None else f" (limit {limit!r})")
            + ("" if value is None else f", got {self.value!r}")
        )

    def as_json(self) -> dict:
        return {"code": self.code, "field": self.field, "limit": self.limit, "value": self.value}


def echo(value) -> str:
    """At most ECHO characters of a value, as text ("…" marks the cut)."""
    text = value if isinstance(value, str) else json.dumps(value, default=repr)
    return text if len(text) <= ECHO else text[: ECHO - 1] + "…"


# --- the kinds of argument ---------------------------------------------------------------------
# Each has check(value, field) -> the value, or raises Refused.


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class Number:
    """A finite number within [low, high]."""

    kind = "number"

    def __init__(self, low: float = -math.inf, high: float = math.inf):
        self.low, self.high = low, high

    def fits(self, value) -> bool:
        return _is_number(value) and math.isfinite(value)

    def check(self, value, field):
        if not self.fits(value):
            raise Refused("wrong-type", field, self.kind, value)
        if not self.low <= value <= self.high:
            raise Refused("out-of-range", field, [self.low, self.high], value)
        return value


class Whole(Number):
    """A whole number within [low, high] (JSON's 3, not 3.5 nor true)."""

    kind = "whole"

    def fits(self, value) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)


class Flag:
    """true or false."""

    def check(self, value, field):
        if not isinstance(value, bool):
            raise Refused("wrong-type", field, "flag", value)
        return value


class Choice:
    """One of ``values`` (of the same JSON type: true is not 1)."""

    def __init__(self, values):
        self.values = tuple(values)

    def check(self, value, field):
        if not any(type(value) is type(choice) and value == choice for choice in self.values):
            raise Refused("not-a-choice", field, list(self.values), value)
        return value


class Text:
    """A string of at most ``max_length`` characters, in ``form`` (a name of FORMS) if given."""

    def __init__(self, max_length: int, form: str | None = None):
        self.max_length, self.form = max_length, form

    def check(self, value, field):
        if not isinstance(value, str):
            raise Refused("wrong-type", field, "text", value)
        if len(value) > self.max_length:
            raise Refused("too-long", field, self.max_length, value)
        if self.form and not FORMS[self.form].fullmatch(value):
            raise Refused("bad-format", field, self.form, value)
        return value


class Maybe:
    """``None`` (JSON's null), or a value of ``kind``."""

    def __init__(self, kind):
        self.kind = kind

    def check(self, value, field):
        return None if value is None else self.kind.check(value, field)


class Items:
    """A list of at most ``max_items`` values of ``kind``."""

    def __init__(self, kind, max_items: int):
        self.kind, self.max_items = kind, max_items

    def check(self, value, field):
        if not isinstance(value, list):
            raise Refused("wrong-type", field, "list", value)
        if len(value) > self.max_items:
            raise Refused("too-many", field, self.max_items, value)
        return [self.kind.check(item, f"{field}[{i}]") for i, item in enumerate(value)]


class Table:
    """An object of at most ``max_items`` entries: keys of kind ``keys``, values of kind ``values``."""

    def __init__(self, keys, values, max_items: int):
        self.keys, self.values, self.max_items = keys, values, max_items

    def check(self, value, field):
        if not isinstance(value, dict):
            raise Refused("wrong-type", field, "object", value)
        if len(value) > self.max_items:
            raise Refused("too-many", field, self.max_items, value)
        return {
            self.keys.check(key, field): self.values.check(item, f"{field}.{key}")
            for key, item in value.items()
        }


class Record:
    """An object with these fields (each of its kind); with ``partial`` any of them may be left out,
    else those named in ``optional``."""

    def __init__(self, fields: dict, partial: bool = False, optional=()):
        self.fields = fields
        self.required = set() if partial else set(fields) - set(optional)

    def check(self, value, field):
        if not isinstance(value, dict):
            raise Refused("wrong-type", field, "object", value)
        return check_fields(self.fields, self.required, value, f"{field}.")


def check_fields(kinds: dict, required: set, given: dict, prefix: str = "") -> dict:
    """``given`` checked against ``kinds``: unknown and missing fields refused, each value checked."""
    for name in given:
        if name not in kinds:
            raise Refused("unknown-argument", prefix + str(name))
    for name in kinds:
        if name in required and name not in given:
            raise Refused("missing-argument", prefix + name)
    return {name: kinds[name].check(value, prefix + name) for name, value in given.items()}


# --- declaring a function's arguments ------------------------------------------------------------


def settings(module, *names) -> dict:
    """The kinds of a settings module's ``RANGES`` and ``CHOICES`` (only ``names``, when given): a
    range of whole numbers when the name is in its ``WHOLE``, else of numbers; a choice of the
    listed values."""
    whole = getattr(module, "WHOLE", ())
    kinds = {
        **{
            name: (Whole if name in whole else Number)(low, high)
            for name, (low, high) in module.RANGES.items()
        },
        **{name: Choice(values) for name, values in module.CHOICES.items()},
    }
    return {name: kinds[name] for name in names} if names else kinds


def takes(**kinds):
    """Declare a demo function's arguments: one kind per parameter (a function taking ``**config``
    declares the names it accepts). Parameters without a default are required."""

    def declare(function):
        parameters = inspect.signature(function).parameters.values()
        named = {p.name for p in parameters if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)}
        open_ended = any(p.kind is p.VAR_KEYWORD for p in parameters)
        undeclared, unknown = named - set(kinds), (set() if open_ended else set(kinds) - named)
        if undeclared or unknown:
            raise TypeError(
                f"{function.__name__}: declare {sorted(undeclared)}; no such parameters {sorted(unknown)}"
            )
        function.arguments = kinds
        function.required = {p.name for p in parameters if p.name in named and p.default is p.empty}
        return function

    return declare


# --- what every page's notebook function takes (web/js/ui/notebook.js adds it to the page's arguments)

MAX_LINK = 65_536  # characters of a page's address: more than any link url-state.js writes
NOTEBOOK = {
    "language": Choice(LANGUAGES),
    "link": Text(MAX_LINK),
    "site": Record(
        {
            "url": Text(MAX_LINK),
            "wheel": Text(200),
            "wheel_sha256": Text(64),
            "repository": Maybe(Text(MAX_LINK)),
        }
    ),
}
