"""The identity registry cross-checked by mlcalc.symbolic (issue 16).

The registry states each identity as Python callables (``f``, the claimed derivative, an input
generator). This file states, by hand, the same ``f`` as an engine expression with its shapes:
``TABLE`` maps an entry id to a :class:`Case`. For every case the engine derives the derivative
(``derive`` verifies it itself, at its own random point), and the test compares
``Derivation.evaluate`` with the registry's *claimed* derivative at the registry's own random
inputs (its generator respects conditions such as symmetric, SPD, away from a kink), for several
draws. Entries the grammar cannot express are in ``NOT_EXPRESSIBLE`` with a reason category.
Every registry id is in exactly one of the two, so a new registry entry fails the test until it
is placed.

Modes:

- ``"direct"``: the registry's ``wrt`` is the engine's ``wrt``; gradient, Jacobian (numerator
  layout), matrix gradient, or Hessian (``order=2``) compared entry by entry.
- ``"points"``: a ``derivative`` / ``second-derivative`` entry: the registry evaluates a scalar
  function at a 1-D array of points at once. The engine derives the scalar function of a scalar
  (shape ``()``) and is evaluated at each point in turn (``paired`` inputs are indexed with it).

Some expressions are rewritten because the grammar has no such node; each rewrite is tagged
(``Case.note``), counted in the report, and is the same function as the registry's ``f``:

- ``ones``: a sum along one axis of a matrix, or ``b 1^T``, through a constant ones vector ``o``;
- ``units``: a component ``x_i`` as ``e_i^T x`` with a constant unit vector (no indexing);
- ``cosh``: ``cosh z = (e^z + e^{-z})/2``;
- ``piecewise``: a piecewise function through ``relu`` (leaky ReLU, ELU, Huber);
- ``1/N``: a mean as a sum divided by a scalar input ``N`` bound to the length;
- ``power``: the drawn numeric exponent ``k`` (``x**k``, ``tr(X^k)``, ``det(X^k)``) written into
  the expression of each draw, ``a^x`` as ``exp(x log a)``;
- ``constant``: an additive constant of ``f`` passed as a scalar input (``ln k_i!``).

``python tests/test_symbolic_registry.py`` prints the coverage report (the same Markdown that
``benchmarks/symbolic/compare.py --write`` puts into ``benchmarks/symbolic/RESULTS.md``).
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pytest

from mlcalc.identities import CHAPTERS, IDENTITIES, get_identity
from mlcalc.symbolic import derive

DRAWS = 3
RTOL = 1e-7
LOG2PI = "1.8378770664093453"  # ln(2 pi), as a numeric constant of the grammar
TWOPI = "6.283185307179586"


class Case(NamedTuple):
    expr: str | Callable[[dict], str]
    shapes: dict
    mode: str = "direct"
    extra: dict | None = None  # engine name -> function(registry inputs) -> value
    note: str = ""
    paired: tuple = ()  # points mode: inputs indexed together with the points


def S(spec: str) -> dict:
    """``S("x:n A:m,n b:")`` -> ``{"x": ("n",), "A": ("m", "n"), "b": ()}`` (digits -> ints)."""
    out = {}
    for item in spec.split():
        name, _, dims = item.partition(":")
        out[name] = tuple(int(d) if d.isdigit() else d for d in dims.split(",") if d)
    return out


def _n(name, axis=0):
    return lambda d: float(np.shape(d[name])[axis])


def _ones(name, axis=0):
    return lambda d: np.ones(np.shape(d[name])[axis])


def _unit(i, n):
    return lambda d: np.eye(n)[i]


def P(expr, shapes, **kw):
    return Case(expr, S(shapes), mode="points", **kw)


def D(expr, shapes, **kw):
    return Case(expr, S(shapes), **kw)


def _cosh_sum(z):
    return f"sum(log((exp({z}) + exp(-({z}))) / 2))"


def _matpow(name, k):
    return " @ ".join([name] * int(k))


BCE = "-sum(y * log(sigmoid(X @ w)) + (1 - y) * log(1 - sigmoid(X @ w)))"
LM = "w:d X:N,d y:N"
U2 = {"e1": _unit(0, 2), "e2": _unit(1, 2)}
U3 = {"d1": _unit(0, 3), "d2": _unit(1, 3), "d3": _unit(2, 3)}

TABLE: dict[str, Case] = {
    # ---- ch-derivatives (scalar functions, evaluated point by point)
    "d-power": P(lambda d: f"x**{float(d['k'])!r}", "x:", note="power"),
    "d-exp": P("exp(x)", "x:"),
    "d-log": P("log(x)", "x:"),
    "d-reciprocal": P("1 / x", "x:"),
    "d-sqrt": P("sqrt(x)", "x:"),
    "d-sin": P("sin(x)", "x:"),
    "d-cos": P("cos(x)", "x:"),
    "d-tan": P("tan(x)", "x:"),
    "d-exp-base": P("exp(x * log(a))", "x: a:", note="power"),
    "d-arctan": P("arctan(x)", "x:"),
    "d-xlogx": P("x * log(x)", "x:"),
    "d-product-rule": P("x**2 * exp(x)", "x:"),
    "d-quotient-rule": P("sin(x) / x", "x:"),
    "d-chain-gauss": P("exp(-x**2 / 2)", "x:"),
    "d-chain-log1p-sq": P("log(1 + x**2)", "x:"),
    "d-abs": P("abs(x)", "x:"),
    "d-ls-1d": P("sum((y - a * x)**2)", "a: x:N y:N"),
    "d2-ls-1d": P("sum((y - a * x)**2)", "a: x:N y:N"),
    "d2-power": P(lambda d: f"x**{float(d['k'])!r}", "x:", note="power"),
    "d2-gauss": P("exp(-x**2 / 2)", "x:"),
    # ---- ch-gradients
    "grad-linear": D("a @ x", "x:n a:n"),
    "grad-affine": D("a @ x + b", "x:n a:n b:"),
    "grad-sum": D("sum(x)", "x:n"),
    "grad-sq-norm": D("x @ x", "x:n"),
    "grad-half-sq-norm": D("0.5 * x @ x", "x:n"),
    "grad-norm": D("norm(x)", "x:n"),
    "grad-dist": D("norm(x - a)", "x:n a:n"),
    "grad-sq-dist": D("(x - a) @ (x - a)", "x:n a:n"),
    "grad-l1": D("sum(abs(x))", "x:n"),
    "grad-weighted-sq-norm": D("x @ W @ x", "x:n W:n,n"),
    "grad-weighted-norm": D("sqrt(x @ W @ x)", "x:n W:n,n"),
    "grad-quadratic-form": D("x @ A @ x", "x:n A:n,n"),
    "grad-quadratic-form-sym": D("x @ A @ x", "x:n A:n,n"),
    "grad-half-quadratic-sym": D("0.5 * x @ A @ x", "x:n A:n,n"),
    "grad-trace-quadratic": D("tr(A @ x @ x.T)", "x:n A:n,n"),
    "grad-bilinear-right": D("y @ A @ x", "x:n y:m A:m,n"),
    "grad-bilinear-left": D("y @ A @ x", "x:n y:m A:m,n"),
    "grad-xTATb": D("x @ A.T @ b", "x:n A:m,n b:m"),
    "grad-affine-dot": D("(A @ x + b) @ c", "x:n A:m,n b:m c:m"),
    "grad-sq-norm-Ax": D("(A @ x) @ (A @ x)", "x:n A:m,n"),
    "grad-half-xTATAx": D("0.5 * x @ A.T @ A @ x", "x:n A:m,n"),
    "grad-least-squares": D("(A @ x - b) @ (A @ x - b)", "x:n A:m,n b:m"),
    "grad-half-least-squares": D("0.5 * (A @ x - b) @ (A @ x - b)", "x:n A:m,n b:m"),
    "grad-entropy": D("-sum(x * log(x))", "x:n"),
    "grad-sum-log": D("sum(log(x))", "x:n"),
    "grad-exp-linear": D("exp(a @ x)", "x:n a:n"),
    "grad-cubic-norm": D("sum(abs(x)**3)", "x:n"),
    "grad-cosine-similarity": D("a @ x / (norm(a) * norm(x))", "x:n a:n"),
    "grad-lagrangian-eig": D("x @ A @ x - lam * (x @ x - 1)", "x:n A:n,n lam:"),
    "grad-lagrangian-multiplier": P("x @ A @ x - lam * (x @ x - 1)", "lam: x:n A:n,n"),
    "grad-difference-of-linear": D("y @ x - w @ x", "x:n y:n w:n"),
    # ---- ch-jacobians
    "jac-linear": D("A @ x", "x:n A:m,n"),
    "jac-affine": D("A @ x + b", "x:n A:m,n b:m"),
    "jac-row-times-matrix": D("x @ A", "x:m A:m,n"),
    "jac-identity": D("1.0 * x", "x:n"),
    "jac-neg-log": D("-log(x)", "x:n"),
    "jac-exp": D("exp(x)", "x:n"),
    "jac-elementwise": D("sin(x)", "x:n"),
    "jac-square": D("x * x", "x:n"),
    "jac-hadamard-const": D("a * x", "x:n a:n"),
    "jac-hadamard-product-rule": D("(A @ x) * (B @ x)", "x:n A:m,n B:m,n"),
    "jac-rank-one": D("(a @ x) * b", "x:n a:n b:m"),
    "jac-scaled-x": D("(a @ x) * x", "x:n a:n"),
    "jac-normalize": D("x / norm(x)", "x:n"),
    "jac-norm-sq-times-x": D("(x @ x) * x", "x:n"),
    "jac-polar": D("e1 * (e1 @ p) * cos(e2 @ p) + e2 * (e1 @ p) * sin(e2 @ p)",
                   "p:2 e1:2 e2:2", extra=U2, note="units"),
    "jac-diag-scaling": D("A @ (x * b)", "x:n A:m,n b:n"),
    "jac-centering": D("x - sum(x) / N", "x:n N:", extra={"N": _n("x")}, note="1/N"),
    "jac-warp": D("e1 * (e1 @ x + 0.4 * (e2 @ x)**2)"
                  " + e2 * (e2 @ x - 0.4 * (e1 @ x)**2 + 0.2 * (e1 @ x))",
                  "x:2 e1:2 e2:2", extra=U2, note="units"),
    "jac-vjp": D("(u @ e1) * ((d1 @ x) * (d2 @ x) + (d3 @ x)**2)"
                 " + (u @ e2) * exp(d1 @ x) * sin(d2 @ x)",
                 "x:3 u:2 e1:2 e2:2 d1:3 d2:3 d3:3", extra={**U2, **U3}, note="units"),
    "jac-hadamard-u": D("u * v", "u:n v:n"),
    "jac-quotient-v": D("u / v", "u:n v:n"),
    "jac-bias-broadcast": D(_cosh_sum("Z + b @ o.T"), "b:m Z:m,N o:N",
                            extra={"o": _ones("Z", 1)}, note="cosh, ones"),
    "jac-grad-sq-norm-Xb": D("sum((X @ b)**2)", "X:p,q b:q"),
    # ---- ch-chain-rule
    "chain-norm4": D("(x @ x)**2", "x:n"),
    "chain-regression": D("(X @ w - y) @ (X @ w - y)", "w:d X:N,d y:N"),
    "chain-bilinear-affine": D("(A @ x + b) @ C @ (D @ x + e)",
                               "x:n A:p,n b:p C:p,p D:p,n e:p"),
    "chain-weighted-ls": D("(A @ x - b) @ W @ (A @ x - b)", "x:n A:m,n b:m W:m,m"),
    "chain-weighted-ls-sym": D("(A @ x - b) @ W @ (A @ x - b)", "x:n A:m,n b:m W:m,m"),
    "chain-product-of-linear": D("(a @ x) * (x @ b)", "x:n a:n b:n"),
    "chain-exp-quadratic": D("exp(-x @ A @ x)", "x:n A:n,n"),
    "chain-curve": P("a @ (e1 * sin(t) + e2 * cos(t))"
                     " + (e1 * sin(t) + e2 * cos(t)) @ B @ (e1 * sin(t) + e2 * cos(t))",
                     "t: a:2 B:2,2 e1:2 e2:2", extra=U2, note="units"),
    "chain-dot-rule": D("(A @ x) @ (B @ x)", "x:n A:m,n B:m,n"),
    "chain-jac-exp-linear": D("exp(A @ x)", "x:n A:m,n"),
    "chain-jac-two-layers": D("A @ tanh(B @ x)", "x:n A:p,m B:m,n"),
    "chain-softplus-linear": D("softplus(a @ x)", "x:n a:n"),
    "chain-log-linear": D("log(a @ x)", "x:n a:n"),
    "chain-norm-Ax": D("norm(A @ x)", "x:n A:m,n"),
    "chain-yAx-minus-yx": D("y @ A @ x - y @ x", "x:n y:n A:n,n"),
    "chain-exp-bilinear": D("exp(y @ A @ x)", "x:n y:m A:m,n"),
    "chain-lse-affine": D("log(sum(exp(A @ x + b)))", "x:n A:m,n b:m"),
    "chain-jac-softmax-linear": D("exp(A @ x) / sum(exp(A @ x))", "x:n A:m,n"),
    "chain-sin-regression": D("0.5 * (y - A @ sin(x)) @ (y - A @ sin(x))", "x:n y:N A:N,n"),
    "chain-square-of-affine": D("(a @ x + b)**2", "x:n a:n b:"),
    "chain-relu-x": D("relu(w @ x)", "x:n w:n"),
    "chain-relu-w": D("relu(w @ x)", "w:n x:n"),
    "chain-log1p-sq-norm": D("log(1 + x @ x)", "x:n"),
    "chain-sq-norm-affine": D("(A @ x + b) @ (A @ x + b)", "x:n A:m,n b:m"),
    "chain-jac-product-rule": D("tanh(A @ x) * (C @ sin(B @ x))", "x:n A:m,n B:p,n C:m,p"),
    "chain-sigmoid-layer-x": D("v @ sigmoid(W @ x)", "x:n v:m W:m,n"),
    # ---- ch-hessians (order 2 unless a gradient)
    "hess-quadratic-form": D("x @ A @ x", "x:n A:n,n"),
    "hess-quadratic-form-sym": D("x @ A @ x", "x:n A:n,n"),
    "hess-quadratic-model": D("0.5 * x @ A @ x + b @ x + c", "x:n A:n,n b:n c:"),
    "hess-linear": D("a @ x", "x:n a:n"),
    "hess-sq-norm": D("x @ x", "x:n"),
    "hess-norm": D("norm(x)", "x:n"),
    "hess-norm4": D("(x @ x)**2", "x:n"),
    "hess-least-squares": D("(A @ x - b) @ (A @ x - b)", "x:n A:m,n b:m"),
    "hess-half-least-squares": D("0.5 * (A @ x - b) @ (A @ x - b)", "x:n A:m,n b:m"),
    "hess-entropy": D("-sum(x * log(x))", "x:n"),
    "hess-sum-log": D("sum(log(x))", "x:n"),
    "hess-polynomial": D("(e1 @ x)**3 * (e2 @ x)**2 - 3 * (e1 @ x) * (e2 @ x)**3 + 1",
                         "x:2 e1:2 e2:2", extra=U2, note="units"),
    "hess-lse": D("log(sum(exp(z)))", "z:K"),
    "hess-lse-affine": D("log(sum(exp(A @ x + b)))", "x:n A:m,n b:m"),
    "hess-exp-linear": D("exp(a @ x)", "x:n a:n"),
    "hess-square-linear": D("(a @ x)**2", "x:n a:n"),
    "hess-softplus-linear": D("softplus(a @ x)", "x:n a:n"),
    "hess-gaussian-bump": D("exp(-0.5 * x @ x)", "x:n"),
    "hess-second-order-chain": P("exp(sin(x))", "x:"),
    "hess-directional-second": P("log(sum(exp(x + t * v)))", "t: x:n v:n"),
    "grad-rayleigh": D("x @ A @ x / (x @ x)", "x:n A:n,n"),
    "hess-exp-quadratic": D("exp(-x @ A @ x)", "x:n A:n,n"),
    "hess-lncosh-affine": D(_cosh_sum("A @ x + b"), "x:n A:m,n b:m", note="cosh"),
    "hess-gauss-newton": D("0.5 * sum((tanh(A @ x) - y)**2)", "x:n A:m,n y:m"),
    "hess-lagrangian-eig": D("x @ A @ x - lam * (x @ x - 1)", "x:n A:n,n lam:"),
    "hess-rayleigh-eigvec": D("x @ A @ x / (x @ x)", "x:n A:n,n"),
    # ---- ch-matrix-derivatives
    "mgrad-aXb": D("a @ X @ b", "X:m,n a:m b:n"),
    "mgrad-aXTb": D("a @ X.T @ b", "X:m,n a:n b:m"),
    "mgrad-aXa": D("a @ X @ a", "X:n,n a:n"),
    "mgrad-aXTa": D("a @ X.T @ a", "X:n,n a:n"),
    "mgrad-quadratic-in-A": D("x @ A @ x", "A:n,n x:n"),
    "mgrad-sum-entries": D("sum(X)", "X:m,n"),
    "mgrad-trace": D("tr(X)", "X:n,n"),
    "mgrad-tr-AX": D("tr(A @ X)", "X:m,n A:n,m"),
    "mgrad-tr-XA": D("tr(X @ A)", "X:m,n A:n,m"),
    "mgrad-tr-ATX": D("tr(A.T @ X)", "X:m,n A:m,n"),
    "mgrad-tr-AXT": D("tr(A @ X.T)", "X:m,n A:m,n"),
    "mgrad-tr-AXB": D("tr(A @ X @ B)", "X:m,n A:p,m B:n,p"),
    "mgrad-tr-AXTB": D("tr(A @ X.T @ B)", "X:m,n A:p,n B:m,p"),
    "mgrad-tr-XTAX": D("tr(X.T @ A @ X)", "X:m,n A:m,m"),
    "mgrad-tr-XTAX-sym": D("tr(X.T @ A @ X)", "X:m,n A:m,m"),
    "mgrad-tr-XAXT": D("tr(X @ A @ X.T)", "X:m,n A:n,n"),
    "mgrad-tr-AXTX": D("tr(A @ X.T @ X)", "X:m,n A:n,n"),
    "mgrad-tr-AXBXT": D("tr(A @ X @ B @ X.T)", "X:m,n A:m,m B:n,n"),
    "mgrad-tr-AXBX": D("tr(A @ X @ B @ X)", "X:n,n A:n,n B:n,n"),
    "mgrad-tr-X2": D("tr(X @ X)", "X:n,n"),
    "mgrad-tr-Xk": D(lambda d: f"tr({_matpow('X', d['k'])})", "X:n,n", note="power"),
    "mgrad-tr-XTX": D("tr(X.T @ X)", "X:m,n"),
    "mgrad-frobenius": D("sqrt(sum(X**2))", "X:m,n"),
    "mgrad-frob-AX-B": D("sum((A @ X - B)**2)", "X:m,n A:p,m B:p,n"),
    "mgrad-half-frob-AX-B": D("0.5 * sum((A @ X - B)**2)", "X:m,n A:p,m B:p,n"),
    "mgrad-frob-XA-B": D("sum((X @ A - B)**2)", "X:m,n A:n,p B:m,p"),
    "mgrad-frob-AXB-C": D("sum((A @ X @ B - C)**2)", "X:m,n A:p,m B:n,q C:p,q"),
    "mgrad-factorization-U": D("sum((X - U @ V)**2)", "U:m,k V:k,n X:m,n"),
    "mgrad-factorization-V": D("sum((X - U @ V)**2)", "V:k,n U:m,k X:m,n"),
    "mgrad-det": D("det(X)", "X:n,n"),
    "mgrad-det-cofactor": D("det(X)", "X:n,n"),
    "mgrad-logabsdet": D("logdet(X)", "X:n,n"),
    "mgrad-logdet-spd": D("logdet(X)", "X:n,n"),
    "mgrad-det-AXB": D("det(A @ X @ B)", "X:m,n A:k,m B:n,k"),
    "mgrad-det-XTAX": D("det(X.T @ A @ X)", "X:m,n A:m,m"),
    "mgrad-logdet-XTX": D("logdet(X.T @ X)", "X:m,n"),
    "mgrad-det-Xk": D(lambda d: f"det({_matpow('X', d['k'])})", "X:n,n", note="power"),
    "mgrad-inverse-bilinear": D("a @ inv(X) @ b", "X:n,n a:n b:n"),
    "mgrad-tr-AXinvB": D("tr(A @ inv(X) @ B)", "X:n,n A:p,n B:n,p"),
    "mgrad-tr-Xinv": D("tr(inv(X))", "X:n,n"),
    "mgrad-aXTXb": D("a @ X.T @ X @ b", "X:m,n a:n b:n"),
    "mgrad-aXTXa": D("a @ X.T @ X @ a", "X:m,n a:n"),
    "mgrad-bXTDXc": D("b @ X.T @ D @ X @ c", "X:m,n b:n c:n D:m,m"),
    "mgrad-affine-quadratic": D("(X @ b + c) @ D @ (X @ b + c)", "X:m,n b:n c:m D:m,m"),
    "mgrad-aX2b": D("a @ X @ X @ b", "X:n,n a:n b:n"),
    "mgrad-sym-directional": P("a @ (X + t * E) @ b + logdet(X + t * E)",
                               "t: X:n,n E:n,n a:n b:n"),
    "mgrad-sym-extension": D("a @ (0.5 * (X + X.T)) @ b + logdet(0.5 * (X + X.T))",
                             "X:n,n a:n b:n"),
    "mgrad-ls-in-A": D("(A @ x - y) @ (A @ x - y)", "A:m,n x:n y:m"),
    "mgrad-loss-of-AXB": D(_cosh_sum("A @ X @ B"), "X:m,n A:p,m B:n,q", note="cosh"),
    # ---- ch-activations
    "act-sigmoid": P("1 / (1 + exp(-x))", "x:"),
    "act-sigmoid-2": P("1 / (1 + exp(-x))", "x:"),
    "act-tanh": P("(exp(x) - exp(-x)) / (exp(x) + exp(-x))", "x:"),
    "act-tanh-2": P("tanh(x)", "x:"),
    "act-tanh-via-sigmoid": P("2 / (1 + exp(-2 * x)) - 1", "x:"),
    "act-relu": P("relu(x)", "x:"),
    "act-leaky-relu": P("relu(x) - alpha * relu(-x)", "x: alpha:", note="piecewise"),
    "act-elu": P("relu(x) + alpha * (exp(-relu(-x)) - 1)", "x: alpha:", note="piecewise"),
    "act-softplus": P("log(1 + exp(x))", "x:"),
    "act-softplus-2": P("log(1 + exp(x))", "x:"),
    "act-log-sigmoid": P("log(1 / (1 + exp(-x)))", "x:"),
    "act-swish": P("x / (1 + exp(-x))", "x:"),
    "act-softsign": P("x / (1 + abs(x))", "x:"),
    "act-sigmoid-vector": D("1 / (1 + exp(-z))", "z:n"),
    "act-softmax-jacobian": D("exp(z) / sum(exp(z))", "z:K"),
    "act-softmax-temperature": D("exp(z / T) / sum(exp(z / T))", "z:K T:"),
    "act-log-softmax-jacobian": D("z - log(sum(exp(z)))", "z:K"),
    "act-lse-gradient": D("log(sum(exp(z)))", "z:K"),
    "act-softplus-beta": P("softplus(beta * x) / beta", "x: beta:"),
    "act-softmax-backward": D("0.5 * sum((exp(z) / sum(exp(z)) - t)**2)", "z:K t:K"),
    # ---- ch-losses
    "loss-mse": D("sum((yhat - y)**2) / N", "yhat:N y:N N:", extra={"N": _n("y")},
                  note="1/N"),
    "loss-half-sse": D("0.5 * sum((yhat - y)**2)", "yhat:N y:N"),
    "loss-mae": D("sum(abs(yhat - y)) / N", "yhat:N y:N N:", extra={"N": _n("y")}, note="1/N"),
    "loss-bce-prob": D("-sum(y * log(p) + (1 - y) * log(1 - p)) / N", "p:N y:N N:",
                       extra={"N": _n("y")}, note="1/N"),
    "loss-bce-logit-sum": D("-sum(y * log(sigmoid(z)) + (1 - y) * log(1 - sigmoid(z)))",
                            "z:N y:N"),
    "loss-bce-logits-mean": D("sum(log(1 + exp(z)) - y * z) / N", "z:N y:N N:",
                              extra={"N": _n("y")}, note="1/N"),
    "loss-softmax-ce": D("-sum(y * (z - log(sum(exp(z)))))", "z:K y:K"),
    "loss-softmax-ce-soft": D("-sum(y * (z - log(sum(exp(z)))))", "z:K y:K"),
    "loss-softmax-ce-batch": D("-sum(Y * (Z - log(exp(Z) @ o) @ o.T)) / N", "Z:N,K Y:N,K o:K N:",
                               extra={"o": _ones("Z", 1), "N": _n("Z")}, note="ones, 1/N"),
    "loss-softmax-ce-weights": D("-sum(Y * (X @ W - log(exp(X @ W) @ o) @ o.T)) / N",
                                 "W:d,K X:N,d Y:N,K o:K N:",
                                 extra={"o": _ones("Y", 1), "N": _n("Y")}, note="ones, 1/N"),
    "loss-bce-weights": D(BCE + " / N", LM + " N:", extra={"N": _n("y")}, note="1/N"),
    "loss-hinge": D("sum(relu(1 - y * s)) / N", "s:N y:N N:", extra={"N": _n("y")},
                    note="1/N"),
    "loss-logistic": D("sum(log(1 + exp(-y * s))) / N", "s:N y:N N:", extra={"N": _n("y")},
                       note="1/N"),
    "loss-logistic-weights": D("sum(log(1 + exp(-y * (X @ w)))) / N", LM + " N:",
                               extra={"N": _n("y")}, note="1/N"),
    "loss-logistic-01": D("sum(log(1 + exp(-(2 * y - 1) * z))) / N", "z:N y:N N:",
                          extra={"N": _n("y")}, note="1/N"),
    "loss-gaussian-nll-mu": D(f"sum(0.5 * ({LOG2PI} + v_ + (y - mu)**2 * exp(-v_))) / N",
                              "mu:N v_:N y:N N:", extra={"N": _n("y")}, note="1/N"),
    "loss-gaussian-nll-logvar": D(f"sum(0.5 * ({LOG2PI} + v_ + (y - mu)**2 * exp(-v_))) / N",
                                  "v_:N mu:N y:N N:", extra={"N": _n("y")}, note="1/N"),
    "loss-huber": P("0.5 * (abs(r) - relu(abs(r) - delta))**2 + delta * relu(abs(r) - delta)",
                    "r: delta:", note="piecewise"),
    "loss-cross-entropy-q": D("-sum(p * log(q))", "q:K p:K"),
    "loss-linear-model-chain": D(_cosh_sum("X @ w - y") + " / N", LM + " N:",
                                 extra={"N": _n("y")}, note="cosh, 1/N"),
    "loss-mse-weights": D("sum((X @ w - y)**2) / N", LM + " N:", extra={"N": _n("y")},
                          note="1/N"),
    # ---- ch-linear-models
    "lm-ols-grad": D("0.5 * sum((X @ w - y)**2)", LM),
    "lm-ols-hess": D("0.5 * sum((X @ w - y)**2)", LM),
    "lm-mse-grad": D("0.5 * sum((X @ w - y)**2) / N", LM + " N:", extra={"N": _n("y")},
                     note="1/N"),
    "lm-mse-hess": D("0.5 * sum((X @ w - y)**2) / N", LM + " N:", extra={"N": _n("y")},
                     note="1/N"),
    "lm-ridge-grad": D("0.5 * sum((X @ w - y)**2) + 0.5 * lam * w @ w", LM + " lam:"),
    "lm-ridge-hess": D("0.5 * sum((X @ w - y)**2) + 0.5 * lam * w @ w", LM + " lam:"),
    "lm-lasso-subgrad": D("0.5 * sum((X @ w - y)**2) + lam * sum(abs(w))", LM + " lam:"),
    "lm-elastic-net": D("0.5 * sum((X @ w - y)**2) + lam1 * sum(abs(w)) + 0.5 * lam2 * w @ w",
                        LM + " lam1: lam2:"),
    "lm-mae-grad": D("sum(abs(y - X @ w)) / N", LM + " N:", extra={"N": _n("y")}, note="1/N"),
    "lm-logreg-grad": D(BCE, LM),
    "lm-logreg-hess": D(BCE, LM),
    "lm-logreg-l2-grad": D(BCE + " + 0.5 * lam * w @ w", LM + " lam:"),
    "lm-logreg-l2-hess": D(BCE + " + 0.5 * lam * w @ w", LM + " lam:"),
    "lm-logistic-pm1-hess": D("sum(log(1 + exp(-y * (X @ w)))) / N", LM + " N:",
                              extra={"N": _n("y")}, note="1/N"),
    "lm-hinge-grad": D("sum(relu(1 - y * (X @ w))) / N", LM + " N:", extra={"N": _n("y")},
                       note="1/N"),
    "lm-wls-grad": D("0.5 * (X @ w - y) @ Omega @ (X @ w - y)", LM + " Omega:N,N"),
    "lm-wls-hess": D("0.5 * (X @ w - y) @ Omega @ (X @ w - y)", LM + " Omega:N,N"),
    "lm-poisson-grad": D("sum(exp(X @ w) - y * (X @ w))", LM),
    "lm-poisson-hess": D("sum(exp(X @ w) - y * (X @ w))", LM),
    "lm-lda-discriminant": D("x @ inv(Sigma) @ mu - 0.5 * mu @ inv(Sigma) @ mu + log(pi)",
                             "x:n Sigma:n,n mu:n pi:"),
    "lm-qda-discriminant": D("-0.5 * (x - mu) @ inv(Sigma) @ (x - mu)", "x:n Sigma:n,n mu:n"),
    "lm-lda-log-odds": D("log(pi1) - 0.5 * (x - mu1) @ inv(Sigma) @ (x - mu1)"
                         " - (log(1 - pi1) - 0.5 * (x - mu0) @ inv(Sigma) @ (x - mu0))",
                         "x:n Sigma:n,n mu1:n mu0:n pi1:"),
    "lm-logreg-mean-hess": D(BCE + " / N", LM + " N:", extra={"N": _n("y")}, note="1/N"),
    # ---- ch-likelihood
    "lik-gauss-mu": P(f"sum(-0.5 * log({TWOPI} * sigma2) - (x - mu)**2 / (2 * sigma2))",
                      "mu: x:N sigma2:"),
    "lik-gauss-var": P(f"sum(-0.5 * log({TWOPI} * sigma2) - (x - mu)**2 / (2 * sigma2))",
                       "sigma2: x:N mu:"),
    "lik-gauss-std": P(f"sum(-0.5 * log({TWOPI} * sigma**2) - (x - mu)**2 / (2 * sigma**2))",
                       "sigma: x:N mu:"),
    "lik-mvn-mu": D(f"-0.5 * logdet({TWOPI} * Sigma) - 0.5 * (x - mu) @ inv(Sigma) @ (x - mu)",
                    "mu:n x:n Sigma:n,n"),
    "lik-mvn-x": D(f"-0.5 * logdet({TWOPI} * Sigma) - 0.5 * (x - mu) @ inv(Sigma) @ (x - mu)",
                   "x:n mu:n Sigma:n,n"),
    "lik-mvn-cov": D(f"-0.5 * logdet({TWOPI} * Sigma) - 0.5 * (x - mu) @ inv(Sigma) @ (x - mu)",
                     "Sigma:n,n x:n mu:n"),
    "lik-mvn-precision": D("0.5 * logdet(Lam) - 0.5 * (x - mu) @ Lam @ (x - mu)",
                           "Lam:n,n x:n mu:n"),
    "lik-mvn-cov-mle": D("-0.5 * N * logdet(Sigma) - 0.5 * N * tr(S @ inv(Sigma))",
                         "Sigma:n,n S:n,n N:"),
    "lik-exp-single": P("log(lam) - lam * x", "lam: x:"),
    "lik-exp": P("sum(log(lam) - lam * x)", "lam: x:N"),
    "lik-bernoulli-single": P("x * log(p) + (1 - x) * log(1 - p)", "p: x:", paired=("x",)),
    "lik-bernoulli": P("sum(x * log(p) + (1 - x) * log(1 - p))", "p: x:N"),
    "lik-bernoulli-natural": P("x * eta - log(1 + exp(eta))", "eta: x:"),
    "lik-poisson": P("sum(k * log(lam) - lam) - c", "lam: k:N c:", note="constant",
                     extra={"c": lambda d: sum(math.lgamma(v + 1.0) for v in d["k"])}),
    "lik-categorical-probs": D("sum(y * log(pi))", "pi:K y:K"),
    "lik-categorical-logits": D("sum(y * (eta - log(sum(exp(eta)))))", "eta:K y:K"),
    "lik-laplace-mu": P("sum(-log(2 * b) - abs(x - mu) / b)", "mu: x:N b:"),
    "lik-laplace-scale": P("sum(-log(2 * b) - abs(x - mu) / b)", "b: x:N mu:"),
    "lik-uniform": D("-N * log(e2 @ theta - e1 @ theta)", "theta:2 e1:2 e2:2 N:",
                     extra={**U2, "N": _n("x")}, note="units"),
    "lik-expfam-bernoulli-mean": P("log(1 + exp(eta))", "eta:"),
    "lik-expfam-bernoulli-var": P("log(1 + exp(eta))", "eta:"),
    "lik-expfam-poisson": P("exp(eta)", "eta:"),
    "lik-expfam-gaussian": D("-(e1 @ eta)**2 / (4 * (e2 @ eta)) - 0.5 * log(-2 * (e2 @ eta))",
                             "eta:2 e1:2 e2:2", extra=U2, note="units"),
    "lik-gauss-prior": D(f"-0.5 * d * log({TWOPI} * tau2) - 0.5 * w @ w / tau2",
                         "w:n tau2: d:", extra={"d": _n("w")}),
    "lik-laplace-prior": D("sum(-log(2 * b) - abs(w) / b)", "w:d b:"),
    "lik-map-ridge": D("sum((X @ w - y)**2) / (2 * sigma2) + w @ w / (2 * tau2)",
                       LM + " sigma2: tau2:"),
    "lik-map-lasso": D("sum((X @ w - y)**2) / (2 * sigma2) + sum(abs(w)) / b",
                       LM + " sigma2: b:"),
    "lik-gauss-nll-weights": D(f"sum((X @ w - y)**2) / (2 * sigma2)"
                               f" + 0.5 * N * log({TWOPI} * sigma2)", LM + " sigma2: N:",
                               extra={"N": _n("y")}),
    "lik-bernoulli-loglik-weights": D("-(" + BCE + ")", LM),
    "lik-kl-p": D("sum(p * log(p / q))", "p:K q:K"),
    "lik-kl-q": D("sum(p * log(p / q))", "q:K p:K"),
    "lik-map-gauss-mean": P(f"sum(-0.5 * log({TWOPI} * sigma2) - (x - mu)**2 / (2 * sigma2))"
                            " - (mu - mu0)**2 / (2 * tau2)", "mu: x:N sigma2: mu0: tau2:"),
    "lik-expfam-exponential-mean": P("-log(-eta)", "eta:"),
    "lik-expfam-exponential-var": P("-log(-eta)", "eta:"),
    # ---- ch-backprop
    "bp-dense-W": D("0.5 * sum((sigmoid(W @ x + b) - t)**2)", "W:m,n b:m x:n t:m"),
    "bp-dense-b": D("0.5 * sum((sigmoid(W @ x + b) - t)**2)", "b:m W:m,n x:n t:m"),
    "bp-dense-x": D("0.5 * sum((sigmoid(W @ x + b) - t)**2)", "x:n W:m,n b:m t:m"),
    "bp-batch-W": D("0.5 * sum((tanh(X @ W) - T)**2)", "W:d,h X:N,d T:N,h"),
    "bp-batch-X": D("0.5 * sum((tanh(X @ W) - T)**2)", "X:N,d W:d,h T:N,h"),
    "bp-mlp-W2": D("0.5 * sum((W2 @ tanh(W1 @ x) - t)**2)", "W2:m,h W1:h,n x:n t:m"),
    "bp-mlp-W1": D("0.5 * sum((W2 @ tanh(W1 @ x) - t)**2)", "W1:h,n W2:m,h x:n t:m"),
    "bp-vjp": D("v @ tanh(W @ x)", "x:n v:m W:m,n"),
    "bp-residual-jacobian": D("x + W2 @ relu(W1 @ x)", "x:n W1:h,n W2:n,h"),
    "bp-softmax-layer-W": D("-y @ (W @ x + b - log(sum(exp(W @ x + b))))", "W:K,n b:K x:n y:K"),
    "bp-layer-jac-b": D("tanh(W @ x + b)", "b:m W:m,n x:n"),
    "bp-batch-cols-A": D(_cosh_sum("W @ F + b @ o.T"), "W:m,n b:m F:n,N o:N",
                         extra={"o": _ones("F", 1)}, note="cosh, ones"),
    "bp-batch-cols-b": D(_cosh_sum("W @ F + b @ o.T"), "b:m W:m,n F:n,N o:N",
                         extra={"o": _ones("F", 1)}, note="cosh, ones"),
    "bp-batch-cols-F": D(_cosh_sum("W @ F + b @ o.T"), "F:n,N W:m,n b:m o:N",
                         extra={"o": _ones("F", 1)}, note="cosh, ones"),
    "bp-softmax-ce-cols": D("-sum(Y * (Z - o @ log(o @ exp(Z)))) / N", "Z:K,N Y:K,N o:K N:",
                            extra={"o": _ones("Z", 0), "N": _n("Z", 1)}, note="ones, 1/N"),
    "bp-step-sigmoid": D("g @ sigmoid(W @ f + b)", "f:n g:m W:m,n b:m"),
    "bp-step-relu": D("g @ relu(W @ f + b)", "f:n g:m W:m,n b:m"),
    "bp-step-softplus": D("g @ softplus(W @ f + b)", "f:n g:m W:m,n b:m"),
    "bp-residual-step": D("g @ (f + sigmoid(W @ f + b))", "f:n g:n W:n,n b:n"),
    # ---- ch-checking
    "chk-directional": P("log(sum(exp(x + t * v)))", "t: x:n v:n"),
    "chk-hvp": D("(exp(x) / sum(exp(x))) @ v", "x:n v:n"),
    "chk-gradient-of-quadratic-check": P("(x + t * v) @ A @ (x + t * v)",
                                         "t: x:n v:n A:n,n"),
}

#: Reason categories for entries the grammar cannot express.
CATEGORIES = {
    "tensor": "the derivative of a matrix-valued function (a 3- or 4-index array): the engine "
              "derives gradients of scalars and Jacobians of vectors only",
    "vec": "a function of vec(W) (a reshape of a vector into a matrix): no reshape in the grammar",
    "special": "a function outside the grammar with no exact rewrite in it (the Gaussian CDF "
               "Phi needs erf; the cumulative sum needs a triangular constant matrix, which is "
               "the answer itself)",
}

NOT_EXPRESSIBLE: dict[str, str] = {
    "jac-outer-self": "tensor",
    "mjac-identity": "tensor",
    "mjac-XA": "tensor",
    "mjac-XTA": "tensor",
    "mjac-transpose": "tensor",
    "mjac-scalar-times-matrix": "tensor",
    "mjac-square": "tensor",
    "mjac-gram": "tensor",
    "mjac-hadamard": "tensor",
    "mjac-kron": "tensor",
    "mjac-inverse": "tensor",
    "bp-layer-jac-A": "tensor",
    "mjac-vec-AXB": "vec",
    "bp-vec-Wx": "vec",
    "bp-layer-jac-vecA": "vec",
    "bp-grad-vecA": "vec",
    "act-gelu": "special",
    "jac-cumsum": "special",
}

#: Entries the grammar expresses but the engine cannot derive yet (exact input and error).
#: Each is a bug or a limitation of the engine, reported, never counted as a success; the test
#: requires that each still fails, so a fixed engine moves the entry into the covered count.
#: None since the engine keeps a scalar's broadcast (s + x is s 1 + x, whose gradient in s is a
#: sum) and draws its verification points inside the domain (log(1 - p), log(-eta)): the 15
#: entries listed here before (11 broadcast, 4 domain) now agree. An entry that fails again goes
#: here with its exact input and error until it is fixed.
KNOWN_ENGINE_FAILURES: dict[str, str] = {}


def _seed(*parts) -> int:
    return zlib.crc32("|".join(map(str, parts)).encode())


def _order(kind: str) -> int:
    return 2 if kind in ("hessian", "second-derivative") else 1


def _inputs_for(case: Case, d: dict) -> dict:
    """The engine's inputs: registry inputs by name, plus the constants of ``extra``."""
    extra = case.extra or {}
    out = {}
    for name in case.shapes:
        v = extra[name](d) if name in extra else d[name]
        out[name] = float(v) if isinstance(v, (int, np.integer)) else v
    return out


def _rel_err(got, want) -> float:
    got, want = np.asarray(got, float), np.asarray(want, float)
    if got.shape != want.shape:
        return np.inf
    return float(np.max(np.abs(got - want), initial=0.0) / max(1.0, np.max(np.abs(want))))


def cross_check(ident_id: str, draws: int = DRAWS) -> dict:
    """Derive the entry's expression and compare with its claimed derivative at ``draws`` draws.

    Returns ``{"id", "ok", "err", "derivations", "latex", "error"}``: ``error`` is the engine's
    exception text (``ok`` False) when a derivation raises.
    """
    ident, case = get_identity(ident_id), TABLE[ident_id]
    order = _order(ident.kind)
    rng = np.random.default_rng(_seed("registry", ident_id))
    cache: dict = {}
    worst, latex = 0.0, None
    for _ in range(draws):
        d = ident.inputs(rng)
        claimed = ident.claimed(d)
        expr = case.expr(d) if callable(case.expr) else case.expr
        if expr not in cache:
            try:
                cache[expr] = derive(expr, ident.wrt, case.shapes, order=order)
            except Exception as err:  # noqa: BLE001 - reported, with its type
                return {"id": ident_id, "ok": False, "err": np.inf, "latex": None,
                        "derivations": len(cache), "expr": expr,
                        "error": f"{type(err).__name__}: {err}"}
        r = cache[expr]
        latex = latex or r.latex
        args = _inputs_for(case, d)
        if case.mode == "points":
            pts = np.asarray(d[ident.wrt], float)
            got = np.empty_like(pts)
            for i, t in enumerate(pts):
                a = {**args, ident.wrt: t}
                for name in case.paired:
                    a[name] = float(np.asarray(d[name])[i])
                got[i] = r.evaluate(**a)
            worst = max(worst, _rel_err(got, claimed))
        else:
            worst = max(worst, _rel_err(r.evaluate(**args), claimed))
    return {"id": ident_id, "ok": worst < RTOL, "err": worst, "latex": latex,
            "derivations": len(cache), "expr": expr, "error": None}


def coverage(draws: int = DRAWS) -> dict:
    """Cross-check every expressible entry; the counts per chapter and the failures."""
    results = {i: cross_check(i, draws) for i in TABLE}
    per_chapter = {}
    for ch in CHAPTERS:
        ids = [i.id for i in IDENTITIES if i.chapter == ch]
        row = Counter()
        for i in ids:
            if i in NOT_EXPRESSIBLE:
                row["not expressible"] += 1
            elif results[i]["ok"]:
                row["agree"] += 1
            elif results[i]["error"]:
                row["engine raises"] += 1
            else:
                row["disagree"] += 1
        row["entries"] = len(ids)
        per_chapter[ch] = row
    return {"results": results, "per_chapter": per_chapter}


def report_markdown(cov: dict) -> str:
    """The coverage section of benchmarks/symbolic/RESULTS.md."""
    res, per = cov["results"], cov["per_chapter"]
    total = Counter()
    for row in per.values():
        total.update(row)
    expressible = total["entries"] - total["not expressible"]
    notes = Counter(t.strip() for i in TABLE for t in TABLE[i].note.split(",") if t.strip())
    direct = sum(1 for i in TABLE if not TABLE[i].note)
    points = sum(1 for i in TABLE if TABLE[i].mode == "points")
    lines = [
        "## (a) The identity registry cross-checked by the engine",
        "",
        f"The registry holds {total['entries']} entries. {expressible} are expressible in the "
        f"grammar; for **{total['agree']} of {expressible}** the engine's derivative agrees with "
        f"the registry's claimed derivative ({100 * total['agree'] / expressible:.1f} %) at "
        f"the registry's own random inputs ({DRAWS} draws "
        f"each, relative error below {RTOL:g}, worst {max(r['err'] for r in res.values() if r['ok']):.1e}). "  # noqa: E501
        f"{total['engine raises']} expressible entries make the engine raise and "
        f"{total['disagree']} disagree; {total['not expressible']} are not expressible.",
        "",
        f"Of the {len(TABLE)} expressions, {direct} transcribe the registry's `f` directly; the "
        "others use an exact rewrite, counted by tag (one expression can carry two): "
        + ", ".join(f"`{k}` {v}" for k, v in sorted(notes.items())) + ". "
        f"{points} are `derivative` / `second-derivative` entries (a scalar function "
        "evaluated at an array of points), derived with a scalar variable and evaluated at "
        "each point. See the docstring of `tests/test_symbolic_registry.py` for the tags.",
        "",
        "| chapter | entries | agree | disagree | engine raises | not expressible |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for ch, row in per.items():
        lines.append(f"| {CHAPTERS[ch]} | {row['entries']} | {row['agree']} | {row['disagree']} "
                     f"| {row['engine raises']} | {row['not expressible']} |")
    lines.append(f"| **total** | {total['entries']} | {total['agree']} | {total['disagree']} | "
                 f"{total['engine raises']} | {total['not expressible']} |")
    lines += ["", "Not expressible, by reason:", ""]
    for cat, why in CATEGORIES.items():
        ids = sorted(i for i, c in NOT_EXPRESSIBLE.items() if c == cat)
        lines.append(f"- **{cat}** ({len(ids)}): {why}. " + ", ".join(f"`{i}`" for i in ids))
    bad = [r for r in res.values() if not r["ok"]]
    lines += ["", "Expressible entries the engine fails on (exact expression and error):", ""]
    if not bad:
        lines.append("- none")
    for r in bad:
        what = r["error"] or f"disagrees with the claim (relative error {r['err']:.2e})"
        ident = get_identity(r["id"])
        lines.append(f"- `{r['id']}`: `derive({r['expr']!r}, wrt={ident.wrt!r}, "
                     f"shapes={TABLE[r['id']].shapes!r}, order={_order(ident.kind)})` -> "
                     f"`{what.splitlines()[0]}`")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------- the tests

def test_every_registry_entry_is_placed_once():
    ids = [i.id for i in IDENTITIES]
    assert set(TABLE).isdisjoint(NOT_EXPRESSIBLE)
    assert set(TABLE) | set(NOT_EXPRESSIBLE) == set(ids), (
        "unplaced: " + ", ".join(sorted(set(ids) - set(TABLE) - set(NOT_EXPRESSIBLE)))
        + "; unknown: " + ", ".join(sorted((set(TABLE) | set(NOT_EXPRESSIBLE)) - set(ids))))
    assert set(NOT_EXPRESSIBLE.values()) <= set(CATEGORIES)
    assert set(KNOWN_ENGINE_FAILURES) <= set(TABLE)


def test_points_mode_is_used_for_scalar_derivatives_only():
    for i, case in TABLE.items():
        kind = get_identity(i).kind
        assert (case.mode == "points") == (kind in ("derivative", "second-derivative")), i
        if case.mode == "points":
            assert case.shapes[get_identity(i).wrt] == (), i


def test_coverage_floor():
    expressible = len(IDENTITIES) - len(NOT_EXPRESSIBLE)
    covered = len(TABLE) - len(KNOWN_ENGINE_FAILURES)
    assert expressible >= 295
    assert covered / expressible >= 1.0, (covered, expressible)


@pytest.mark.parametrize("ident_id", sorted(set(TABLE) - set(KNOWN_ENGINE_FAILURES)))
def test_engine_agrees_with_registry(ident_id):
    r = cross_check(ident_id)
    assert r["error"] is None, f"{ident_id}: {r['expr']!r}: {r['error']}"
    assert r["ok"], f"{ident_id}: {r['expr']!r} differs from the claim by {r['err']:.3e}"


def test_known_engine_failures_still_fail():
    """(A loop, not parameters: the list is empty while the engine covers every entry.)"""
    for ident_id in sorted(KNOWN_ENGINE_FAILURES):
        r = cross_check(ident_id, draws=1)
        assert not r["ok"], f"{ident_id} now agrees: move it out of KNOWN_ENGINE_FAILURES"


def test_the_sympy_comparison_lists_parse():
    """benchmarks/symbolic/compare.py (not run in CI): its expressions parse in both engines."""
    import importlib.util
    from pathlib import Path

    from mlcalc.symbolic.parse import parse

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "symbolic" / "compare.py"
    spec = importlib.util.spec_from_file_location("symbolic_compare", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert 25 <= len(mod.CASES) <= 40
    rng = np.random.default_rng(0)
    for case in mod.CASES:
        name, expr, wrt, shapes, fn, build, order = case
        assert wrt in shapes and order in (1, 2), name
        parse(expr, shapes)
        assert build(mod._symbols(shapes)) is not None, name
        assert np.all(np.isfinite(fn(**mod.inputs_for(case, rng)))), name


if __name__ == "__main__":
    print(report_markdown(coverage()))
