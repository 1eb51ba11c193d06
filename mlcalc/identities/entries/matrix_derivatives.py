"""Entries of the identity registry, chapter 6: matrix derivatives (gradient has the shape of X; Jacobians as 4-index arrays)."""

# Data: each LaTeX statement and each formula stays on one line (grep-able).
# ruff: noqa: E501

import autograd.numpy as anp
import numpy as np

from .._formulas import _cofactor, _inv, _invT, _matpow, _unvec, _vec
from .._inputs import _draw_dims, _gen_spd, _gen_tall, _retry
from .._registry import _M, _add, _cond

_CH = "ch-matrix-derivatives"


def _gen_det_axb(rng):
    dims = _draw_dims(rng, "mn")
    m, n = dims["m"], dims["n"]
    k = int(rng.integers(1, min(m, n) + 1))
    return {"X": rng.standard_normal((m, n)), "A": rng.standard_normal((k, m)),
            "B": rng.standard_normal((n, k))}


def _post_det_axb(d, rng):
    M = d["A"] @ d["X"] @ d["B"]
    return d if np.linalg.cond(M) < 1e3 else None


def _gen_xtax(rng):
    n, m = sorted(_draw_dims(rng, "mn").values())
    S = _gen_spd(rng, m)
    K = rng.standard_normal((m, m))
    return {"X": _gen_tall(rng, m, n), "A": S + 0.3 * (K - K.T)}


def _gen_vec_axb(rng):
    dims = _draw_dims(rng, "mnpq")
    m, n, p, q = dims["m"], dims["n"], dims["p"], dims["q"]
    return {"x": rng.standard_normal(m * n), "A": rng.standard_normal((p, m)),
            "B": rng.standard_normal((n, q))}


_add("mgrad-aXb", "bilinear form in X", "matrix-gradient", _CH,
     r"\nabla_X\, (\mathbf{a}^\top X\mathbf{b}) = \mathbf{a}\mathbf{b}^\top",
     lambda X, a, b: a @ X @ b, lambda X, a, b: anp.outer(a, b), {"X": "mat:m,n", "a": "vec:m", "b": "vec:n"}, "X",
     reference="Matrix Cookbook (70)",
     mistake=_M(r"\nabla_X\, (\mathbf{a}^\top X\mathbf{b}) = \mathbf{b}\mathbf{a}^\top", lambda X, a, b: anp.outer(b, a),
                "the transpose: the gradient must have the shape of X"))
_add("mgrad-aXTb", "bilinear form in the transpose", "matrix-gradient", _CH,
     r"\nabla_X\, (\mathbf{a}^\top X^\top\mathbf{b}) = \mathbf{b}\mathbf{a}^\top",
     lambda X, a, b: a @ X.T @ b, lambda X, a, b: anp.outer(b, a), {"X": "mat:m,n", "a": "vec:n", "b": "vec:m"}, "X",
     reference="Matrix Cookbook (71)",
     mistake=_M(r"\nabla_X\, (\mathbf{a}^\top X^\top\mathbf{b}) = \mathbf{a}\mathbf{b}^\top", lambda X, a, b: anp.outer(a, b),
                "the transpose: the gradient must have the shape of X"))
_add("mgrad-aXa", "quadratic form in X", "matrix-gradient", _CH,
     r"\nabla_X\, (\mathbf{a}^\top X\mathbf{a}) = \mathbf{a}\mathbf{a}^\top",
     lambda X, a: a @ X @ a, lambda X, a: anp.outer(a, a), {"X": "sq:n,n", "a": "vec:n"}, "X",
     reference="Matrix Cookbook (72)")
_add("mgrad-aXTa", "quadratic form in the transpose", "matrix-gradient", _CH,
     r"\nabla_X\, (\mathbf{a}^\top X^\top\mathbf{a}) = \mathbf{a}\mathbf{a}^\top",
     lambda X, a: a @ X.T @ a, lambda X, a: anp.outer(a, a), {"X": "sq:n,n", "a": "vec:n"}, "X",
     reference="Matrix Cookbook (72)")
_add("mgrad-quadratic-in-A", "quadratic form as a function of its matrix", "matrix-gradient", _CH,
     r"\nabla_A\, (\mathbf{x}^\top A\mathbf{x}) = \mathbf{x}\mathbf{x}^\top",
     lambda A, x: x @ A @ x, lambda A, x: anp.outer(x, x), {"A": "sq:n,n", "x": "vec:n"}, "A")
_add("mgrad-sum-entries", "sum of all entries", "matrix-gradient", _CH,
     r"\nabla_X\, (\mathbf{1}^\top X\mathbf{1}) = \mathbf{1}\mathbf{1}^\top",
     lambda X: anp.sum(X), lambda X: anp.ones(X.shape), {"X": "mat:m,n"}, "X")
_add("mgrad-trace", "trace", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(X) = I",
     lambda X: anp.trace(X), lambda X: anp.eye(X.shape[0]), {"X": "sq:n,n"}, "X",
     reference="Matrix Cookbook (36)")
_add("mgrad-tr-AX", "trace of AX", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(AX) = A^\top",
     lambda X, A: anp.trace(A @ X), lambda X, A: A.T, {"X": "mat:m,n", "A": "mat:n,m"}, "X",
     mistake=_M(r"\nabla_X\, \operatorname{tr}(AX) = A", lambda X, A: A,
                "denominator/numerator confusion: A has the shape of X transposed"))
_add("mgrad-tr-XA", "trace of XA", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(XA) = A^\top",
     lambda X, A: anp.trace(X @ A), lambda X, A: A.T, {"X": "mat:m,n", "A": "mat:n,m"}, "X")
_add("mgrad-tr-ATX", "trace of A^T X (Frobenius inner product)", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(A^\top X) = \nabla_X\, \langle A, X\rangle_F = A",
     lambda X, A: anp.trace(A.T @ X), lambda X, A: A, {"X": "mat:m,n", "A": "mat:m,n"}, "X")
_add("mgrad-tr-AXT", "trace of A X^T", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(AX^\top) = \nabla_X\, \operatorname{tr}(X^\top A) = A",
     lambda X, A: anp.trace(A @ X.T), lambda X, A: A, {"X": "mat:m,n", "A": "mat:m,n"}, "X",
     mistake=_M(r"\nabla_X\, \operatorname{tr}(AX^\top) = A^\top", lambda X, A: A.T,
                "the transpose: the gradient must have the shape of X"))
_add("mgrad-tr-AXB", "trace of AXB", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(AXB) = A^\top B^\top",
     lambda X, A, B: anp.trace(A @ X @ B), lambda X, A, B: A.T @ B.T,
     {"X": "mat:m,n", "A": "mat:p,m", "B": "mat:n,p"}, "X",
     mistake=_M(r"\nabla_X\, \operatorname{tr}(AXB) = BA", lambda X, A, B: B @ A,
                "denominator layout: the transpose"))
_add("mgrad-tr-AXTB", "trace of A X^T B", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(AX^\top B) = BA",
     lambda X, A, B: anp.trace(A @ X.T @ B), lambda X, A, B: B @ A,
     {"X": "mat:m,n", "A": "mat:p,n", "B": "mat:m,p"}, "X")
_add("mgrad-tr-XTAX", "trace of X^T A X", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(X^\top AX) = (A + A^\top)X",
     lambda X, A: anp.trace(X.T @ A @ X), lambda X, A: (A + A.T) @ X, {"X": "mat:m,n", "A": "sq:m,m"}, "X",
     mistake=_M(r"\nabla_X\, \operatorname{tr}(X^\top AX) = 2AX", lambda X, A: 2 * A @ X,
                "holds only for symmetric A"))
_add("mgrad-tr-XTAX-sym", "trace of X^T A X, symmetric A", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(X^\top AX) = 2AX",
     lambda X, A: anp.trace(X.T @ A @ X), lambda X, A: 2 * A @ X, {"X": "mat:m,n", "A": "sym:m,m"}, "X")
_add("mgrad-tr-XAXT", "trace of X A X^T", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(XAX^\top) = X(A + A^\top)",
     lambda X, A: anp.trace(X @ A @ X.T), lambda X, A: X @ (A + A.T), {"X": "mat:m,n", "A": "sq:n,n"}, "X")
_add("mgrad-tr-AXTX", "trace of A X^T X", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(AX^\top X) = X(A + A^\top)",
     lambda X, A: anp.trace(A @ X.T @ X), lambda X, A: X @ (A + A.T), {"X": "mat:m,n", "A": "sq:n,n"}, "X")
_add("mgrad-tr-AXBXT", "trace of A X B X^T", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(AXBX^\top) = A^\top XB^\top + AXB",
     lambda X, A, B: anp.trace(A @ X @ B @ X.T), lambda X, A, B: A.T @ X @ B.T + A @ X @ B,
     {"X": "mat:m,n", "A": "sq:m,m", "B": "sq:n,n"}, "X",
     mistake=_M(r"\nabla_X\, \operatorname{tr}(AXBX^\top) = A^\top X(B + B^\top)",
                lambda X, A, B: A.T @ X @ (B + B.T), "holds only for symmetric A"))
_add("mgrad-tr-AXBX", "trace of A X B X", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(AXBX) = A^\top X^\top B^\top + B^\top X^\top A^\top",
     lambda X, A, B: anp.trace(A @ X @ B @ X), lambda X, A, B: A.T @ X.T @ B.T + B.T @ X.T @ A.T,
     {"X": "sq:n,n", "A": "sq:n,n", "B": "sq:n,n"}, "X")
_add("mgrad-tr-X2", "trace of X squared", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(X^{2}) = 2X^\top",
     lambda X: anp.trace(X @ X), lambda X: 2 * X.T, {"X": "sq:n,n"}, "X",
     mistake=_M(r"\nabla_X\, \operatorname{tr}(X^{2}) = 2X", lambda X: 2 * X, "the scalar power rule; holds only for symmetric X"))
_add("mgrad-tr-Xk", "trace of a matrix power", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(X^{k}) = k\,(X^{k-1})^\top",
     lambda X, k: anp.trace(_matpow(X, k)), lambda X, k: k * _matpow(X, k - 1).T,
     {"X": "sq:n,n", "k": "int:2,4"}, "X",
     post=lambda d, rng: {**d, "X": d["X"] / np.sqrt(d["X"].shape[0])},
     mistake=_M(r"k\,X^{k-1}", lambda X, k: k * _matpow(X, k - 1), "the transpose is missing"))
_add("mgrad-tr-XTX", "squared Frobenius norm", "matrix-gradient", _CH,
     r"\nabla_X\, \lVert X\rVert_F^{2} = \nabla_X\, \operatorname{tr}(X^\top X) = \nabla_X\, \operatorname{tr}(XX^\top) = 2X",
     lambda X: anp.trace(X.T @ X), lambda X: 2 * X, {"X": "mat:m,n"}, "X")
_add("mgrad-frobenius", "Frobenius norm", "matrix-gradient", _CH,
     r"\nabla_X\, \lVert X\rVert_F = \frac{X}{\lVert X\rVert_F}",
     lambda X: anp.sqrt(anp.sum(X**2)), lambda X: X / anp.sqrt(anp.sum(X**2)), {"X": "mat:m,n"}, "X",
     conditions=[_cond(r"$X \neq 0$", lambda d: np.linalg.norm(d["X"]) > 0)])
_add("mgrad-frob-AX-B", "least squares in a matrix", "matrix-gradient", _CH,
     r"\nabla_X\, \lVert AX - B\rVert_F^{2} = 2A^\top(AX - B)",
     lambda X, A, B: anp.sum((A @ X - B) ** 2), lambda X, A, B: 2 * A.T @ (A @ X - B),
     {"X": "mat:m,n", "A": "mat:p,m", "B": "mat:p,n"}, "X")
_add("mgrad-half-frob-AX-B", "half least squares in a matrix", "matrix-gradient", _CH,
     r"\nabla_X\, \tfrac{1}{2}\lVert AX - B\rVert_F^{2} = A^\top(AX - B)",
     lambda X, A, B: 0.5 * anp.sum((A @ X - B) ** 2), lambda X, A, B: A.T @ (A @ X - B),
     {"X": "mat:m,n", "A": "mat:p,m", "B": "mat:p,n"}, "X")
_add("mgrad-frob-XA-B", "least squares, X on the left", "matrix-gradient", _CH,
     r"\nabla_X\, \lVert XA - B\rVert_F^{2} = 2(XA - B)A^\top",
     lambda X, A, B: anp.sum((X @ A - B) ** 2), lambda X, A, B: 2 * (X @ A - B) @ A.T,
     {"X": "mat:m,n", "A": "mat:n,p", "B": "mat:m,p"}, "X",
     mistake=_M(r"2A(XA - B)^\top", lambda X, A, B: 2 * A @ (X @ A - B).T,
                "denominator layout: the transpose of the gradient"))
_add("mgrad-frob-AXB-C", "least squares, X in the middle", "matrix-gradient", _CH,
     r"\nabla_X\, \lVert AXB - C\rVert_F^{2} = 2A^\top(AXB - C)B^\top",
     lambda X, A, B, C: anp.sum((A @ X @ B - C) ** 2), lambda X, A, B, C: 2 * A.T @ (A @ X @ B - C) @ B.T,
     {"X": "mat:m,n", "A": "mat:p,m", "B": "mat:n,q", "C": "mat:p,q"}, "X")
_add("mgrad-factorization-U", "matrix factorisation, left factor", "matrix-gradient", _CH,
     r"\nabla_U\, \lVert X - UV\rVert_F^{2} = -2(X - UV)V^\top",
     lambda U, V, X: anp.sum((X - U @ V) ** 2), lambda U, V, X: -2 * (X - U @ V) @ V.T,
     {"U": "mat:m,k", "V": "mat:k,n", "X": "mat:m,n"}, "U",
     mistake=_M(r"2(X - UV)V^\top", lambda U, V, X: 2 * (X - U @ V) @ V.T,
                "the sign of the inner derivative of X - UV is lost"))
_add("mgrad-factorization-V", "matrix factorisation, right factor", "matrix-gradient", _CH,
     r"\nabla_V\, \lVert X - UV\rVert_F^{2} = -2U^\top(X - UV)",
     lambda V, U, X: anp.sum((X - U @ V) ** 2), lambda V, U, X: -2 * U.T @ (X - U @ V),
     {"V": "mat:k,n", "U": "mat:m,k", "X": "mat:m,n"}, "V",
     mistake=_M(r"-2(X - UV)^\top U", lambda V, U, X: -2 * (X - U @ V).T @ U,
                "the transpose: the gradient must have the shape of V"))
_add("mgrad-det", "determinant", "matrix-gradient", _CH,
     r"\nabla_X\, \det X = \det(X)\,X^{-\top}",
     lambda X: anp.linalg.det(X), lambda X: anp.linalg.det(X) * _invT(X), {"X": "inv:n,n"}, "X",
     reference="Matrix Cookbook (42)",
     mistake=_M(r"\nabla_X\, \det X = \det(X)\,X^{-1}", lambda X: anp.linalg.det(X) * _inv(X),
                "the transpose is missing (equal only for symmetric X)"))
_add("mgrad-det-cofactor", "determinant via cofactors", "matrix-gradient", _CH,
     r"\nabla_X\, \det X = \operatorname{adj}(X)^\top = C,\ C_{ij} = (-1)^{i+j}\det X_{(-i,-j)}",
     lambda X: anp.linalg.det(X), lambda X: _cofactor(X), {"X": "sq:n,n"}, "X",
     reference="Matrix Cookbook (41)")
_add("mgrad-logabsdet", "log of the absolute determinant", "matrix-gradient", _CH,
     r"\nabla_X\, \ln\lvert\det X\rvert = X^{-\top}",
     lambda X: anp.linalg.slogdet(X)[1], lambda X: _invT(X), {"X": "inv:n,n"}, "X",
     reference="Matrix Cookbook (43)",
     mistake=_M(r"\nabla_X\, \ln\lvert\det X\rvert = X^{-1}", lambda X: _inv(X),
                "the transpose is missing (equal only for symmetric X)"))
_add("mgrad-logdet-spd", "log-determinant of a covariance", "matrix-gradient", _CH,
     r"\nabla_X\, \ln\det X = X^{-1}",
     lambda X: anp.linalg.slogdet(X)[1], lambda X: _inv(X), {"X": "spd:n,n"}, "X")
_add("mgrad-det-AXB", "determinant of a product", "matrix-gradient", _CH,
     r"\nabla_X\, \det(AXB) = \det(AXB)\,A^\top(AXB)^{-\top}B^\top",
     lambda X, A, B: anp.linalg.det(A @ X @ B),
     lambda X, A, B: anp.linalg.det(A @ X @ B) * A.T @ _invT(A @ X @ B) @ B.T,
     lambda rng: _retry(rng, _gen_det_axb, _post_det_axb), "X",
     shapes=r"X\in\mathbb{R}^{m\times n},\ A\in\mathbb{R}^{k\times m},\ B\in\mathbb{R}^{n\times k}",
     conditions=[_cond(r"$AXB$ invertible", lambda d: np.linalg.cond(d["A"] @ d["X"] @ d["B"]) < 1e6)])
_add("mgrad-det-XTAX", "determinant of X^T A X", "matrix-gradient", _CH,
     r"\nabla_X\, \det(X^\top AX) = \det(M)\big(AXM^{-1} + A^\top XM^{-\top}\big),\ M = X^\top AX",
     lambda X, A: anp.linalg.det(X.T @ A @ X),
     lambda X, A: anp.linalg.det(X.T @ A @ X) * (A @ X @ _inv(X.T @ A @ X) + A.T @ X @ _invT(X.T @ A @ X)),
     _gen_xtax, "X",
     shapes=r"X\in\mathbb{R}^{m\times n}\ (m > n),\ A\in\mathbb{R}^{m\times m}",
     conditions=[_cond(r"$X^\top AX$ invertible", lambda d: np.linalg.cond(d["X"].T @ d["A"] @ d["X"]) < 1e6)],
     mistake=_M(r"2\det(M)\,AXM^{-1}", lambda X, A: 2 * anp.linalg.det(X.T @ A @ X) * A @ X @ _inv(X.T @ A @ X),
                "holds only for symmetric A"))
_add("mgrad-logdet-XTX", "log-determinant of a Gram matrix", "matrix-gradient", _CH,
     r"\nabla_X\, \ln\det(X^\top X) = 2X(X^\top X)^{-1}",
     lambda X: anp.linalg.slogdet(X.T @ X)[1], lambda X: 2 * X @ _inv(X.T @ X),
     lambda rng: (lambda n, m: {"X": _gen_tall(rng, m, n)})(*sorted(_draw_dims(rng, "mn").values())), "X",
     shapes=r"X\in\mathbb{R}^{m\times n}\ (m > n)",
     conditions=[_cond(r"$X$ has full column rank", lambda d: np.linalg.matrix_rank(d["X"]) == d["X"].shape[1])])
_add("mgrad-det-Xk", "determinant of a matrix power", "matrix-gradient", _CH,
     r"\nabla_X\, \det(X^{k}) = k\,\det(X^{k})\,X^{-\top}",
     lambda X, k: anp.linalg.det(_matpow(X, k)), lambda X, k: k * anp.linalg.det(_matpow(X, k)) * _invT(X),
     {"X": "inv:n,n", "k": "int:1,3"}, "X")
_add("mgrad-inverse-bilinear", "bilinear form of the inverse", "matrix-gradient", _CH,
     r"\nabla_X\, (\mathbf{a}^\top X^{-1}\mathbf{b}) = -X^{-\top}\mathbf{a}\mathbf{b}^\top X^{-\top}",
     lambda X, a, b: a @ _inv(X) @ b, lambda X, a, b: -_invT(X) @ anp.outer(a, b) @ _invT(X),
     {"X": "inv:n,n", "a": "vec:n", "b": "vec:n"}, "X",
     mistake=_M(r"-X^{-1}\mathbf{a}\mathbf{b}^\top X^{-1}", lambda X, a, b: -_inv(X) @ anp.outer(a, b) @ _inv(X),
                "the transposes are missing"))
_add("mgrad-tr-AXinvB", "trace with an inverse", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(AX^{-1}B) = -X^{-\top}A^\top B^\top X^{-\top}",
     lambda X, A, B: anp.trace(A @ _inv(X) @ B), lambda X, A, B: -_invT(X) @ A.T @ B.T @ _invT(X),
     {"X": "inv:n,n", "A": "mat:p,n", "B": "mat:n,p"}, "X",
     mistake=_M(r"-X^{-1}BAX^{-1}", lambda X, A, B: -_inv(X) @ B @ A @ _inv(X),
                "denominator layout: the transpose"))
_add("mgrad-tr-Xinv", "trace of the inverse", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(X^{-1}) = -(X^{-2})^\top",
     lambda X: anp.trace(_inv(X)), lambda X: -(_inv(X) @ _inv(X)).T, {"X": "inv:n,n"}, "X",
     mistake=_M(r"-X^{-2}", lambda X: -_inv(X) @ _inv(X), "the transpose is missing"))
_add("mgrad-aXTXb", "bilinear form of the Gram matrix", "matrix-gradient", _CH,
     r"\nabla_X\, (\mathbf{a}^\top X^\top X\mathbf{b}) = X(\mathbf{a}\mathbf{b}^\top + \mathbf{b}\mathbf{a}^\top)",
     lambda X, a, b: a @ X.T @ X @ b, lambda X, a, b: X @ (anp.outer(a, b) + anp.outer(b, a)),
     {"X": "mat:m,n", "a": "vec:n", "b": "vec:n"}, "X")
_add("mgrad-aXTXa", "quadratic form of the Gram matrix", "matrix-gradient", _CH,
     r"\nabla_X\, (\mathbf{a}^\top X^\top X\mathbf{a}) = \nabla_X\, \lVert X\mathbf{a}\rVert_2^{2} = 2X\mathbf{a}\mathbf{a}^\top",
     lambda X, a: a @ X.T @ X @ a, lambda X, a: 2 * X @ anp.outer(a, a), {"X": "mat:m,n", "a": "vec:n"}, "X")
_add("mgrad-bXTDXc", "weighted bilinear form", "matrix-gradient", _CH,
     r"\nabla_X\, (\mathbf{b}^\top X^\top DX\mathbf{c}) = D^\top X\mathbf{b}\mathbf{c}^\top + DX\mathbf{c}\mathbf{b}^\top",
     lambda X, b, c, D: b @ X.T @ D @ X @ c,
     lambda X, b, c, D: D.T @ X @ anp.outer(b, c) + D @ X @ anp.outer(c, b),
     {"X": "mat:m,n", "b": "vec:n", "c": "vec:n", "D": "sq:m,m"}, "X")
_add("mgrad-affine-quadratic", "weighted squared affine residual", "matrix-gradient", _CH,
     r"\nabla_X\, (X\mathbf{b} + \mathbf{c})^\top D(X\mathbf{b} + \mathbf{c}) = (D + D^\top)(X\mathbf{b} + \mathbf{c})\mathbf{b}^\top",
     lambda X, b, c, D: (X @ b + c) @ D @ (X @ b + c),
     lambda X, b, c, D: anp.outer((D + D.T) @ (X @ b + c), b),
     {"X": "mat:m,n", "b": "vec:n", "c": "vec:m", "D": "sq:m,m"}, "X",
     mistake=_M(r"2D(X\mathbf{b} + \mathbf{c})\mathbf{b}^\top", lambda X, b, c, D: 2 * anp.outer(D @ (X @ b + c), b),
                "holds only for symmetric D"))
_add("mgrad-aX2b", "bilinear form of X squared", "matrix-gradient", _CH,
     r"\nabla_X\, (\mathbf{a}^\top X^{2}\mathbf{b}) = X^\top\mathbf{a}\mathbf{b}^\top + \mathbf{a}\mathbf{b}^\top X^\top",
     lambda X, a, b: a @ X @ X @ b, lambda X, a, b: X.T @ anp.outer(a, b) + anp.outer(a, b) @ X.T,
     {"X": "sq:n,n", "a": "vec:n", "b": "vec:n"}, "X")


def _sym(m):
    return 0.5 * (m + anp.transpose(m))


def _f_sym_example(X, a, b):
    """f(X) = a^T X b + ln det X, defined for every invertible X with det X > 0."""
    return a @ X @ b + anp.linalg.slogdet(X)[1]


def _G_sym_example(X, a, b):
    """The unstructured gradient G = a b^T + X^{-T} of ``_f_sym_example``."""
    return anp.outer(a, b) + _invT(X)


def _cookbook_sym(G):
    """G + G^T - diag(G): the partials in the free entries X_ij (i <= j), laid out as a matrix."""
    return G + anp.transpose(G) - anp.diag(anp.diag(G))


def _post_sym_direction(d, rng):
    """Scale the symmetric direction E so that X + tE stays positive definite for |t| <= 1."""
    return {**d, "E": 0.2 * d["E"] / np.linalg.norm(d["E"], 2)}


# Symmetric X. verify() differentiates in every direction and cannot restrict the perturbations to
# symmetric ones, so the statement "sym(G) is the gradient that predicts symmetric perturbations" is
# entered twice: (1) as a directional derivative along a symmetric direction E (a derivative in t,
# evaluated at many t at once), and (2) as the gradient of the symmetric extension X -> f(sym X),
# which does not see the antisymmetric part of a perturbation, so its full gradient at a symmetric X
# is sym(G). The Cookbook form G + G^T - diag(G) is refuted by both.
_add("mgrad-sym-directional", "symmetric matrix: derivative along a symmetric direction", "derivative", _CH,
     r"\frac{d}{dt}\, f(X + tE) = \langle \operatorname{sym}G, E\rangle_F,\ \operatorname{sym}G = \tfrac{1}{2}(G + G^\top),\ G = \nabla f(X + tE),\ \text{e.g. } f(X) = \mathbf{a}^\top X\mathbf{b} + \ln\det X,\ G = \mathbf{a}\mathbf{b}^\top + X^{-\top}",
     lambda t, X, E, a, b: anp.stack([_f_sym_example(X + ti * E, a, b) for ti in t]),
     lambda t, X, E, a, b: anp.stack([anp.sum(_sym(_G_sym_example(X + ti * E, a, b)) * E) for ti in t]),
     {"t": "uni:-1,1,p", "X": "spd:n,n", "E": "sym:n,n", "a": "vec:n", "b": "vec:n"}, "t",
     post=_post_sym_direction,
     mistake=_M(r"\langle G + G^\top - \operatorname{diag}(G), E\rangle_F",
                lambda t, X, E, a, b: anp.stack([anp.sum(_cookbook_sym(_G_sym_example(X + ti * E, a, b)) * E) for ti in t]),
                "G + G^T - diag(G) lists the partial derivatives in the free entries X_ij (i <= j); paired with a perturbation it counts every off-diagonal change twice"))
_add("mgrad-sym-extension", "symmetric matrix: gradient of the symmetric extension", "matrix-gradient", _CH,
     r"\nabla_X\, f\big(\tfrac{1}{2}(X + X^\top)\big) = \operatorname{sym}G = \tfrac{1}{2}(G + G^\top)\ \text{for symmetric } X,\ G = \nabla f(X),\ \text{e.g. } f(X) = \mathbf{a}^\top X\mathbf{b} + \ln\det X,\ \operatorname{sym}G = \tfrac{1}{2}(\mathbf{a}\mathbf{b}^\top + \mathbf{b}\mathbf{a}^\top) + X^{-1}",
     lambda X, a, b: _f_sym_example(_sym(X), a, b),
     lambda X, a, b: _sym(_G_sym_example(X, a, b)),
     {"X": "spd:n,n", "a": "vec:n", "b": "vec:n"}, "X",
     mistake=_M(r"G + G^\top - \operatorname{diag}(G)", lambda X, a, b: _cookbook_sym(_G_sym_example(X, a, b)),
                "the partial derivatives in the free entries X_ij (i <= j) laid out as a matrix: off the diagonal twice the gradient"))
_add("mgrad-ls-in-A", "least squares in the matrix of a linear map", "matrix-gradient", _CH,
     r"\nabla_A\, \lVert A\mathbf{x} - \mathbf{y}\rVert_2^{2} = 2(A\mathbf{x} - \mathbf{y})\mathbf{x}^\top",
     lambda A, x, y: (A @ x - y) @ (A @ x - y), lambda A, x, y: 2 * anp.outer(A @ x - y, x),
     {"A": "mat:m,n", "x": "vec:n", "y": "vec:m"}, "A")
_add("mgrad-loss-of-AXB", "a loss of AXB (chain rule through a matrix product)", "matrix-gradient", _CH,
     r"\nabla_X\, \ell(AXB) = A^\top GB^\top,\ G = \nabla\ell(AXB),\ \text{e.g. } \ell(Y) = \sum_{k,l}\ln\cosh Y_{kl},\ G = \tanh(AXB)",
     lambda X, A, B: anp.sum(anp.log(anp.cosh(A @ X @ B))),
     lambda X, A, B: A.T @ anp.tanh(A @ X @ B) @ B.T,
     {"X": "mat:m,n", "A": "mat:p,m", "B": "mat:n,q"}, "X")

# Jacobians of matrix-valued functions of a matrix: entry [k, l, i, j] = d F_kl / d X_ij.
_add("mjac-identity", "a matrix with respect to itself", "jacobian", _CH,
     r"\frac{\partial X_{kl}}{\partial X_{ij}} = \delta_{ik}\,\delta_{lj}\quad\Big(\frac{\partial X}{\partial X_{ij}} = J^{ij}\Big)",
     lambda X: 1.0 * X, lambda X: anp.einsum("ki,lj->klij", anp.eye(X.shape[0]), anp.eye(X.shape[1])),
     {"X": "mat:m,n"}, "X", reference="Matrix Cookbook (32), (73)")
_add("mjac-XA", "right multiplication", "jacobian", _CH,
     r"\frac{\partial (XA)_{ij}}{\partial X_{mn}} = \delta_{im}\,A_{nj}",
     lambda X, A: X @ A, lambda X, A: anp.einsum("im,nj->ijmn", anp.eye(X.shape[0]), A),
     {"X": "mat:p,q", "A": "mat:q,r"}, "X", reference="Matrix Cookbook (74)")
_add("mjac-XTA", "transpose times a matrix", "jacobian", _CH,
     r"\frac{\partial (X^\top A)_{ij}}{\partial X_{mn}} = \delta_{in}\,A_{mj}",
     lambda X, A: X.T @ A, lambda X, A: anp.einsum("in,mj->ijmn", anp.eye(X.shape[1]), A),
     {"X": "mat:p,q", "A": "mat:p,r"}, "X", reference="Matrix Cookbook (75)")
_add("mjac-transpose", "transpose", "jacobian", _CH,
     r"\frac{\partial (X^\top)_{kl}}{\partial X_{ij}} = \delta_{kj}\,\delta_{li}",
     lambda X: X.T, lambda X: anp.einsum("kj,li->klij", anp.eye(X.shape[1]), anp.eye(X.shape[0])),
     {"X": "mat:m,n"}, "X", reference="Matrix Cookbook (44)")
_add("mjac-scalar-times-matrix", "scalar times a matrix", "jacobian", _CH,
     r"\frac{\partial (\alpha X)}{\partial \alpha} = X",
     lambda alpha, X: alpha * X, lambda alpha, X: X, {"alpha": "num:-2,2", "X": "mat:m,n"}, "alpha",
     reference="Matrix Cookbook (34)")
_add("mjac-square", "matrix square (product rule)", "jacobian", _CH,
     r"\frac{\partial (X^{2})_{kl}}{\partial X_{ij}} = \delta_{ki}X_{jl} + X_{ki}\delta_{lj}\quad\big(d(X^{2}) = dX\,X + X\,dX\big)",
     lambda X: X @ X,
     lambda X: anp.einsum("ki,jl->klij", anp.eye(X.shape[0]), X) + anp.einsum("ki,lj->klij", X, anp.eye(X.shape[0])),
     {"X": "sq:n,n"}, "X", reference="Matrix Cookbook (37)",
     mistake=_M(r"2X_{kl}\,\delta_{ki}\delta_{lj}", lambda X: 2 * anp.einsum("ki,lj,kl->klij", anp.eye(X.shape[0]), anp.eye(X.shape[0]), X),
                "the scalar rule d(x^2) = 2x dx does not carry over: matrices do not commute"))
_add("mjac-gram", "Gram matrix", "jacobian", _CH,
     r"\frac{\partial (X^\top X)_{kl}}{\partial X_{ij}} = \delta_{kj}X_{il} + X_{ik}\delta_{lj}",
     lambda X: X.T @ X,
     lambda X: anp.einsum("kj,il->klij", anp.eye(X.shape[1]), X) + anp.einsum("ik,lj->klij", X, anp.eye(X.shape[1])),
     {"X": "mat:m,n"}, "X")
_add("mjac-hadamard", "elementwise square of a matrix", "jacobian", _CH,
     r"\frac{\partial (X\odot X)_{kl}}{\partial X_{ij}} = 2X_{kl}\,\delta_{ki}\,\delta_{lj}",
     lambda X: X * X,
     lambda X: 2 * anp.einsum("ki,lj,kl->klij", anp.eye(X.shape[0]), anp.eye(X.shape[1]), X),
     {"X": "mat:m,n"}, "X", reference="Matrix Cookbook (38)")
_add("mjac-kron", "Kronecker product", "jacobian", _CH,
     r"\frac{\partial (X\otimes Y)}{\partial X_{ij}} = J^{ij}\otimes Y",
     lambda X, Y: anp.kron(X, Y),
     lambda X, Y: anp.reshape(
         anp.einsum("ai,cj,bd->abcdij", anp.eye(X.shape[0]), anp.eye(X.shape[1]), Y),
         (X.shape[0] * Y.shape[0], X.shape[1] * Y.shape[1], X.shape[0], X.shape[1])),
     {"X": "mat:m,n", "Y": "mat:p,q"}, "X", reference="Matrix Cookbook (39)")
_add("mjac-inverse", "matrix inverse", "jacobian", _CH,
     r"\frac{\partial (X^{-1})_{kl}}{\partial X_{ij}} = -(X^{-1})_{ki}\,(X^{-1})_{jl}\quad\big(d(X^{-1}) = -X^{-1}\,dX\,X^{-1}\big)",
     lambda X: _inv(X), lambda X: -anp.einsum("ki,jl->klij", _inv(X), _inv(X)),
     {"X": "inv:n,n"}, "X", reference="Matrix Cookbook (40)",
     mistake=_M(r"d(X^{-1}) = -X^{-2}\,dX,\ \text{i.e. } -(X^{-2})_{ki}\,\delta_{lj}",
                lambda X: -anp.einsum("ki,lj->klij", _inv(X) @ _inv(X), anp.eye(X.shape[0])),
                "the scalar rule d(1/x) = -dx/x^2 assumes that X and dX commute"))
_add("mjac-vec-AXB", "vec of a matrix product", "jacobian", _CH,
     r"\frac{\partial\, \operatorname{vec}(AXB)}{\partial\, \operatorname{vec}(X)} = B^\top\otimes A",
     lambda x, A, B: _vec(A @ _unvec(x, A.shape[1], B.shape[0]) @ B), lambda x, A, B: anp.kron(B.T, A),
     _gen_vec_axb, "x",
     shapes=r"\operatorname{vec}(X)\in\mathbb{R}^{mn},\ A\in\mathbb{R}^{p\times m},\ B\in\mathbb{R}^{n\times q}",
     mistake=_M(r"A\otimes B^\top", lambda x, A, B: anp.kron(A, B.T),
                "the Kronecker factors in the wrong order (row-major vec)"))
