"""The records of the identity registry: :class:`Identity`, :class:`Condition`,
:class:`CommonMistake`, and the chapters and kinds an identity can have."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: The book's chapters that derive identities: label -> title (in book order).
CHAPTERS: dict[str, str] = {
    "ch-derivatives": "Derivatives as linear approximations",
    "ch-gradients": "Gradients",
    "ch-jacobians": "Jacobians and layout",
    "ch-chain-rule": "The chain rule",
    "ch-hessians": "Hessians and curvature",
    "ch-matrix-derivatives": "Matrix derivatives",
    "ch-activations": "Activation functions",
    "ch-losses": "Loss functions",
    "ch-linear-models": "Linear models",
    "ch-likelihood": "Likelihood: MLE and MAP",
    "ch-backprop": "Backpropagation",
    "ch-checking": "Checking derivatives in practice",
}

#: The kinds of identity (see the module docstring for the shape of each derivative).
KINDS: tuple[str, ...] = (
    "derivative",
    "second-derivative",
    "gradient",
    "matrix-gradient",
    "jacobian",
    "hessian",
)

_KIND_WORDS = {
    "derivative": "derivative",
    "second-derivative": "second derivative",
    "gradient": "gradient",
    "matrix-gradient": "gradient (matrix)",
    "jacobian": "Jacobian",
    "hessian": "Hessian",
}


def _as_rng(rng: np.random.Generator | int | None) -> np.random.Generator:
    if rng is None:
        return np.random.default_rng(0)
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)):
        return np.random.default_rng(int(rng))
    raise TypeError(f"rng must be a numpy Generator, an int seed or None, got {type(rng).__name__}")


@dataclass(frozen=True)
class Condition:
    """A condition under which an identity holds, with a test that inputs satisfy it.

    Attributes:
        text: the condition in markdown with ``$...$`` math, e.g. ``"$A$ symmetric"``.
        holds: callable taking the inputs dict and returning True when the condition holds.
    """

    text: str
    holds: Callable[[Mapping[str, Any]], bool] = field(repr=False, compare=False)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class CommonMistake:
    """A wrong form of an identity that circulates, kept so the tests can prove it wrong.

    Attributes:
        latex: the wrong statement (plain LaTeX, no ``$``).
        derivative: callable with the same arguments as the identity's ``f`` returning the wrong
            derivative.
        why: one short sentence on where the wrong form comes from or when it would hold.
    """

    latex: str
    derivative: Callable[..., Any] = field(repr=False, compare=False)
    why: str = ""


@dataclass(frozen=True)
class Identity:
    """One derivative identity of the book, with everything needed to verify it.

    Attributes:
        id: unique identifier (kebab-case), e.g. ``"grad-quadratic-form"``.
        name: short plain-text name for tables, e.g. ``"quadratic form"``.
        latex: the statement in plain LaTeX (no ``$``, no ``|``: norms use ``\\lVert``).
        kind: one of :data:`KINDS`.
        f: the function, called as ``f(**inputs)``; written with ``autograd.numpy``.
        derivative: the claimed derivative, called as ``derivative(**inputs)``.
        make_inputs: callable ``rng -> dict`` of inputs; each call draws new shapes.
        wrt: the name of the argument differentiated.
        chapter: label of the chapter that derives it (a key of :data:`CHAPTERS`).
        shapes: LaTeX describing the shapes of the inputs.
        conditions: conditions under which the identity holds (inputs satisfy them).
        common_mistake: a wrong form learners meet, or None.
        reference: where the identity appears in the literature (e.g. a Matrix Cookbook equation).
        fixed_shapes: True if the identity is stated for fixed shapes (e.g. a function of
            two variables), so the shape draws do not vary.
    """

    id: str
    name: str
    latex: str
    kind: str
    f: Callable[..., Any] = field(repr=False, compare=False)
    derivative: Callable[..., Any] = field(repr=False, compare=False)
    make_inputs: Callable[[np.random.Generator], dict] = field(repr=False, compare=False)
    wrt: str
    chapter: str
    shapes: str = ""
    conditions: tuple[Condition, ...] = ()
    common_mistake: CommonMistake | None = None
    reference: str = ""
    fixed_shapes: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(
                f"Identity {self.id!r}: kind must be one of {KINDS}, got {self.kind!r}"
            )
        if self.chapter not in CHAPTERS:
            raise ValueError(
                f"Identity {self.id!r}: chapter must be one of {tuple(CHAPTERS)}, "
                f"got {self.chapter!r}"
            )
        if not self.latex.strip():
            raise ValueError(f"Identity {self.id!r}: latex must be non-empty")

    def inputs(self, rng: np.random.Generator | int | None = None) -> dict:
        """Draw one set of inputs (fresh shapes) satisfying the identity's conditions."""
        return self.make_inputs(_as_rng(rng))

    def function_of_wrt(self, inputs: Mapping[str, Any]) -> Callable[[Any], Any]:
        """Return ``x -> f(**inputs with inputs[wrt] = x)``, the function the derivative is of."""
        fixed = dict(inputs)

        def fn(x):
            kwargs = dict(fixed)
            kwargs[self.wrt] = x
            return self.f(**kwargs)

        return fn

    def claimed(self, inputs: Mapping[str, Any]) -> np.ndarray:
        """Evaluate the claimed derivative at ``inputs`` (as a float array)."""
        return np.asarray(self.derivative(**dict(inputs)), dtype=float)
