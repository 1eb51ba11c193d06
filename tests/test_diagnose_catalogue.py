"""The diagnosis never gives a false label on the planted-mistake catalogue, and names the new
mistakes: the reshaped transposed layout, a missing multiple of x or constant, the identity.

Every catalogue entry of ``benchmarks/checkers/catalogue.py`` is checked with its correct
derivative and each planted mistake (kinds ``scale``, ``transpose``, ``term``, ``entry``, ``sym``,
``other``), plus mistakes synthesised from the correct derivative: for a gradient, the claim
minus a multiple of x (a dropped regulariser) and plus a constant (a dropped constant term); for a
non-square matrix argument, the gradient computed in the transposed layout and reshaped in C and
in Fortran order; for a square Jacobian, the claim minus a multiple of the identity. Each label
the checker gives is then verified against the arrays themselves (``claimed`` and ``correct``): a
label that does not hold there is a false label.

The full table (more sizes, float32 with and without promotion, scaled f):

    .venv/bin/python tests/test_diagnose_catalogue.py
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from mlcalc import check_grad, check_hessian, check_jacobian

ROOT = Path(__file__).resolve().parents[1]
CHECKERS = {"gradient": check_grad, "jacobian": check_jacobian, "hessian": check_hessian}


def _catalogue():
    path = ROOT / "benchmarks" / "checkers" / "catalogue.py"
    spec = importlib.util.spec_from_file_location("mlcalc_catalogue", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("mlcalc_catalogue", mod)   # dataclasses look their module up there
    spec.loader.exec_module(mod)
    return sys.modules["mlcalc_catalogue"]


CAT = _catalogue()


def _rms(a) -> float:
    return float(np.sqrt(np.mean(np.square(np.asarray(a, dtype=np.float64))))) or 1.0


def _sig2(a: float) -> float:
    return float(f"{a:.2g}")


def _parallel(a, b) -> bool:
    """Is a a multiple of b? (then 'a − c·b' is a scaled a, and named so)"""
    a, b = np.ravel(a).astype(np.float64), np.ravel(b).astype(np.float64)
    c = np.dot(a, b) / np.dot(b, b)
    return bool(np.linalg.norm(a - c * b) <= 1e-3 * np.linalg.norm(a))


def synthesised(case) -> list[tuple[str, str, np.ndarray, str | None]]:
    """(label, kind, claimed, exact expected diagnosis or None) made from the correct one."""
    C, x, dt = case.correct, case.x, case.correct.dtype
    out = []
    if case.kind == "gradient" and not _parallel(C, x):
        a = _sig2(0.5 * _rms(C) / _rms(x))
        out.append(("dropped regulariser", "x-term", (C - a * x).astype(dt),
                    f"off by a multiple of x: claimed − correct = {-a:g}·x: a term {a:g}·x is "
                    "missing (a dropped regulariser λx or 2λx?)"))
        if x.size > 1 and not _parallel(C, np.ones_like(x)):
            b = _sig2(0.5 * _rms(C))
            out.append(("constant too many", "constant", (C + b).astype(dt),
                        f"off by a constant: claimed − correct = {b:g} in every entry: a "
                        f"constant term is missing or wrong: subtract {b:g}"))
        if x.ndim == 2 and x.shape[0] != x.shape[1] and min(x.shape) > 1:
            m, n = x.shape
            out.append(("transposed layout, reshaped", "reshape", C.T.reshape(x.shape).copy(),
                        f"computed in the transposed layout ({n}×{m}) and reshaped to {m}×{n}: "
                        "transpose instead of reshape"))
            out.append(("transposed layout, reshaped in F order", "reshape",
                        C.T.reshape(x.shape, order="F").copy(),
                        f"computed in the transposed layout ({n}×{m}) and reshaped to {m}×{n} "
                        "in column-major (Fortran) order: transpose instead of reshape"))
    elif case.kind == "jacobian" and C.shape[0] == x.size > 1:
        a = _sig2(_rms(np.diag(C)) or _rms(C))
        out.append(("skip connection's identity dropped", "identity",
                    (C - a * np.eye(x.size)).astype(dt),
                    f"off by a multiple of the identity: claimed − correct = {-a:g}·I: a term "
                    f"{a:g}·I is missing (a dropped ridge term λI, or the identity of a skip "
                    "connection x + g(x)?)"))
    return out


# ------------------------------------------------------------------ is a label true?

def _scale_of(text: str) -> float:
    if text == "sign flipped":
        return -1.0
    value = text.removeprefix("scaled by ")
    return float(Fraction(value)) if "/" in value else float(value)


def label_holds(label: str, claimed, correct, x) -> bool:
    """Whether the diagnosis ``label`` is true of the arrays (to the precision it is stated)."""
    G = np.asarray(claimed, dtype=np.float64)
    C = np.asarray(correct, dtype=np.float64)
    X = np.asarray(x, dtype=np.float64)
    big = max(float(np.max(np.abs(C))), float(np.max(np.abs(G))), 1e-300)
    rel = 1e-2 if G.dtype != np.float64 or claimed.dtype != np.float64 else 1e-2

    def near(A, B, scale=big):
        return bool(np.all(np.abs(A - B) <= rel * scale))

    if label.startswith("not symmetric"):
        H = G.reshape(X.size, X.size)
        if near(H, H.T, 1e-3 * big):
            return False
        if ": entries " in label:       # "entries (i, j) and (j, i) differ": mirror pairs
            pairs = re.findall(r"\(([0-9, ]+)\) and \(([0-9, ]+)\)", label)
            return bool(pairs) and all(
                G[tuple(map(int, a.split(",")))] != G[tuple(map(int, b.split(",")))]
                for a, b in pairs)
        rest = label.split("; ", 1)[1] if "; " in label else ""
        if rest.startswith("its symmetric part"):
            return near((H + H.T) / 2, C.reshape(H.shape))
        if rest.startswith("wrong at entries") or not rest:
            return True          # entries of a non-symmetric claim: judged by the symmetric test
        return label_holds(rest, claimed, correct, x)
    if label == "sign flipped" or label.startswith("scaled by "):
        c = _scale_of(label)
        return near(G, c * C, abs(c) * float(np.max(np.abs(C))))
    if label == "transpose of the correct derivative":
        return near(G, C.T)
    if label.startswith("symmetric part only"):
        return near(G, (C + C.T) / 2)
    if label.startswith("symmetrised"):
        return near(G, C + C.T)
    if label.startswith("computed in the transposed layout"):
        order = "F" if "Fortran" in label else "C"
        return near(G, C.T.reshape(X.shape, order=order))
    if label.startswith("off by a"):
        a = float(re.search(r"= (-?[0-9.e+-]+)", label).group(1))
        D = G - C
        if "multiple of x" in label:
            pred = a * X
        elif "constant" in label:
            pred = a * np.ones_like(D)
        else:
            pred = a * np.eye(X.size).reshape(D.shape)
        return near(D, pred, float(np.max(np.abs(D))))
    if label.startswith("wrong at entries"):
        listed = re.findall(r"\(([0-9, ]+)\)|(?<![(\d])(\d+)(?![\d)])",
                            label.removeprefix("wrong at entries").split(" and ")[0])
        idx = [tuple(int(v) for v in (a or b).split(",")) for a, b in listed]
        D = np.abs(G - C)
        wrong = {tuple(int(v) for v in i) for i in np.argwhere(D > 1e-2 * big)}
        if not all(D[i] > 1e-4 * big for i in idx):
            return False
        return " more" in label or wrong <= set(idx)
    if label == "claimed derivative is zero":
        return not np.any(G)
    return False             # an unknown phrase is not a verified one


# ------------------------------------------------------------------ the audit

def audit(ns=(10,), dtypes=("float64",), scales=(1.0,), promotes=(True,), seed=0):
    """Run the catalogue; return (rows, counts). A row: (entry, mistake, kind, verdict, label,
    expected, holds)."""
    rows = []
    for n in ns:
        for dt in dtypes:
            for sc in scales:
                for item in CAT.CATALOGUE:
                    case = CAT.build(item, n, dt, seed, sc)
                    check = CHECKERS[case.kind]
                    claims = [("correct", "correct", case.correct, None)]
                    claims += [(m.label, m.kind, m.claimed, m.expected) for m in case.mistakes]
                    claims += synthesised(case)
                    for promote in promotes if dt != "float64" else (True,):
                        for label, kind, claimed, expected in claims:
                            rep = check(case.f, claimed, case.x, promote=promote)
                            lab = rep.diagnosis if rep.verdict == "WRONG" else None
                            holds = None if lab is None else label_holds(
                                lab, claimed, case.correct, case.x)
                            rows.append((f"{case.name} n={n} {dt} x{sc:g} p={promote}", label,
                                         kind, rep.verdict, lab, expected, holds,
                                         rep.n_evals))
    return rows


def summary(rows) -> dict:
    out = Counter()
    for _, _, kind, verdict, lab, expected, holds, _ in rows:
        out[(kind, "checks")] += 1
        if verdict == "WRONG":
            out[(kind, "wrong")] += 1
        if lab is not None:
            out[(kind, "named")] += 1
            out[(kind, "false")] += holds is False
        if expected is not None and not expected.startswith("entry:"):
            out[(kind, "expected")] += 1
            out[(kind, "hit")] += lab == expected
    return out


@pytest.fixture(scope="module")
def rows64():
    return audit(ns=(10, 40))


def test_no_false_labels_float64(rows64):
    false = [r for r in rows64 if r[6] is False]
    assert not false, "\n".join(map(str, false))


def test_correct_derivatives_are_ok_and_undiagnosed(rows64):
    correct = [r for r in rows64 if r[2] == "correct"]
    assert correct and all(r[3] == "OK" and r[4] is None and r[7] <= 16 for r in correct)


def test_new_diagnoses_name_their_mistakes(rows64):
    for kind in ("x-term", "constant", "reshape", "identity"):
        got = [r for r in rows64 if r[2] == kind]
        assert got, kind
        missed = [r for r in got if r[4] != r[5]]
        assert not missed, "\n".join(map(str, missed))


def test_planted_term_mistakes_of_a_simple_form_are_named(rows64):
    # ridge: the penalty dropped (−2λw) or its 2 forgotten (−λw); Rayleigh: the quotient rule's
    # −2Rx/xᵀx dropped; entropy: the −1 dropped (a constant)
    for entry, mistake in [("ridge", "dropped the penalty term"),
                           ("ridge", "λw (missing 2 in the penalty)"),
                           ("Rayleigh", "2Ax/xᵀx (quotient rule: dropped a term)"),
                           ("entropy", "−log x (dropped the −1)")]:
        got = [r for r in rows64 if r[0].startswith(entry) and r[1] == mistake]
        assert got and all(r[4] and r[4].startswith("off by a") and r[6] for r in got), got


@pytest.mark.parametrize("promote", [True, False])
def test_no_false_labels_float32(promote):
    rows = audit(ns=(10,), dtypes=("float32",), promotes=(promote,))
    false = [r for r in rows if r[6] is False]
    assert not false, "\n".join(map(str, false))


def main() -> None:
    rows = audit(ns=(10, 40, 100), dtypes=("float64", "float32"), scales=(1e-6, 1.0, 1e6),
                 promotes=(True, False))
    counts = summary(rows)
    kinds = sorted({k for k, _ in counts})
    print("| planted kind | checks | WRONG | labelled | false labels | expected label | hit |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for k in kinds:
        c = {w: counts[(k, w)] for w in ("checks", "wrong", "named", "false", "expected", "hit")}
        print(f"| {k} | {c['checks']} | {c['wrong']} | {c['named']} | {c['false']} | "
              f"{c['expected']} | {c['hit']} |")
    for r in rows:
        if r[6] is False:
            print("FALSE LABEL:", r, file=sys.stderr)
    extra = [r[7] - 16 for r in rows if r[4] and r[2] in ("x-term", "constant", "reshape",
                                                          "identity")]
    if extra:
        print(f"\nevaluations beyond the verdict's 16 for the new labels: max {max(extra)}")


if __name__ == "__main__":
    main()
