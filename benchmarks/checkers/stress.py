"""Stress test of mlcalc's checker: many random draws of correct derivatives, awkward points.

The comparison in ``run.py`` uses one draw per catalogue entry, size, dtype and scale. A false
alarm that happens once in a thousand draws does not show there. This script draws every
catalogue entry at many seeds and sizes, plus families of awkward functions that the catalogue
does not have, and counts every verdict:

* ``smooth``: the catalogue's correct derivatives (must be OK);
* ``c1``: functions once but not twice differentiable at x (ELU with alpha = 1, x|x|, relu(x)²,
  Huber at its threshold, with entries exactly at the C¹ point): must be OK;
* ``cancel``: values that are cancellations of large terms (an LDA log-odds, a big constant plus a
  small linear term, a sum minus most of itself): must be OK;
* ``wiggly``: smooth functions with large higher derivatives (sin(ωx) for ω up to 30): must be OK;
* ``noisy``: f computed in float32 inside but returned as float64 (rounding noise a billion times
  eps64·|f|): must not be WRONG (NOT CHECKED is an honest answer);
* ``kink``: |x| and relu with entries exactly at 0: must be NOT DIFFERENTIABLE, never OK or
  WRONG;
* ``near-kink``: |x| with entries within the step of 0 but not at it: must not be WRONG.

For every family a planted mistake (one entry wrong by the gradient's rms, or the whole gradient
scaled by 1.01) must be caught where the function is differentiable.

Usage (repository root, the book's venv is enough):

    python benchmarks/checkers/stress.py              # 200 seeds: about 10 minutes on 2 cores
    python benchmarks/checkers/stress.py --seeds 20   # a quick look

It prints a table of verdict counts per family and dtype and writes ``STRESS.md``.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from catalogue import CATALOGUE, build  # noqa: E402

from mlcalc import check_grad, check_hessian, check_jacobian, elu, elu_grad, relu  # noqa: E402

CHECKERS = {"gradient": check_grad, "jacobian": check_jacobian, "hessian": check_hessian}
EXPECT = {"smooth": "OK", "c1": "OK", "cancel": "OK", "wiggly": "OK", "noisy": "not WRONG",
          "kink": "NOT DIFFERENTIABLE", "near-kink": "not WRONG"}


# ------------------------------------------------------------------ awkward families

def awkward(family: str, n: int, dt, rng):
    """(f, correct gradient, x, wrong gradients) for one draw of an awkward family."""
    x = rng.standard_normal(n)
    if family == "c1":
        which = int(rng.integers(4))
        zero = rng.random(n) < 0.3
        if which == 0:                                  # ELU, alpha = 1, at 0
            x[zero] = 0.0
            f = lambda v: np.sum(elu(v))  # noqa: E731
            g = elu_grad
        elif which == 1:                                # x|x| at 0
            x[zero] = 0.0
            f = lambda v: np.sum(v * np.abs(v))  # noqa: E731
            g = lambda v: 2 * np.abs(v)  # noqa: E731
        elif which == 2:                                # relu(x)^2 at 0
            x[zero] = 0.0
            f = lambda v: np.sum(relu(v) ** 2)  # noqa: E731
            g = lambda v: 2 * relu(v)  # noqa: E731
        else:                                           # Huber, delta = 1, at |x| = 1
            x[zero] = np.sign(x[zero]) + (x[zero] == 0)
            hub = lambda v: np.where(np.abs(v) <= 1, 0.5 * v * v, np.abs(v) - 0.5)  # noqa: E731
            f = lambda v: np.sum(hub(v))  # noqa: E731
            g = lambda v: np.clip(v, -1, 1)  # noqa: E731
    elif family == "cancel":
        which = int(rng.integers(3))
        if which == 0:                                  # LDA log-odds, nearly equal means
            d = n
            L = rng.standard_normal((d, d)) / np.sqrt(d) + 2 * np.eye(d)
            Sinv = (L @ L.T).astype(dt)
            m0 = (3 * rng.standard_normal(d)).astype(dt)
            m1 = (m0 + 1e-3 * rng.standard_normal(d)).astype(dt)
            x = x * 5 + 20

            def f(v):
                r0, r1 = v - m0, v - m1
                return -0.5 * r1 @ Sinv @ r1 + 0.5 * r0 @ Sinv @ r0
            g = lambda v: (Sinv @ (m1 - m0)).astype(v.dtype)  # noqa: E731
        elif which == 1:                                # big constant + small linear term
            a = rng.standard_normal(n).astype(dt)
            big = 1e3 if dt == np.float32 else 1e8
            f = lambda v: big + np.sum(a * v)  # noqa: E731
            g = lambda v: a.copy()  # noqa: E731
        else:                                           # a sum minus most of itself
            a = rng.standard_normal(n).astype(dt)
            f = lambda v: np.sum(v * v + a * v) - np.sum(v * v)  # noqa: E731
            g = lambda v: a.copy()  # noqa: E731
    elif family == "wiggly":
        om = float(rng.choice([3.0, 10.0, 30.0]))
        f = lambda v: np.sum(np.sin(om * v)) / om  # noqa: E731
        g = lambda v: np.cos(om * v)  # noqa: E731
    elif family == "noisy":
        f = lambda v: float(np.sum(np.asarray(v, dtype=np.float32) ** 2))  # noqa: E731
        g = lambda v: 2 * v  # noqa: E731
    elif family == "kink":
        zero = rng.random(n) < 0.3
        zero[int(rng.integers(n))] = True
        x[zero] = 0.0
        if rng.random() < 0.5:
            f = lambda v: np.sum(np.abs(v))  # noqa: E731
            g = lambda v: np.sign(v)  # noqa: E731
        else:
            f = lambda v: np.sum(relu(v))  # noqa: E731
            g = lambda v: (v > 0).astype(v.dtype)  # noqa: E731
    elif family == "near-kink":
        tiny = 10.0 ** rng.uniform(-12, -3, size=n) * np.sign(rng.standard_normal(n))
        near = rng.random(n) < 0.3
        near[int(rng.integers(n))] = True
        x[near] = tiny[near]
        f = lambda v: np.sum(np.abs(v))  # noqa: E731
        g = lambda v: np.sign(v)  # noqa: E731
    else:
        raise ValueError(family)
    x = x.astype(dt)
    gx = np.asarray(g(x), dtype=dt)
    wrong = []
    if family not in ("kink",):
        bad = gx.copy()
        j = int(rng.integers(n))
        bad[j] += np.asarray(np.sqrt(np.mean(gx.astype(np.float64) ** 2)) or 1.0, dtype=dt)
        wrong = [("entry", bad), ("scale 1.01", (gx * np.asarray(1.01, dtype=dt)).astype(dt))]
    return f, gx, x, wrong


# ------------------------------------------------------------------ the run

def run_stress(seeds, sizes, dtypes=("float64", "float32"), catalogue=True, progress=False):
    """Run the stress test; returns (counts, unexpected).

    counts[(family, dtype, "correct" | "wrong")] is a Counter of verdicts; unexpected holds the
    reports that broke a rule: a correct derivative not judged as EXPECT says, or a planted
    mistake judged OK where f is differentiable.
    """
    counts: dict = {}
    unexpected: dict = {}

    def record(family, dt, what, rep, label):
        key = (family, dt, what)
        counts.setdefault(key, Counter())[rep.verdict] += 1
        bad = (what == "correct" and not _as_expected(family, rep)) or (
            what == "wrong" and family not in ("kink", "noisy", "near-kink") and rep.ok)
        if bad:
            unexpected.setdefault(key, []).append(f"{label}: {rep!r}")

    for dname in dtypes:
        dt = np.dtype(dname).type
        for seed in seeds:
            for n in sizes:
                # catalogue entries (their sizes are approximate: matrices are about n entries)
                for idx, e in enumerate(CATALOGUE if catalogue else []):
                    name, kind, _ = e
                    if kind != "gradient" and (n > 60 or n == 1):
                        continue
                    sc = [1e-6, 1.0, 1e6][seed % 3]
                    case = build(e, max(n, 2), dname, 7919 * seed + 31 * idx + n, sc)
                    fn = CHECKERS[kind]
                    rep = fn(case.f, case.correct, case.x, seed=seed)
                    record("smooth", dname, "correct", rep, f"{name} n={n} seed={seed} ×{sc:g}")
                    if seed % 10 == 0:
                        for m in case.mistakes:
                            rep = fn(case.f, m.claimed, case.x, seed=seed, diagnose=False)
                            record("smooth", dname, "wrong", rep, f"{name} / {m.label}")
                for family in ("c1", "cancel", "wiggly", "noisy", "kink", "near-kink"):
                    if family == "noisy" and dt == np.float32:
                        continue
                    rng = np.random.default_rng([seed, n, len(family)])
                    f, g, x, wrong = awkward(family, n, dt, rng)
                    rep = check_grad(f, g, x, seed=seed)
                    record(family, dname, "correct", rep, f"{family} n={n} seed={seed}")
                    for label, bad in wrong:
                        if not np.any(bad != g):
                            continue         # g is 0 and "scaled by 1.01" is no mistake
                        rep = check_grad(f, bad, x, seed=seed, diagnose=False)
                        record(family, dname, "wrong", rep, f"{family} n={n} seed={seed} "
                               f"{label}")
        if progress:
            print(f"{dname} done", flush=True)
    return counts, unexpected


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=200)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1, 3, 10, 60, 300])
    ap.add_argument("--write", action="store_true", help="write STRESS.md")
    args = ap.parse_args()
    counts, unexpected = run_stress(range(args.seeds), args.sizes, progress=True)
    lines = _table(counts, unexpected, args)
    print("\n".join(lines))
    if args.write:
        (HERE / "STRESS.md").write_text("\n".join(lines) + "\n")


def _as_expected(family: str, rep) -> bool:
    want = EXPECT[family]
    if want == "not WRONG":
        return rep.verdict != "WRONG"
    return rep.verdict == want


def _table(counts, examples, args) -> list[str]:
    out = ["# Stress test of mlcalc's checker", "",
           "Generated by `python benchmarks/checkers/stress.py --write` "
           f"(seeds 0..{args.seeds - 1}, sizes {', '.join(map(str, args.sizes))}); see the "
           "script's docstring for the families. A planted mistake is caught when the verdict "
           "is not OK (INCONCLUSIVE, falsy, counts as caught and is shown in brackets).", "",
           "| family | dtype | expected for a correct derivative | correct: verdicts | "
           "unexpected | planted mistakes caught |",
           "| --- | --- | --- | --- | --- | --- |"]
    fams = ["smooth", "c1", "cancel", "wiggly", "noisy", "kink", "near-kink"]
    for fam in fams:
        for dt in ("float64", "float32"):
            c = counts.get((fam, dt, "correct"))
            if not c:
                continue
            total = sum(c.values())
            unexpected = len(examples.get((fam, dt, "correct"), []))
            w = counts.get((fam, dt, "wrong"), Counter())
            nw = sum(w.values())
            caught = nw - w.get("OK", 0)
            verdicts = ", ".join(f"{k} {v}" for k, v in sorted(c.items()))
            inc = w.get("INCONCLUSIVE", 0)
            det = (f"{caught} of {nw}" + (f" ({inc} INCONCLUSIVE)" if inc else "")) if nw else "—"
            out.append(f"| {fam} | {dt} | {EXPECT[fam]} | {verdicts} (of {total}) | "
                       f"{unexpected} | {det} |")
    out.append("")
    shown = [(k, v) for k, v in examples.items() if v]
    if shown:
        out.append("Unexpected verdicts (first few of each kind):")
        out.append("")
        for (fam, dt, what), v in shown:
            for line in v[:3]:
                out.append(f"- {fam}, {dt}, {what}: {line}")
        out.append("")
    return out


if __name__ == "__main__":
    main()
