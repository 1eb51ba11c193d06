"""The layout of the identity registry: a package whose machinery (the underscored modules) is
separate from its entries (``entries/``, one module per chapter), with imports in one direction,
no module over about 800 lines, the names other code uses still importable, and the order of the
entries (the order of the reference tables) that of the single module it was split from."""

import ast
from pathlib import Path

import mlcalc
import mlcalc.identities as I
from mlcalc.identities import CHAPTERS, IDENTITIES
from mlcalc.identities.entries import module_name

PACKAGE = Path(I.__file__).resolve().parent
MACHINERY = sorted(p for p in PACKAGE.glob("*.py") if p.name != "__init__.py")
ENTRIES = sorted(p for p in (PACKAGE / "entries").glob("*.py") if p.name != "__init__.py")
IDS = [ident.id for ident in IDENTITIES]

# The ids of the registry before it was split into a package (mlcalc/identities.py), in order.
# Entries added since then are in ADDED_SINCE_SPLIT; the order of the old ones never changes.
_BEFORE_SPLIT = """
    # ch-derivatives (20)
    d-power d-exp d-log d-reciprocal d-sqrt d-sin d-cos d-tan d-exp-base d-arctan d-xlogx
    d-product-rule d-quotient-rule d-chain-gauss d-chain-log1p-sq d-abs d-ls-1d d2-ls-1d
    d2-power d2-gauss
    # ch-gradients (31)
    grad-linear grad-affine grad-sum grad-sq-norm grad-half-sq-norm grad-norm grad-dist
    grad-sq-dist grad-l1 grad-weighted-sq-norm grad-weighted-norm grad-quadratic-form
    grad-quadratic-form-sym grad-half-quadratic-sym grad-trace-quadratic grad-bilinear-right
    grad-bilinear-left grad-xTATb grad-affine-dot grad-sq-norm-Ax grad-half-xTATAx
    grad-least-squares grad-half-least-squares grad-entropy grad-sum-log grad-exp-linear
    grad-cubic-norm grad-cosine-similarity grad-lagrangian-eig grad-lagrangian-multiplier
    grad-difference-of-linear
    # ch-jacobians (21)
    jac-linear jac-affine jac-row-times-matrix jac-identity jac-neg-log jac-exp jac-elementwise
    jac-square jac-hadamard-const jac-hadamard-product-rule jac-rank-one jac-scaled-x
    jac-normalize jac-norm-sq-times-x jac-polar jac-diag-scaling jac-cumsum jac-centering
    jac-outer-self jac-warp jac-vjp
    # ch-chain-rule (25)
    chain-norm4 chain-regression chain-bilinear-affine chain-weighted-ls chain-weighted-ls-sym
    chain-product-of-linear chain-exp-quadratic chain-curve chain-dot-rule chain-jac-exp-linear
    chain-jac-two-layers chain-softplus-linear chain-log-linear chain-norm-Ax chain-yAx-minus-yx
    chain-exp-bilinear chain-lse-affine chain-jac-softmax-linear chain-sin-regression
    chain-square-of-affine chain-relu-x chain-relu-w chain-log1p-sq-norm chain-sq-norm-affine
    chain-jac-product-rule
    # ch-hessians (26)
    hess-quadratic-form hess-quadratic-form-sym hess-quadratic-model hess-linear hess-sq-norm
    hess-norm hess-norm4 hess-least-squares hess-half-least-squares hess-entropy hess-sum-log
    hess-polynomial hess-lse hess-lse-affine hess-exp-linear hess-square-linear
    hess-softplus-linear hess-gaussian-bump hess-second-order-chain hess-directional-second
    grad-rayleigh hess-exp-quadratic hess-lncosh-affine hess-gauss-newton hess-lagrangian-eig
    hess-rayleigh-eigvec
    # ch-matrix-derivatives (60)
    mgrad-aXb mgrad-aXTb mgrad-aXa mgrad-aXTa mgrad-quadratic-in-A mgrad-sum-entries mgrad-trace
    mgrad-tr-AX mgrad-tr-XA mgrad-tr-ATX mgrad-tr-AXT mgrad-tr-AXB mgrad-tr-AXTB mgrad-tr-XTAX
    mgrad-tr-XTAX-sym mgrad-tr-XAXT mgrad-tr-AXTX mgrad-tr-AXBXT mgrad-tr-AXBX mgrad-tr-X2
    mgrad-tr-Xk mgrad-tr-XTX mgrad-frobenius mgrad-frob-AX-B mgrad-half-frob-AX-B
    mgrad-frob-XA-B mgrad-frob-AXB-C mgrad-factorization-U mgrad-factorization-V mgrad-det
    mgrad-det-cofactor mgrad-logabsdet mgrad-logdet-spd mgrad-det-AXB mgrad-det-XTAX
    mgrad-logdet-XTX mgrad-det-Xk mgrad-inverse-bilinear mgrad-tr-AXinvB mgrad-tr-Xinv
    mgrad-aXTXb mgrad-aXTXa mgrad-bXTDXc mgrad-affine-quadratic mgrad-aX2b mgrad-sym-directional
    mgrad-sym-extension mgrad-ls-in-A mgrad-loss-of-AXB mjac-identity mjac-XA mjac-XTA
    mjac-transpose mjac-scalar-times-matrix mjac-square mjac-gram mjac-hadamard mjac-kron
    mjac-inverse mjac-vec-AXB
    # ch-activations (21)
    act-sigmoid act-sigmoid-2 act-tanh act-tanh-2 act-tanh-via-sigmoid act-relu act-leaky-relu
    act-elu act-softplus act-softplus-2 act-log-sigmoid act-swish act-gelu act-softsign
    act-sigmoid-vector act-softmax-jacobian act-softmax-temperature act-log-softmax-jacobian
    act-lse-gradient act-softplus-beta act-softmax-backward
    # ch-losses (21)
    loss-mse loss-half-sse loss-mae loss-bce-prob loss-bce-logit-sum loss-bce-logits-mean
    loss-softmax-ce loss-softmax-ce-soft loss-softmax-ce-batch loss-softmax-ce-weights
    loss-bce-weights loss-hinge loss-logistic loss-logistic-weights loss-logistic-01
    loss-gaussian-nll-mu loss-gaussian-nll-logvar loss-huber loss-cross-entropy-q
    loss-linear-model-chain loss-mse-weights
    # ch-linear-models (23)
    lm-ols-grad lm-ols-hess lm-mse-grad lm-mse-hess lm-ridge-grad lm-ridge-hess lm-lasso-subgrad
    lm-elastic-net lm-mae-grad lm-logreg-grad lm-logreg-hess lm-logreg-l2-grad lm-logreg-l2-hess
    lm-logistic-pm1-hess lm-hinge-grad lm-wls-grad lm-wls-hess lm-poisson-grad lm-poisson-hess
    lm-lda-discriminant lm-qda-discriminant lm-lda-log-odds lm-logreg-mean-hess
    # ch-likelihood (34)
    lik-gauss-mu lik-gauss-var lik-gauss-std lik-mvn-mu lik-mvn-x lik-mvn-cov lik-mvn-precision
    lik-mvn-cov-mle lik-exp-single lik-exp lik-bernoulli-single lik-bernoulli
    lik-bernoulli-natural lik-poisson lik-categorical-probs lik-categorical-logits
    lik-laplace-mu lik-laplace-scale lik-uniform lik-expfam-bernoulli-mean
    lik-expfam-bernoulli-var lik-expfam-poisson lik-expfam-gaussian lik-gauss-prior
    lik-laplace-prior lik-map-ridge lik-map-lasso lik-gauss-nll-weights
    lik-bernoulli-loglik-weights lik-kl-p lik-kl-q lik-map-gauss-mean
    lik-expfam-exponential-mean lik-expfam-exponential-var
    # ch-backprop (23)
    bp-dense-W bp-dense-b bp-dense-x bp-batch-W bp-batch-X bp-mlp-W2 bp-mlp-W1 bp-vjp bp-vec-Wx
    bp-residual-jacobian bp-softmax-layer-W bp-layer-jac-b bp-layer-jac-A bp-layer-jac-vecA
    bp-grad-vecA bp-batch-cols-A bp-batch-cols-b bp-batch-cols-F bp-softmax-ce-cols
    bp-step-sigmoid bp-step-relu bp-step-softplus bp-residual-step
    # ch-checking (3)
    chk-directional chk-hvp chk-gradient-of-quadratic-check
"""
BEFORE_SPLIT = [
    word
    for line in _BEFORE_SPLIT.splitlines()
    if not line.lstrip().startswith("#")
    for word in line.split()
]
ADDED_SINCE_SPLIT = {  # id -> chapter
    "jac-hadamard-u": "ch-jacobians",
    "jac-quotient-v": "ch-jacobians",
    "jac-bias-broadcast": "ch-jacobians",
    "jac-grad-sq-norm-Xb": "ch-jacobians",
    "chain-sigmoid-layer-x": "ch-chain-rule",
}


def test_registration_order_is_that_of_the_single_module():
    assert len(BEFORE_SPLIT) == 308 == len(set(BEFORE_SPLIT))
    old = set(BEFORE_SPLIT)
    assert [i for i in IDS if i in old] == BEFORE_SPLIT
    added = {ident.id: ident.chapter for ident in IDENTITIES if ident.id not in old}
    assert added == ADDED_SINCE_SPLIT


def test_entries_are_in_book_order():
    order = list(CHAPTERS)
    positions = [order.index(ident.chapter) for ident in IDENTITIES]
    assert positions == sorted(positions)


def test_one_entries_module_per_chapter_registering_only_its_chapter():
    assert sorted(p.stem for p in ENTRIES) == sorted(module_name(label) for label in CHAPTERS)
    for ident in IDENTITIES:
        module = f"mlcalc.identities.entries.{module_name(ident.chapter)}"
        defined_in = {getattr(ident.f, "__module__", None), ident.derivative.__module__}
        assert module in defined_in, (ident.id, defined_in)


def _imports(path):
    """(level, module) of every import in a module, relative ones included."""
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            out.append((node.level, node.module or ""))
        elif isinstance(node, ast.Import):
            out += [(0, alias.name) for alias in node.names]
    return out


def test_imports_go_one_way():
    """The machinery never imports the entries; the entries import only the machinery (and, for
    shared data, another chapter's module); only the package's __init__ imports ``entries``."""
    for path in MACHINERY:
        for _level, module in _imports(path):
            assert "entries" not in module and not module.startswith("mlcalc.identities"), (
                path.name,
                module,
            )
    for path in ENTRIES:
        for level, module in _imports(path):
            if level == 2:
                assert module.startswith("_"), (path.name, module)  # the machinery
            elif level == 1:
                assert module in {p.stem for p in ENTRIES}, (path.name, module)
            else:
                assert module.split(".")[0] in {"math", "numpy", "autograd"}, (path.name, module)


def test_no_module_over_800_lines():
    for path in [
        PACKAGE / "__init__.py",
        *MACHINERY,
        PACKAGE / "entries" / "__init__.py",
        *ENTRIES,
    ]:
        n = len(path.read_text().splitlines())
        assert n <= 800, (path.name, n)


def test_names_other_code_uses_are_still_there():
    """``mlcalc.identities.<name>`` for every name the book, the tests and ``mlcalc`` use."""
    for name in [
        *I.__all__,
        "chapter_link",
        "CHAPTER_FILES",
        # private names the tests import
        "_parse",
        "_shape_text",
        "_Spec",
        "_unvec",
        "_vec",
    ]:
        assert hasattr(I, name), name
    for name in (
        "IDENTITIES",
        "CommonMistake",
        "Identity",
        "get_identity",
        "identities_for",
        "refute_mistake",
        "render_reference_tables",
        "verify_all_identities",
        "verify_identity",
    ):
        assert getattr(mlcalc, name) is getattr(I, name), name
    assert I.verify_identity is I.verify and I.verify_all_identities is I.verify_all
    assert I.render_reference_tables is I.render_markdown
