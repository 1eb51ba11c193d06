"""Tests of mlcalc.identities: every entry of the registry is right, every common mistake wrong.

Each identity is checked at several random inputs whose shapes are drawn afresh, three ways:
against autograd, against central differences computed here from ``f`` alone, and with
``mlcalc``'s own checkers (``check_grad`` / ``check_jacobian`` / ``check_hessian``). Each
``common_mistake`` must be shown wrong by the same references.
"""

import re
import zlib
from pathlib import Path

import autograd
import numpy as np
import pytest

import mlcalc
from mlcalc.identities import (
    CHAPTERS,
    IDENTITIES,
    KINDS,
    CommonMistake,
    Condition,
    Identity,
    chapter_link,
    get_identity,
    identities_for,
    refute_mistake,
    render_markdown,
    verify,
    verify_all,
)

ROOT = Path(__file__).resolve().parent.parent
IDS = [ident.id for ident in IDENTITIES]
WITH_MISTAKE = [ident.id for ident in IDENTITIES if ident.common_mistake is not None]
N_DRAWS = 3


def _rng(ident_id, salt):
    """A generator seeded from the id (stable across runs and test selections)."""
    return np.random.default_rng([zlib.crc32(ident_id.encode()), salt])


# --------------------------------------------------------------------------------------------
# The registry as a whole
# --------------------------------------------------------------------------------------------


def test_at_least_150_entries():
    assert len(IDENTITIES) >= 150


def test_ids_unique_and_well_formed():
    assert len(set(IDS)) == len(IDS)
    for ident_id in IDS:
        assert re.fullmatch(r"[a-z0-9]+(-[a-zA-Z0-9]+)*", ident_id), ident_id


def test_records_well_formed():
    for ident in IDENTITIES:
        assert isinstance(ident, Identity)
        assert ident.kind in KINDS, ident.id
        assert ident.chapter in CHAPTERS, ident.id
        assert ident.name.strip(), ident.id
        assert ident.latex.strip(), ident.id
        # plain LaTeX for $...$ inside markdown tables: no dollar, no pipe (norms use \lVert)
        for text in (ident.latex, ident.shapes) + (
            (ident.common_mistake.latex,) if ident.common_mistake else ()
        ):
            assert "$" not in text and "|" not in text, (ident.id, text)
            assert text.count("{") == text.count("}"), (ident.id, text)
            # the book's vendored MathJax has no autoloaded extensions (boldsymbol, cancel, ...)
            for macro in ("\\boldsymbol", "\\bm{", "\\cancel", "\\color", "\\href", "\\bbox"):
                assert macro not in text, (ident.id, macro)
        assert callable(ident.f) and callable(ident.derivative) and callable(ident.make_inputs)
        for cond in ident.conditions:
            assert isinstance(cond, Condition) and cond.text.strip()
            assert cond.text.count("$") % 2 == 0, (ident.id, cond.text)
            assert "\\boldsymbol" not in cond.text, (ident.id, cond.text)
        if ident.common_mistake is not None:
            assert isinstance(ident.common_mistake, CommonMistake)
            assert ident.common_mistake.why.strip(), ident.id


def test_shapes_text_matches_generated_shapes():
    """The rendered shapes (e.g. A in R^{m x n}) have as many dimensions as the drawn arrays."""
    from mlcalc.identities import _parse, _shape_text, _Spec

    for ident in IDENTITIES:
        assert ident.shapes.strip(), ident.id
        if not isinstance(ident.make_inputs, _Spec):
            continue
        inputs = ident.make_inputs(np.random.default_rng(0))
        for name, spec in ident.make_inputs.specs.items():
            scalar_wrt = name == ident.wrt and ident.kind in ("derivative", "second-derivative")
            text = _shape_text(spec, lambda a: a, scalar_wrt)
            ndim = np.ndim(inputs[name])
            if scalar_wrt or ndim == 0 or _parse(spec)[0] == "int":
                assert "mathbb{R}^" not in text, (ident.id, name, text)
            else:
                assert text.count("\\times") + 1 == ndim, (ident.id, name, text, ndim)


def test_every_chapter_with_derivatives_has_entries():
    for label in CHAPTERS:
        assert len(identities_for(label)) >= 2, label
    assert sum(len(identities_for(label)) for label in CHAPTERS) == len(IDENTITIES)


def test_records_are_frozen():
    ident = IDENTITIES[0]
    with pytest.raises(AttributeError):
        ident.latex = "x"


def test_seed_corrections_are_kept_as_mistakes():
    """The wrong forms found in the source notes are in the registry, corrected, with the wrong
    form kept as the common mistake."""
    for ident_id in (
        "jac-linear",  # grad_x(Ax) = A^T (denominator layout)
        "jac-affine",  # grad_x(Ax + b) = A^T
        "jac-row-times-matrix",  # grad_x(x^T A) = A
        "mgrad-tr-AXBXT",  # d/dX tr(AXBX^T) = A^T X (B + B^T)
        "hess-polynomial",  # (1,2) entry 6 x1^2 x2 - 6 x2
        "loss-logistic-weights",  # (1/n) X^T (sigma(-y*Xw) - 1) * (-y)
    ):
        assert get_identity(ident_id).common_mistake is not None, ident_id


# --------------------------------------------------------------------------------------------
# Every entry right: autograd + central differences (verify), and the mlcalc checkers
# --------------------------------------------------------------------------------------------


def _check_with_mlcalc(ident, inputs, derivative):
    """Run the matching mlcalc checker on ``derivative`` (the claim or a mistake)."""
    fn = ident.function_of_wrt(inputs)
    x = inputs[ident.wrt]

    def claim(z):
        return np.asarray(derivative(**{**inputs, ident.wrt: z}), dtype=float)

    if ident.kind in ("gradient", "matrix-gradient"):
        return mlcalc.check_grad(fn, claim, x)
    if ident.kind == "jacobian":
        return mlcalc.check_jacobian(fn, claim, x)
    if ident.kind == "hessian":
        return mlcalc.check_hessian(fn, claim, x)
    if ident.kind == "derivative":  # elementwise: the Jacobian is diagonal
        return mlcalc.check_jacobian(fn, lambda z: np.diag(claim(z)), x)
    # second derivative of an elementwise f: Hessian of sum(f) is diagonal
    return mlcalc.check_hessian(lambda z: np.sum(fn(z)), lambda z: np.diag(claim(z)), x)


@pytest.mark.parametrize("ident_id", IDS)
def test_identity_is_right(ident_id):
    """At N_DRAWS random inputs each: autograd and central differences (via ``verify``), then
    mlcalc's checker wired independently here."""
    ident = get_identity(ident_id)
    assert verify(ident, rng=_rng(ident_id, 0), n_draws=N_DRAWS, methods=("autograd", "fd"))
    rng = _rng(ident_id, 1)
    for _ in range(N_DRAWS):
        inputs = ident.make_inputs(rng)
        report = _check_with_mlcalc(ident, inputs, ident.derivative)
        assert report.ok, f"{ident_id}: {report}"


@pytest.mark.parametrize("ident_id", WITH_MISTAKE)
def test_common_mistake_is_wrong(ident_id):
    ident = get_identity(ident_id)
    # against autograd (shape mismatch, or off by more than 1e-3 relative, at some draw)
    assert refute_mistake(ident, rng=_rng(ident_id, 2), n_draws=N_DRAWS).startswith(ident_id)
    # and against the mlcalc checker
    rng = _rng(ident_id, 3)
    verdicts = []
    for _ in range(N_DRAWS):
        inputs = ident.make_inputs(rng)
        try:
            verdicts.append(
                bool(_check_with_mlcalc(ident, inputs, ident.common_mistake.derivative))
            )
        except ValueError:  # wrong shape: the checker refuses it
            verdicts.append(False)
    assert not all(verdicts), f"{ident_id}: the checker accepted the wrong form on every draw"


# --------------------------------------------------------------------------------------------
# Inputs: conditions hold, shapes vary, matrices expose errors
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("ident_id", IDS)
def test_inputs_satisfy_conditions_and_expose_errors(ident_id):
    ident = get_identity(ident_id)
    rng = _rng(ident_id, 4)
    shapes = set()
    for _ in range(5):
        inputs = ident.make_inputs(rng)
        assert ident.wrt in inputs
        for cond in ident.conditions:
            assert cond.holds(inputs), (ident_id, cond.text)
        shapes.add(tuple((k, np.shape(v)) for k, v in sorted(inputs.items())))
        for name, value in inputs.items():
            arr = np.asarray(value)
            assert np.all(np.isfinite(arr)), (ident_id, name)
            # square matrices are non-symmetric unless a condition says symmetric
            if arr.ndim == 2 and arr.shape[0] == arr.shape[1] and arr.shape[0] > 1:
                if np.allclose(arr, arr.T):
                    assert any(
                        "symmetric" in c.text or "^\\top$" in c.text for c in ident.conditions
                    ), (ident_id, name, "a symmetric input without a symmetry condition")
    if not ident.fixed_shapes:
        assert len(shapes) > 1, f"{ident_id}: the shapes never vary"


def test_square_inputs_are_nonsymmetric_where_it_matters():
    """The identities whose common mistake holds only for symmetric matrices get non-symmetric
    ones, so the mistake is exposed."""
    for ident_id in (
        "grad-quadratic-form",
        "mgrad-tr-XTAX",
        "mgrad-tr-AXBXT",
        "hess-quadratic-form",
        "chain-weighted-ls",
        "mgrad-det",
        "mgrad-logabsdet",
        "hess-exp-quadratic",
        "hess-lagrangian-eig",
        "hess-rayleigh-eigvec",
    ):
        ident = get_identity(ident_id)
        inputs = ident.make_inputs(np.random.default_rng(0))
        squares = [
            v for v in inputs.values() if np.ndim(v) == 2 and np.shape(v)[0] == np.shape(v)[1]
        ]
        assert squares and all(np.abs(v - v.T).max() > 0.1 for v in squares), ident_id


# --------------------------------------------------------------------------------------------
# Identities the chapters state: registered once, under the chapter that derives them
# --------------------------------------------------------------------------------------------

# Statements found in the chapters -> the id that holds them (entries that were already in the
# registry under another id are listed with that id, so a statement is never entered twice).
CHAPTER_STATEMENTS = {
    "jac-warp": "ch-jacobians",
    "jac-vjp": "ch-jacobians",
    "jac-hadamard-u": "ch-jacobians",  # d(u * v)/du = diag(v), not diag(u)
    "jac-quotient-v": "ch-jacobians",  # d(u / v)/dv = -diag(u_i / v_i^2)
    "jac-bias-broadcast": "ch-jacobians",  # grad_b L(Z + b 1^T) = G 1, not the batch mean
    "jac-grad-sq-norm-Xb": "ch-jacobians",  # grad_X ||Xb||^2 = 2 X b b^T, the differential example
    "chain-relu-x": "ch-chain-rule",
    "chain-relu-w": "ch-chain-rule",
    "chain-log1p-sq-norm": "ch-chain-rule",
    "chain-sq-norm-affine": "ch-chain-rule",
    "chain-jac-product-rule": "ch-chain-rule",
    "chain-exp-quadratic": "ch-chain-rule",  # grad e^{-x^T A x} (also written as a trace)
    "chain-sigmoid-layer-x": "ch-chain-rule",  # W^T (sigma'(Wx) * v), W non-square
    "hess-exp-quadratic": "ch-hessians",
    "hess-lncosh-affine": "ch-hessians",
    "hess-gauss-newton": "ch-hessians",
    "hess-lagrangian-eig": "ch-hessians",
    "hess-rayleigh-eigvec": "ch-hessians",
    "grad-lagrangian-eig": "ch-gradients",  # (A + A^T)x - 2 lambda x, used by ch-hessians
    "mgrad-ls-in-A": "ch-matrix-derivatives",
    "mgrad-loss-of-AXB": "ch-matrix-derivatives",
    "mgrad-sym-directional": "ch-matrix-derivatives",
    "mgrad-sym-extension": "ch-matrix-derivatives",
    "act-softplus-beta": "ch-activations",
    "act-softmax-backward": "ch-activations",
    "loss-linear-model-chain": "ch-losses",
    "loss-mse-weights": "ch-losses",
    "lik-gauss-nll-weights": "ch-likelihood",  # (1/sigma^2) X^T (Xw - y), used by ch-losses
    "loss-logistic-weights": "ch-losses",  # the {-1, +1} logistic gradient of ch-linear-models
    "loss-bce-weights": "ch-losses",  # X^T (sigma(Xw) - y) / n of ch-linear-models
    "lm-lda-log-odds": "ch-linear-models",
    "lm-logreg-mean-hess": "ch-linear-models",
    "lik-map-gauss-mean": "ch-likelihood",
    "lik-expfam-exponential-mean": "ch-likelihood",
    "lik-expfam-exponential-var": "ch-likelihood",
    # ch-backprop: one layer f = sigma(Wx + b), the vec route, batches as columns, backward steps
    "bp-layer-jac-b": "ch-backprop",
    "bp-layer-jac-A": "ch-backprop",
    "bp-layer-jac-vecA": "ch-backprop",
    "bp-grad-vecA": "ch-backprop",
    "bp-batch-cols-A": "ch-backprop",
    "bp-batch-cols-b": "ch-backprop",
    "bp-batch-cols-F": "ch-backprop",
    "bp-softmax-ce-cols": "ch-backprop",
    "bp-vjp": "ch-backprop",  # the tanh backward step
    "bp-step-sigmoid": "ch-backprop",
    "bp-step-relu": "ch-backprop",
    "bp-step-softplus": "ch-backprop",
    "bp-residual-step": "ch-backprop",
}


def test_chapter_statements_are_registered():
    for ident_id, chapter in CHAPTER_STATEMENTS.items():
        assert get_identity(ident_id).chapter == chapter, ident_id
    # the wrong forms the chapters name are kept
    for ident_id in (
        "chain-sq-norm-affine",  # 2A^T A x + A^T b
        "jac-hadamard-u",  # diag(u): the wrong factor
        "jac-bias-broadcast",  # (1/N) G 1: the batch mean
        "chain-sigmoid-layer-x",  # sigma'(Wx) * W^T v: a shape only for a square W
        "loss-logistic-weights",  # (1/n) X^T ((sigma(-y Xw) - 1) * (-y))
        "hess-gauss-newton",  # J^T J alone
        "mgrad-sym-directional",  # G + G^T - diag(G) paired with a perturbation
        "mgrad-sym-extension",
        "loss-mse-weights",  # the 1/(2N) gradient with the 1/N loss
        "lm-logreg-mean-hess",  # sigma' written as sigma
        "bp-layer-jac-vecA",  # I_m kron x^T (row-major vec)
        "bp-grad-vecA",  # (I_m kron x) delta
        "bp-softmax-ce-cols",  # softmax along the wrong axis
        "bp-residual-step",  # the identity path g_l forgotten
    ):
        assert get_identity(ident_id).common_mistake is not None, ident_id


def test_relu_draws_cover_both_sides_of_the_kink():
    for ident_id in ("chain-relu-x", "chain-relu-w"):
        ident = get_identity(ident_id)
        rng = _rng(ident_id, 5)
        margins = [float(d["w"] @ d["x"]) for d in (ident.make_inputs(rng) for _ in range(12))]
        assert min(abs(m) for m in margins) > 0.1, (ident_id, margins)
        assert min(margins) < 0 < max(margins), (ident_id, margins)


def test_relu_backward_step_draws_cover_both_sides_of_the_kink():
    ident = get_identity("bp-step-relu")
    rng = _rng(ident.id, 9)
    for _ in range(8):
        d = ident.make_inputs(rng)
        z = d["W"] @ d["f"] + d["b"]
        assert np.abs(z).min() > 0.1 and z.min() < 0 < z.max(), z


def test_backprop_vec_routes_agree():
    """The three forms of the layer's weight derivative hold the same numbers: the m x m x n array
    flattened column-major is the vec Jacobian, and (x kron I_m) delta is vec(delta x^T)."""
    from mlcalc.identities import _unvec, _vec

    three, vec_jac, vec_grad = (
        get_identity(i) for i in ("bp-layer-jac-A", "bp-layer-jac-vecA", "bp-grad-vecA")
    )
    rng = _rng("bp-vec-routes", 0)
    for _ in range(3):
        d = vec_grad.make_inputs(rng)
        w, b, x, t = d["w"], d["b"], d["x"], d["t"]
        m, n = b.size, x.size
        W = _unvec(w, m, n)
        assert np.array_equal(_vec(W), w) and np.array_equal(W[:, 1], w[m : 2 * m])
        J3 = three.claimed({"W": W, "b": b, "x": x})
        Jv = vec_jac.claimed({"w": w, "b": b, "x": x})
        assert J3.shape == (m, m, n) and Jv.shape == (m, m * n)
        assert np.allclose(J3.reshape((m, m * n), order="F"), Jv)
        assert not np.allclose(J3.reshape((m, m * n)), Jv)  # the row-major flattening differs
        z = W @ x + b
        s = 1 / (1 + np.exp(-z))
        delta = s * (1 - s) * (s - t)
        assert np.allclose(vec_grad.claimed(d), np.outer(delta, x).reshape(-1, order="F"))
        assert np.allclose(vec_grad.claimed(d), Jv.T @ (s - t))  # the chain rule through Jv


def test_batch_as_columns_is_a_sum_of_outer_products():
    ident = get_identity("bp-batch-cols-A")
    d = ident.make_inputs(_rng(ident.id, 9))
    W, b, F = d["W"], d["b"], d["F"]
    Delta = np.tanh(W @ F + b[:, None])
    total = sum(np.outer(Delta[:, i], F[:, i]) for i in range(F.shape[1]))
    assert np.allclose(ident.claimed(d), total)
    assert np.allclose(get_identity("bp-batch-cols-b").claimed(d), Delta.sum(axis=1))


def test_rayleigh_inputs_are_unit_eigenvectors_and_curvatures_are_eigenvalue_gaps():
    ident = get_identity("hess-rayleigh-eigvec")
    rng = _rng(ident.id, 6)
    for _ in range(5):
        d = ident.make_inputs(rng)
        S = (d["A"] + d["A"].T) / 2
        lam = np.linalg.eigvalsh(S)
        lam_i = d["x"] @ S @ d["x"]
        assert np.isclose(d["x"] @ d["x"], 1) and np.allclose(S @ d["x"], lam_i * d["x"])
        H = autograd.hessian(ident.function_of_wrt(d))(d["x"])
        assert np.allclose(np.linalg.eigvalsh(H), np.sort(2 * (lam - lam_i)), atol=1e-8)


def test_symmetric_matrix_gradient_entries():
    """sym(G) predicts every symmetric perturbation; so does G (its antisymmetric part is
    invisible), but only sym(G) is symmetric; G + G^T - diag(G) predicts none of them."""
    ident = get_identity("mgrad-sym-directional")
    rng = _rng(ident.id, 7)
    for _ in range(3):
        d = ident.make_inputs(rng)
        X, E, a, b = d["X"], d["E"], d["a"], d["b"]
        assert np.allclose(E, E.T) and np.allclose(X, X.T)
        slope = autograd.jacobian(ident.function_of_wrt(d))(np.zeros(1))[0, 0]  # at t = 0
        G = np.outer(a, b) + np.linalg.inv(X).T
        sym_g = (G + G.T) / 2
        assert not np.allclose(G, G.T)
        assert np.isclose(slope, np.sum(sym_g * E)) and np.isclose(slope, np.sum(G * E))
        assert not np.isclose(slope, np.sum((G + G.T - np.diag(np.diag(G))) * E), rtol=1e-3)
    ext = get_identity("mgrad-sym-extension")
    d = ext.make_inputs(_rng(ext.id, 8))
    full = autograd.grad(ext.function_of_wrt(d))(d["X"])
    G = np.outer(d["a"], d["b"]) + np.linalg.inv(d["X"]).T
    assert np.allclose(full, full.T) and np.allclose(full, (G + G.T) / 2)
    assert not np.allclose(full, G)  # the extension's gradient is not the unstructured one


# --------------------------------------------------------------------------------------------
# The verification machinery can fail
# --------------------------------------------------------------------------------------------


def _quadratic(claim, make=None, conditions=()):
    return Identity(
        id="test-quadratic",
        name="quadratic form",
        latex=r"\nabla (x^\top A x)",
        kind="gradient",
        f=lambda x, A: x @ A @ x,
        derivative=claim,
        make_inputs=make
        or (lambda rng: {"x": rng.standard_normal(4), "A": rng.standard_normal((4, 4))}),
        wrt="x",
        chapter="ch-gradients",
        conditions=tuple(conditions),
    )


@pytest.mark.parametrize(
    "methods", [("autograd",), ("fd",), ("checker",), ("autograd", "fd", "checker")]
)
def test_verify_rejects_a_wrong_identity(methods):
    wrong = _quadratic(lambda x, A: 2 * A @ x)
    with pytest.raises(AssertionError, match=r"WRONG (against|according to)"):
        verify(wrong, rng=1, methods=methods)
    right = _quadratic(lambda x, A: (A + A.T) @ x)
    assert verify(right, rng=1, methods=methods)


def test_verify_rejects_a_wrong_shape():
    transposed = _quadratic(lambda x, A: ((A + A.T) @ x)[:, None])
    with pytest.raises(AssertionError, match="shape"):
        verify(transposed, rng=0)


def test_verify_rejects_inputs_violating_a_condition():
    sym = Condition("$A$ symmetric", lambda d: np.allclose(d["A"], d["A"].T))
    ident = _quadratic(lambda x, A: 2 * A @ x, conditions=[sym])
    with pytest.raises(AssertionError, match="violate the condition"):
        verify(ident, rng=0)


def test_verify_rejects_a_derivative_that_modifies_its_input():
    def sneaky(x, A):
        g = (A + A.T) @ x
        x *= 0.0
        return g

    with pytest.raises(AssertionError, match="modified input"):
        verify(_quadratic(sneaky), rng=0)


def test_refute_mistake_fails_when_the_mistake_is_right():
    ident = _quadratic(lambda x, A: (A + A.T) @ x)
    ident = Identity(
        **{
            **ident.__dict__,
            "common_mistake": CommonMistake(
                "A x + A^T x", lambda x, A: A @ x + A.T @ x, "not a mistake"
            ),
        }
    )
    with pytest.raises(AssertionError, match="not shown wrong"):
        refute_mistake(ident, rng=0)
    with pytest.raises(ValueError, match="no common_mistake"):
        refute_mistake(_quadratic(lambda x, A: x), rng=0)


def test_verify_bad_arguments():
    ident = IDENTITIES[0]
    with pytest.raises(ValueError, match="n_draws"):
        verify(ident, n_draws=0)
    with pytest.raises(ValueError, match="methods"):
        verify(ident, methods=("symbolic",))
    with pytest.raises(TypeError, match="rng"):
        verify(ident, rng="seed")
    with pytest.raises(TypeError):
        verify(3.0)
    fields = _quadratic(lambda x, A: x).__dict__
    with pytest.raises(ValueError, match="kind"):
        Identity(**{**fields, "kind": "grad"})
    with pytest.raises(ValueError, match="chapter"):
        Identity(**{**fields, "chapter": "ch-x"})


def test_verify_accepts_an_id_and_is_deterministic():
    assert verify("mgrad-tr-AXBXT", rng=5)
    a = get_identity("mgrad-tr-AXBXT").inputs(11)
    b = get_identity("mgrad-tr-AXBXT").inputs(11)
    assert all(np.array_equal(a[k], b[k]) for k in a)


# --------------------------------------------------------------------------------------------
# Lookup and rendering
# --------------------------------------------------------------------------------------------


def test_get_identity_errors():
    assert get_identity("mgrad-det").id == "mgrad-det"
    with pytest.raises(ValueError, match="did you mean 'mgrad-det'"):
        get_identity("mgrad-dett")
    with pytest.raises(TypeError):
        get_identity(3)


def test_identities_for():
    for label in CHAPTERS:
        assert all(i.chapter == label for i in identities_for(label))
    with pytest.raises(ValueError, match="chapter must be one of"):
        identities_for("ch-nonexistent")


def test_render_markdown_whole_registry():
    results = {
        i.id: "verified" + ("; mistake refuted" if i.common_mistake else "") for i in IDENTITIES
    }
    md = render_markdown(results=results)
    rows = [line for line in md.splitlines() if line.startswith("| ")]
    id_rows = [r for r in rows if r.count(".ipynb)") == 1 and r.endswith(": ✓ verified |")]
    assert len(id_rows) == len(IDENTITIES)
    assert md.count("✓ verified") == len(IDENTITIES)
    assert md.count("✗ proven wrong") == len(WITH_MISTAKE)
    for label, title in CHAPTERS.items():
        assert f"### {title}" in md
        assert chapter_link(label) in md
        stem = chapter_link(label).split("](")[1].rstrip(")")
        assert (ROOT / "chapters" / stem).exists(), f"{label}: no notebook {stem}"
    assert "{ref}" not in md, "roles do not resolve in JupyterLab: use relative links"
    for line in md.splitlines():
        if line.startswith("|"):
            assert line.count("$") % 2 == 0, line
            # every row of a table has as many cells as its header
    tables = md.split("\n\n")
    for block in tables:
        lines = [ln for ln in block.splitlines() if ln.startswith("|")]
        if lines:
            assert len({ln.count(" | ") for ln in lines}) == 1, lines[0]


def test_render_markdown_marks_only_verified_entries():
    md = render_markdown("ch-hessians", results={})
    assert "✓ verified" not in md and "not verified" in md
    assert "### Gradients" not in md and "### Hessians and curvature" in md


def test_render_markdown_runs_verification_itself():
    md = render_markdown("ch-checking", n_draws=1)
    assert md.count("✓ verified") == len(identities_for("ch-checking"))


def test_verify_all_one_chapter():
    results = verify_all("ch-jacobians", n_draws=1)
    assert set(results) == {i.id for i in identities_for("ch-jacobians")}
    assert all(v.startswith("verified") for v in results.values())


def test_public_api_reexported():
    for name in (
        "IDENTITIES",
        "Identity",
        "CommonMistake",
        "get_identity",
        "identities_for",
        "verify_identity",
        "refute_mistake",
        "render_reference_tables",
    ):
        assert name in mlcalc.__all__ and hasattr(mlcalc, name)
    assert mlcalc.IDENTITIES is IDENTITIES


def test_autograd_reference_matches_derivative_shapes():
    """Sanity: the claimed derivative has autograd's shape convention for each kind."""
    for kind in KINDS:
        ident = next(i for i in IDENTITIES if i.kind == kind)
        inputs = ident.make_inputs(np.random.default_rng(0))
        x = np.asarray(inputs[ident.wrt])
        claimed = ident.claimed(inputs)
        fx = np.asarray(ident.f(**inputs))
        expected = {
            "derivative": x.shape,
            "second-derivative": x.shape,
            "gradient": x.shape,
            "matrix-gradient": x.shape,
            "jacobian": fx.shape + x.shape,
            "hessian": x.shape + x.shape,
        }[kind]
        assert claimed.shape == expected, (ident.id, claimed.shape, expected)
        if kind in ("gradient", "matrix-gradient"):
            assert autograd.grad(ident.function_of_wrt(inputs))(x).shape == x.shape


def test_backprop_weights_are_W():
    """The backprop chapter (second edition) names a layer's weights W, as the registry's entries
    for it do: in the statements, the shapes shown in the tables and the argument names. The ids
    (bp-layer-jac-A, ...) stay: chapters link to them."""
    for ident in identities_for("ch-backprop"):
        inputs = ident.make_inputs(np.random.default_rng(0))
        assert "A" not in inputs, ident.id
        texts = [ident.latex, ident.shapes]
        if ident.common_mistake is not None:
            texts += [ident.common_mistake.latex, ident.common_mistake.why]
        for text in texts:
            assert not re.search(r"(?<![\\A-Za-z])A(?![A-Za-z])", text), (ident.id, text)
            assert "\\delta_{ij}" not in text, (ident.id, text)
    jac = get_identity("bp-layer-jac-A")
    assert "\\mathbb{1}[i = j]" in jac.latex and "\\mathbb{1}[i = j]" in jac.common_mistake.latex
    assert jac.common_mistake.why.startswith("the indicator 1[i = j] is dropped")
    # the table keeps the indicator in one piece of math (no split at its "=")
    assert "$= \\sigma'(z_i)\\,\\mathbb{1}[i = j]\\,x_k,$" in render_markdown(
        "ch-backprop", results={}
    )


def test_chain_rule_order_guess_is_wrong_for_a_square_W_too():
    """sigma'(Wx) * W^T v has no shape at the registry's non-square W (that is how it is refuted
    there); at a square W it has the right shape and the wrong values."""
    ident = get_identity("chain-sigmoid-layer-x")
    rng = _rng(ident.id, 10)
    for _ in range(3):
        n = int(rng.integers(2, 7))
        d = {"x": rng.standard_normal(n), "v": rng.standard_normal(n)}
        d["W"] = rng.standard_normal((n, n))
        right, wrong = ident.claimed(d), ident.common_mistake.derivative(**d)
        assert np.allclose(right, autograd.grad(ident.function_of_wrt(d))(d["x"]))
        assert wrong.shape == right.shape and not np.allclose(wrong, right, rtol=1e-3)
