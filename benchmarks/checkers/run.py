"""Run mlcalc's checker and its peers on the catalogue and write RESULTS.md.

Usage (from the repository root, in a venv with benchmarks/requirements.txt installed):

    python benchmarks/checkers/run.py                 # full run: results.jsonl(.gz) + RESULTS.md
    python benchmarks/checkers/run.py --report-only   # rebuild RESULTS.md from results.jsonl(.gz)
    python benchmarks/checkers/run.py --sizes 10 --dtypes float64 --scales 1   # a quick look

Each catalogue entry is built at every size n, dtype and scale of f (f and its derivatives are
multiplied by the scale); the correct derivative and every planted mistake are given to every
checker. Evaluations of f are counted through a wrapper; wall time is measured per check.
Peers whose cost grows with n (scipy's full check_grad, torch's slow gradcheck) are skipped
where one check takes more than --budget seconds (default 10): they are measured once (at the
largest n: on the first entries; for dense Jacobians and Hessians at n = 1000: per entry) and the
remaining checks are reported as skipped with the median measured time; before any
measurement, the evaluation count at the middle n scaled by the size ratio, times the measured
cost of one evaluation of f, decides. Jacobian and Hessian entries are dense and only built for
n <= 1000.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections import Counter as Tally
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from catalogue import CATALOGUE, build  # noqa: E402
from peers import GROWS_WITH_N, PEERS  # noqa: E402

DENSE_MAX = 1000


class Counter:
    def __init__(self, fn):
        self.fn = fn
        self.count = 0

    def __call__(self, *a, **k):
        self.count += 1
        return self.fn(*a, **k)


def _seed(idx: int, n: int, dtype: str) -> int:
    return 1_000 * idx + n % 997 + (500 if dtype == "float32" else 0)


def run(args) -> None:
    out = HERE / args.out
    evals_mid: dict = {}
    measured_slow: dict = {}
    done = set()
    if args.resume and out.exists():
        for line in out.open():
            r = json.loads(line)
            done.add((r["n"], r["dtype"], r["scale"], r["entry"], r["peer"]))
    if args.replace and out.exists():
        # re-run only the given peers: keep every other checker's records
        kept = [line for line in out.open() if json.loads(line)["peer"] not in args.peers]
        out.write_text("".join(kept))
        done = {(r["n"], r["dtype"], r["scale"], r["entry"], r["peer"])
                for r in map(json.loads, kept)}
    mode = "a" if (args.resume or args.replace) else "w"
    if mode == "a" and out.exists():
        # evaluation counts of the growing-cost peers at the middle n, for the estimates, and
        # times already measured above the budget
        for r in map(json.loads, out.open()):
            if (r["peer"] in GROWS_WITH_N and not r.get("skipped")
                    and r.get("seconds", 0) > args.budget):
                k = (r["peer"], r["n"]) if r["n"] > DENSE_MAX else (r["peer"], r["entry"],
                                                                    r["n"])
                measured_slow.setdefault(k, []).append(r["seconds"])
            if (r["peer"] in GROWS_WITH_N and r["n"] == DENSE_MAX and not r.get("skipped")
                    and r["mkind"] == "correct"):
                evals_mid[(r["peer"], r["entry"], r["dtype"], r["scale"])] = r["evals"]
    per_eval_cost: dict = {}
    with out.open(mode) as fh:
        for n in args.sizes:
            for dtype in args.dtypes:
                for scale in args.scales:
                    t_combo = time.perf_counter()
                    for idx, e in enumerate(CATALOGUE):
                        name, kind, _ = e
                        if kind != "gradient" and n > DENSE_MAX:
                            continue
                        case = build(e, n, dtype, _seed(idx, n, dtype) + args.seed_offset,
                                     scale)
                        claims = [("correct", "correct", None, case.correct)] + [
                            (m.label, m.kind, m.expected, m.claimed) for m in case.mistakes]
                        target = "grad" if kind == "hessian" else "f"
                        for peer in args.peers:
                            key = (n, dtype, scale, name, peer)
                            if key in done:
                                continue
                            adapter = PEERS[peer]
                            skip_est = None
                            if (peer in GROWS_WITH_N and n == max(args.sizes)
                                    and n > DENSE_MAX):
                                skip_est = _estimate(case, peer, name, dtype, scale, n,
                                                     evals_mid, per_eval_cost, target)
                            # once a growing-cost peer has been measured above the budget at
                            # this n (on any entry), the rest are reported with that time
                            slow_key = (peer, n) if n > DENSE_MAX else (peer, name, n)
                            if peer in GROWS_WITH_N and slow_key in measured_slow:
                                skip_est = float(np.median(measured_slow[slow_key]))
                            for label, mkind, expected, claimed in claims:
                                rec = dict(n=n, dtype=dtype, scale=scale, entry=name, kind=kind,
                                           mistake=label, mkind=mkind, expected=expected,
                                           peer=peer, size=int(case.x.size))
                                if mkind != "correct":
                                    # the planted error's size, for every checker's record
                                    rec["err"] = _rel_err(claimed, case.correct)
                                if peer == "mlcalc" and mkind != "correct":
                                    rec["truth"] = _truth(claimed, case.correct, kind, case.x)
                                if skip_est is not None and skip_est > args.budget:
                                    rec.update(skipped=True, est_seconds=skip_est)
                                    fh.write(json.dumps(rec) + "\n")
                                    continue
                                fcount = Counter(case.f)
                                gcount = Counter(case.grad) if case.grad is not None else None
                                c2 = _with(case, fcount, gcount)
                                t0 = time.perf_counter()
                                try:
                                    res = adapter(c2, claimed)
                                except Exception as exc:  # a crash is recorded, not hidden
                                    res = ("error", f"{type(exc).__name__}: {exc}"[:200])
                                dt_s = time.perf_counter() - t0
                                if res is None:
                                    continue          # not applicable (scipy on Jacobians)
                                evals = (gcount.count if (peer != "mlcalc" and target == "grad")
                                         else fcount.count)
                                rec.update(ok=res[0], diagnosis=res[1], evals=evals,
                                           seconds=dt_s)
                                if len(res) > 2:
                                    rec["evals_verdict"] = res[2]
                                if len(res) > 3:
                                    rec["verdict"] = res[3]     # mlcalc: OK, WRONG, ...
                                if peer in GROWS_WITH_N and n == DENSE_MAX:
                                    evals_mid[(peer, name, dtype, scale)] = evals
                                if peer in GROWS_WITH_N and dt_s > args.budget:
                                    measured_slow.setdefault(slow_key, []).append(dt_s)
                                    skip_est = float(np.median(measured_slow[slow_key]))
                                fh.write(json.dumps(rec) + "\n")
                            fh.flush()
                    print(f"n={n} {dtype} scale={scale}: {time.perf_counter() - t_combo:.0f} s",
                          flush=True)


def _rel_err(claimed, correct) -> float:
    """Size of the planted error: ‖claimed − correct‖ / ‖correct‖ (Frobenius, in float64)."""
    G = claimed.astype(np.float64)
    C = correct.astype(np.float64)
    nc = float(np.linalg.norm(C))
    return float(np.linalg.norm(G - C) / nc) if nc else float("inf")


def _fit(D, B, tol):
    """a if D = a·B (within tol entrywise), else None."""
    bb = float(np.sum(B * B))
    if not bb:
        return None
    a = float(np.sum(D * B) / bb)
    return a if abs(a) > 0 and np.max(np.abs(D - a * B)) <= tol * max(1.0, abs(a)) else None


def _truth(claimed, correct, kind, x=None):
    """How the claimed derivative really differs from the correct one (to grade labels)."""
    G = claimed.astype(np.float64)
    C = correct.astype(np.float64)
    big = float(np.max(np.abs(C))) or 1.0
    tol = 1e-3 * big
    out = {"zero": not np.any(G), "err": _rel_err(claimed, correct)}
    out["reshaped"] = None
    if C.ndim == 2 and C.shape[0] != C.shape[1] and min(C.shape) >= 2:
        for order in ("C", "F"):
            if np.max(np.abs(G - C.T.reshape(C.shape, order=order))) <= tol:
                out["reshaped"] = order
    D = G - C
    if x is not None and kind == "gradient":
        out["offset_x"] = _fit(D, np.asarray(x, dtype=np.float64), tol)
    out["offset_const"] = _fit(D, np.ones_like(D), tol)
    if kind != "gradient" and C.ndim == 2:
        out["offset_I"] = _fit(D, np.eye(*C.shape), tol)
    cc = float(np.sum(C * C))
    c = float(np.sum(G * C) / cc) if cc else 0.0
    out["scale"] = c if cc and np.max(np.abs(G - c * C)) <= tol * max(1.0, abs(c)) else None
    sq = C.ndim == 2 and C.shape[0] == C.shape[1]
    out["transpose"] = bool(sq and np.max(np.abs(G - C.T)) <= tol)
    out["sym"] = bool(sq and np.max(np.abs(G - (C + C.T) / 2)) <= tol)
    out["symmetrised"] = bool(sq and np.max(np.abs(G - (C + C.T))) <= tol)
    out["asymmetric"] = bool(kind == "hessian" and np.max(np.abs(G - G.T)) > tol)
    wrong = np.argwhere(np.abs(G - C) > tol)
    if kind == "hessian":
        wrong = np.array([w for w in wrong if w[0] <= w[-1]]).reshape(-1, C.ndim)
    out["entries"] = [list(map(int, w)) for w in wrong[:50]]
    out["n_entries"] = int(len(wrong))
    return out


def _with(case, fcount, gcount):
    import copy

    c2 = copy.copy(case)
    c2.f = fcount
    if gcount is not None:
        c2.grad = gcount
    return c2


def _estimate(case, peer, name, dtype, scale, n, evals_mid, per_eval_cost, target):
    """Seconds one check would take: evaluations at n = 1000 scaled to n, times f's cost."""
    mid = evals_mid.get((peer, name, dtype, scale))
    if mid is None:
        return None
    fn = case.grad if target == "grad" else case.f
    reps, t0 = 0, time.perf_counter()
    while reps < 3 or time.perf_counter() - t0 < 0.05:
        fn(case.x)
        reps += 1
    cost = (time.perf_counter() - t0) / reps
    ratio = case.x.size / _mid_size(name)
    return float(mid * ratio * cost)


_MID_SIZES: dict = {}


def _mid_size(name: str) -> int:
    if name not in _MID_SIZES:
        for e in CATALOGUE:
            if e[0] == name:
                _MID_SIZES[name] = build(e, DENSE_MAX, "float64", 0, 1.0).x.size
    return _MID_SIZES[name]


# ------------------------------------------------------------------------------ report

def _pct(a: int, b: int) -> str:
    return "—" if b == 0 else f"{100.0 * a / b:.1f} %"


def _fmt_t(s: float) -> str:
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    if s < 1:
        return f"{s * 1e3:.1f} ms"
    return f"{s:.2f} s"


def report(args) -> None:
    path = HERE / args.out
    if not path.exists() and Path(str(path) + ".gz").exists():
        import gzip

        with gzip.open(str(path) + ".gz", "rt") as fh:      # the committed, compressed copy
            recs = [json.loads(line) for line in fh]
    else:
        recs = [json.loads(line) for line in path.open()]
    peers = [p for p in PEERS if any(r["peer"] == p for r in recs)]
    sizes = sorted({r["n"] for r in recs})
    dtypes = [d for d in ("float64", "float32") if any(r["dtype"] == d for r in recs)]
    scales = sorted({r["scale"] for r in recs})
    ran = [r for r in recs if not r.get("skipped")]
    lines = []
    w = lines.append
    w("# Derivative checkers compared: mlcalc vs scipy, PyTorch, JAX, autograd\n")
    w("Generated by `benchmarks/checkers/run.py`; do not edit by hand. Reproduce with:\n")
    meta = json.loads((HERE / "meta.json").read_text()) if (HERE / "meta.json").exists() else {}
    commands = meta.pop("commands", None) or [_command(args.argv)]
    w("```")
    w("python3 -m venv /work/benchvenv")
    w("/work/benchvenv/bin/pip install -r benchmarks/requirements.txt -e .")
    for c in commands:
        w("/work/benchvenv/bin/python " + c)
    w("```\n")
    if len(commands) > 1:
        w("The first command ran every checker; each later one re-ran only the checkers it "
          "names (`--replace`) after mlcalc changed, on the same machine with the same "
          "versions, keeping the other checkers' records.\n")
    if meta:
        w("Machine and versions: " + ", ".join(f"{k} {v}" for k, v in meta.items()) + ".\n")
    n_entries = len({r["entry"] for r in recs})
    n_claims = len({(r["entry"], r["mistake"]) for r in recs})
    w(f"Catalogue: {n_entries} textbook derivatives ({n_claims} claimed derivatives: each "
      "correct one plus the planted learner mistakes), at n = "
      + ", ".join(str(s) for s in sizes) + " (about n entries of x; Jacobians and Hessians are "
      f"dense and only run up to n = {DENSE_MAX}), dtypes " + ", ".join(dtypes)
      + ", f scaled by " + ", ".join(f"{s:g}" for s in scales) + ".\n")
    w("**Detection** = share of planted wrong derivatives the checker rejects. **False alarm** = "
      "share of correct derivatives it rejects (for mlcalc a report that is not OK, whatever "
      "the reason). Evaluations = calls of f (of the gradient, for peers checking a Hessian), "
      "not counting the one call of the claimed derivative; for mlcalc the verdict's count "
      "(diagnosing a wrong derivative of a small input costs more, see below).\n")

    def agg(rs):
        wrong = [r for r in rs if r["mkind"] != "correct"]
        right = [r for r in rs if r["mkind"] == "correct"]
        det = sum(1 for r in wrong if r["ok"] is not True)
        fa = sum(1 for r in right if r["ok"] is not True)
        return det, len(wrong), fa, len(right)

    _targets(w, recs, ran, sizes, scales, agg)
    _verdicts(w, ran, dtypes)
    _notes(w, recs, ran, sizes)
    w("## Headline (all sizes and scales)\n")
    w("| checker | dtype | detection | false alarms | evaluations (median / max) | "
      "median time n=" + " | median time n=".join(str(s) for s in sizes) + " |")
    w("| --- | --- | --- | --- | --- | " + " | ".join("---" for _ in sizes) + " |")
    for p in peers:
        for d in dtypes:
            rs = [r for r in ran if r["peer"] == p and r["dtype"] == d]
            if not rs:
                continue
            det, nw, fa, nr = agg(rs)
            ev = [r.get("evals_verdict", r["evals"]) for r in rs]
            times = []
            for s in sizes:
                ts = [r["seconds"] for r in rs if r["n"] == s]
                skipped = [r for r in recs if r["peer"] == p and r["dtype"] == d
                           and r["n"] == s and r.get("skipped")]
                if ts:
                    txt = _fmt_t(float(np.median(ts)))
                    if skipped:
                        txt += " (partly skipped)"
                elif skipped:
                    est = np.median([r["est_seconds"] for r in skipped])
                    txt = f"skipped: would take ≈ {_fmt_t(float(est))}"
                else:
                    txt = "—"
                times.append(txt)
            w(f"| {p} | {d} | {_pct(det, nw)} ({nw - det} missed) | {_pct(fa, nr)} ({fa}) | "
              f"{int(np.median(ev))} / {max(ev)} | " + " | ".join(times) + " |")
    w("")
    w("## By size, dtype and scale of f\n")
    w("Each cell: detection / false alarms.\n")
    hdr = [f"n={s} {d} ×{sc:g}" for s in sizes for d in dtypes for sc in scales]
    w("| checker | " + " | ".join(hdr) + " |")
    w("| --- | " + " | ".join("---" for _ in hdr) + " |")
    for p in peers:
        cells = []
        for s in sizes:
            for d in dtypes:
                for sc in scales:
                    rs = [r for r in ran if r["peer"] == p and r["n"] == s and r["dtype"] == d
                          and r["scale"] == sc]
                    sk = [r for r in recs if r["peer"] == p and r["n"] == s and r["dtype"] == d
                          and r["scale"] == sc and r.get("skipped")]
                    if not rs and sk:
                        cells.append("skipped")
                        continue
                    det, nw, fa, nr = agg(rs)
                    cells.append(f"{_pct(det, nw)} / {_pct(fa, nr)}")
        w(f"| {p} | " + " | ".join(cells) + " |")
    w("")
    w("## Detection by kind of mistake\n")
    kinds = ["scale", "transpose", "term", "sym", "entry", "other"]
    w("| checker | dtype | " + " | ".join(kinds) + " |")
    w("| --- | --- | " + " | ".join("---" for _ in kinds) + " |")
    for p in peers:
        for d in dtypes:
            if not any(r["peer"] == p and r["dtype"] == d for r in ran):
                continue                  # mlcalc, promote=False has no float64 row
            cells = []
            for k in kinds:
                rs = [r for r in ran if r["peer"] == p and r["dtype"] == d and r["mkind"] == k]
                det = sum(1 for r in rs if r["ok"] is not True)
                cells.append(_pct(det, len(rs)))
            w(f"| {p} | {d} | " + " | ".join(cells) + " |")
    w("")
    # diagnosis
    ml = [r for r in ran if r["peer"] == "mlcalc"]
    w("## mlcalc's diagnosis\n")
    w("A diagnosis is *named* when it is exactly the planted mistake (`scaled by 2`, `sign "
      "flipped`, `scaled by 40` for a forgotten 1/N, `transpose of the correct derivative`, "
      "`wrong at entries …` naming the planted entry). A *false label* is a diagnosis that names "
      "something else (a wrong factor, a transpose that is not one, a scale on a mistake that is "
      "not a scale, a wrong entry). The reshaped transposed layout of ‖X − UV‖²_F in U counts "
      "as a transposed mistake, named when the diagnosis is `computed in the transposed layout "
      "(r×k) and reshaped to k×r: transpose instead of reshape`. Only WRONG verdicts are graded "
      "(an INCONCLUSIVE report's text is advice, not a diagnosis).\n")
    w("| dtype | transposed named | scaled named | entries named (n = 10) | false labels "
      "| no label (wrong, unexplained) |")
    w("| --- | --- | --- | --- | --- | --- |")
    false_examples = []
    for d in dtypes:
        rs = [r for r in ml if r["dtype"] == d and r["mkind"] != "correct" and _wrong(r)]
        tr = [r for r in rs if r["mkind"] == "transpose"]
        sc = [r for r in rs if r["mkind"] == "scale"]
        en = [r for r in rs if r["mkind"] == "entry" and r["n"] == min(sizes)]
        tr_ok = sum(1 for r in tr if r["diagnosis"] == r["expected"])
        sc_ok = sum(1 for r in sc if r["diagnosis"] == r["expected"])
        en_ok = sum(1 for r in en if _entry_match(r) or (r["diagnosis"] and _label_ok(r)
                                                          and "entries" in r["diagnosis"]))
        false = [r for r in rs if r["diagnosis"] and not _label_ok(r)]
        false_examples += false[:5]
        none = sum(1 for r in rs if not r["diagnosis"])
        w(f"| {d} | {_pct(tr_ok, len(tr))} ({tr_ok}/{len(tr)}) | {_pct(sc_ok, len(sc))} "
          f"({sc_ok}/{len(sc)}) | {_pct(en_ok, len(en))} ({en_ok}/{len(en)}) | {len(false)} "
          f"of {len(rs)} | {none} |")
    w("")
    if false_examples:
        w("False labels (first few): " + "; ".join(
            f"{r['entry']} / {r['mistake']} (n={r['n']}, {r['dtype']}, ×{r['scale']:g}) → "
            f"“{r['diagnosis']}”{_closeness(r, args)}" for r in false_examples) + ".\n")
    diag_ev = [r["evals"] for r in ml if r["mkind"] == "entry" and r["n"] == min(sizes)
               and _wrong(r)]
    if diag_ev:
        w(f"Locating wrong entries (inputs with at most 100 entries) costs a full numerical "
          f"derivative: median {int(np.median(diag_ev))} evaluations at n = {min(sizes)} "
          "instead of the verdict's 15.\n")
    errs = [r for r in recs if r.get("ok") == "error"]
    if errs:
        w(f"Checker crashes recorded as 'not OK': {len(errs)} (e.g. {errs[0]['peer']}: "
          f"{errs[0]['diagnosis']}).\n")
    if args.out == "results.jsonl":
        (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n")
        if path.exists():
            import gzip

            with path.open("rb") as src, gzip.open(str(path) + ".gz", "wb") as dst:
                dst.write(src.read())
    print("\n".join(lines))


def _targets(w, recs, ran, sizes, scales, agg) -> None:
    """The issue's targets, each with the measured number and whether it is met."""
    ml = [r for r in ran if r["peer"] == "mlcalc"]
    if not ml:
        return
    w("## Targets\n")
    w("The targets of issue 15. A planted error's size is ‖claimed − correct‖ / ‖correct‖ "
      "(Frobenius norm, in float64; `err` in each record). INCONCLUSIVE is falsy: on a wrong "
      "claim it counts as detected, on a correct claim as a false alarm.\n")
    w("| target | measured | met |")
    w("| --- | --- | --- |")
    # float64: 100 % detection, 0 false alarms, <= 16 evaluations for a correct derivative
    worst_det, worst_fa, cells, worst_cell = 100.0, 0.0, 0, ""
    for n in sizes:
        for sc in scales:
            det, nw, fa, nr = agg([r for r in ml if r["dtype"] == "float64" and r["n"] == n
                                   and r["scale"] == sc])
            if nw:
                cells += 1
                if 100.0 * det / nw < worst_det or 100.0 * fa / max(nr, 1) > worst_fa:
                    worst_cell = f" (n = {n}, f × {sc:g})"
                worst_det = min(worst_det, 100.0 * det / nw)
                worst_fa = max(worst_fa, 100.0 * fa / max(nr, 1))
    ev_ok = [r["evals"] for r in ml if r["dtype"] == "float64" and r["mkind"] == "correct"]
    ev_max = max(ev_ok) if ev_ok else 0
    ev_n = {}
    for r in ml:
        if r["dtype"] == "float64" and r["mkind"] == "correct":
            ev_n[r["n"]] = max(ev_n.get(r["n"], 0), r["evals"])
    ev_by_n = ", ".join(f"n = {n}: {v}" for n, v in sorted(ev_n.items()))
    met = worst_det == 100 and worst_fa == 0 and ev_max <= 16
    w(f"| float64: 100 % detection, 0 false alarms, ≤ 16 evaluations of f for a correct "
      f"derivative at any n (every n and scale of f) | worst cell{worst_cell if not met else ''}: "
      f"{worst_det:.1f} % detection, {worst_fa:.1f} % false alarms ({cells} cells); evaluations "
      f"for a correct derivative, max {ev_by_n} | {'yes' if met else 'no'} |")
    nat = [r for r in ran if r["peer"] == "mlcalc, promote=False"]
    if nat:
        det, nw, fa, nr = agg(nat)
        pct = 100.0 * det / max(nw, 1)
        ok32 = fa == 0 and pct >= 97.0
        gap = "" if pct >= 97.0 else (f"; {97.0 - pct:.1f} points short ({nw - det} missed; "
                                      "see *What mlcalc, promote=False misses in float32*)")
        fa_inc = sum(1 for r in nat if r["mkind"] == "correct" and r["ok"] is not True
                     and r.get("verdict") == "INCONCLUSIVE")
        fa_txt = f" ({fa_inc} INCONCLUSIVE, {fa - fa_inc} other)" if fa else ""
        w(f"| float32 functions (f computes in float32 inside: `promote=False`): ≥ 97 % "
          f"detection with 0 false alarms | {pct:.1f} % detection ({det} of {nw}), {fa} false "
          f"alarms of {nr}{fa_txt}{gap} | {'yes' if ok32 else 'no'} |")
    det, nw, fa, nr = agg([r for r in ml if r["dtype"] == "float32"])
    if nw:
        ok32 = fa == 0 and det / nw >= 0.97
        w(f"| float32 as users get it (`promote=True`, f evaluated at float64 copies): ≥ 97 % "
          f"detection, 0 false alarms | {100.0 * det / nw:.1f} % detection ({det} of {nw}), "
          f"{fa} false alarms of {nr} | {'yes' if ok32 else 'no'} |")
    both = [r for r in ran if r["peer"] in ("mlcalc", "mlcalc, promote=False")]
    gross = [r for r in both if r["mkind"] != "correct" and r.get("err", 0) >= 0.1]
    passed = [r for r in gross if r["ok"] is True]
    w(f"| no error of 10 % or more is ever passed as OK, in any precision (both mlcalc rows, "
      f"every n, dtype and scale) | {len(passed)} OK verdicts on {len(gross)} claims with an "
      f"error ≥ 10 %" + ("" if not passed else ": " + "; ".join(
          f"{r['peer']}: {r['entry']} / {r['mistake']} (n = {r['n']}, {r['dtype']}, "
          f"×{r['scale']:g}, error {100 * r['err']:.0f} %)" for r in passed))
      + f" | {'yes' if not passed else 'no'} |")
    big = max(sizes)
    t_ml = [r["seconds"] for r in ml if r["n"] == big]
    if t_ml:
        med_ml = float(np.median(t_ml))
        det_ml, nw_ml, fa_ml, nr_ml = agg([r for r in ml if r["n"] == big])
        same, faster = [], []
        for p in sorted(q for q in {r["peer"] for r in ran} if not q.startswith("mlcalc")):
            rs = [r for r in ran if r["peer"] == p and r["n"] == big]
            if not rs:
                continue
            det, nw, fa, nr = agg(rs)
            med = float(np.median([r["seconds"] for r in rs]))
            if det / max(nw, 1) >= det_ml / max(nw_ml, 1) and fa / max(nr, 1) <= fa_ml / max(
                    nr_ml, 1):
                same.append((med, p))
            faster.append((med, p))
        if same:
            best = min(same)
            txt = (f"mlcalc {_fmt_t(med_ml)}; fastest peer with the same accuracy: {best[1]} "
                   f"{_fmt_t(best[0])}")
            met = "yes" if med_ml <= best[0] else "no"
        else:
            best = min(faster) if faster else (float("nan"), "none")
            det_b, nw_b, fa_b, nr_b = agg([r for r in ran if r["peer"] == best[1]
                                           and r["n"] == big])
            txt = (f"mlcalc {_fmt_t(med_ml)}; no peer that ran at n = {big} reaches mlcalc's "
                   f"detection and false-alarm rates. The fastest peer overall, {best[1]}, "
                   f"takes {_fmt_t(best[0])} (mlcalc is {med_ml / best[0]:.1f}× slower, for 16 "
                   f"evaluations of f against its 4) with {100.0 * det_b / max(nw_b, 1):.1f} % "
                   f"detection and {100.0 * fa_b / max(nr_b, 1):.1f} % false alarms at this n")
            met = "only vacuously: no peer has the same accuracy"
        w(f"| median time at n = {big} no worse than the fastest peer of the same accuracy "
          f"| {txt} | {met} |")
    wrong = [r for r in ml if r["mkind"] != "correct" and _wrong(r)]
    named = [r for r in wrong if r["mkind"] in ("scale", "transpose")]
    k = sum(1 for r in named if r["diagnosis"] == r["expected"])
    false = [r for r in wrong if r["diagnosis"] and not _label_ok(r)]
    okd = named and k / len(named) >= 0.95 and not false
    w(f"| diagnosis names ≥ 95 % of exact transposed and scaled errors, no false labels | "
      f"{100.0 * k / max(len(named), 1):.1f} % named ({k} of {len(named)}); {len(false)} false "
      f"labels in {len(wrong)} diagnosed wrong derivatives | {'yes' if okd else 'no'} |")
    w("")


def _verdicts(w, ran, dtypes) -> None:
    """mlcalc's verdicts: detection and false alarms, with INCONCLUSIVE shown apart."""
    rows = [(p, d) for p in ("mlcalc", "mlcalc, promote=False") for d in dtypes
            if any(r["peer"] == p and r["dtype"] == d for r in ran)]
    if not rows:
        return
    w("## mlcalc's verdicts\n")
    w("mlcalc has five verdicts: OK (the only truthy one), WRONG, INCONCLUSIVE (the readings "
      "cannot tell right from wrong; the report says what to do, e.g. evaluate f in float64 or "
      "take another point), NOT DIFFERENTIABLE and NOT CHECKED. *Detection* counts wrong claims "
      "not judged OK; *false alarms* count correct claims not judged OK, split by verdict.\n")
    w("| checker | dtype | detection | of which INCONCLUSIVE | false alarms | of which WRONG / "
      "NOT DIFFERENTIABLE / NOT CHECKED | of which INCONCLUSIVE |")
    w("| --- | --- | --- | --- | --- | --- | --- |")
    for p, d in rows:
        rs = [r for r in ran if r["peer"] == p and r["dtype"] == d]
        wrong = [r for r in rs if r["mkind"] != "correct"]
        right = [r for r in rs if r["mkind"] == "correct"]
        det = [r for r in wrong if r["ok"] is not True]
        det_inc = sum(1 for r in det if r.get("verdict") == "INCONCLUSIVE")
        fa = [r for r in right if r["ok"] is not True]
        fa_inc = sum(1 for r in fa if r.get("verdict") == "INCONCLUSIVE")
        by = {v: sum(1 for r in fa if r.get("verdict") == v)
              for v in ("WRONG", "NOT DIFFERENTIABLE", "NOT CHECKED")}
        w(f"| {p} | {d} | {_pct(len(det), len(wrong))} ({len(det)} of {len(wrong)}) | "
          f"{det_inc} | {_pct(len(fa), len(right))} ({len(fa)} of {len(right)}) | "
          f"{by['WRONG']} / {by['NOT DIFFERENTIABLE']} / {by['NOT CHECKED']} | {fa_inc} |")
    inc = [r for r in ran if r["peer"].startswith("mlcalc") and r.get("verdict") == "INCONCLUSIVE"]
    if inc:
        advice = Tally(r["diagnosis"] for r in inc)
        w("")
        w("What the INCONCLUSIVE reports said: " + "; ".join(
            f"“{a}” ({k}×)" for a, k in advice.most_common()) + ".")
        w("")
        w("INCONCLUSIVE verdicts: " + "; ".join(
            f"{r['peer']}: {r['entry']} / {r['mistake']} (n = {r['n']}, {r['dtype']}, "
            f"×{r['scale']:g}" + (f", error {100 * r['err']:.2g} %" if "err" in r else "")
            + ")" for r in inc[:20]) + (f"; and {len(inc) - 20} more" if len(inc) > 20 else "")
          + ".")
    w("")


def _rerun_report(r, seed_offset: int = 0) -> str:
    """mlcalc's report on one recorded claim, checked again (the records keep no OK text)."""
    from mlcalc import check_grad, check_hessian, check_jacobian

    for idx, e in enumerate(CATALOGUE):
        if e[0] != r["entry"]:
            continue
        case = build(e, r["n"], r["dtype"], _seed(idx, r["n"], r["dtype"]) + seed_offset,
                     r["scale"])
        fn = {"gradient": check_grad, "jacobian": check_jacobian,
              "hessian": check_hessian}[case.kind]
        for m in case.mistakes:
            if m.label == r["mistake"]:
                rep = fn(case.f, m.claimed, case.x,
                         promote=r["peer"] != "mlcalc, promote=False")
                return str(rep)
    return "?"


def _closeness(r, args) -> str:
    """For a false scale label: how far the claim really is from that multiple."""
    d = r["diagnosis"]
    if not (d.startswith("scaled by") or d == "sign flipped"):
        return ""
    txt = d[len("scaled by "):] if d.startswith("scaled by") else "-1"
    num, _, den = txt.partition("/")
    c = float(num) / float(den or 1)
    for idx, e in enumerate(CATALOGUE):
        if e[0] != r["entry"]:
            continue
        case = build(e, r["n"], r["dtype"], _seed(idx, r["n"], r["dtype"]) + args.seed_offset,
                     r["scale"])
        for m in case.mistakes:
            if m.label == r["mistake"]:
                G = m.claimed.astype(np.float64)
                C = c * case.correct.astype(np.float64)
                rel = float(np.linalg.norm(G - C) / np.linalg.norm(C))
                return f" (the claim is within {100 * rel:.2g} % of that multiple)"
    return ""


def _notes(w, recs, ran, sizes) -> None:
    w("## Notes and limits\n")
    big = max(sizes)
    if any(r["peer"] == "mlcalc, promote=False" for r in ran):
        w("- **float32: f evaluated in float64.** By default (`promote=True`) mlcalc calls f at "
          "float64 copies of the float32 points when f returns float64 for float64 input, as "
          "every catalogue function does; the claimed derivative is still the float32 array. "
          "The row `mlcalc, promote=False` evaluates f in float32 only, as the peers do in "
          "their float32 runs; it shows what float32 arithmetic alone can tell. It *is* the "
          "issue's mode \"f computes in float32 inside\": every catalogue f computes in its "
          "input's dtype (its constants are float32 arrays in the float32 cases), and with "
          "`promote=False` mlcalc only ever hands it float32 points, so f never sees a float64 "
          "number. No separate mode was added.")
    for peer in ("mlcalc", "mlcalc, promote=False"):
        miss = [r for r in ran if r["peer"] == peer and r["dtype"] == "float32"
                and r["mkind"] != "correct" and r["ok"] is True]
        if not miss:
            continue
        kinds = {}
        for r in miss:
            kinds.setdefault((r["n"], r["mkind"]), 0)
            kinds[(r["n"], r["mkind"])] += 1
        w(f"- **What {peer} misses in float32.** " + ", ".join(
            f"{v} × '{k}' at n = {n}" for (n, k), v in sorted(kinds.items())) + ".")
        groups: dict = {}
        for r in miss:
            groups.setdefault((r["n"], r["mistake"]), []).append(r)
        for (n, label), rs in sorted(groups.items()):
            errs = [100 * r.get("err", float("nan")) for r in rs]
            ents = sorted({r["entry"] for r in rs})
            by_scale = {sc: sum(1 for r in rs if r["scale"] == sc)
                        for sc in sorted({r["scale"] for r in rs})}
            listed = ("; ".join(ents) if len(rs) <= 12 else
                      f"{len(ents)} entries (" + ", ".join(
                          f"{k} at f × {sc:g}" for sc, k in by_scale.items()) + ")")
            alln = [r for r in ran if r["peer"] == peer and r["dtype"] == "float32"
                    and r["n"] == n and r["mistake"] == label]
            vs = ", ".join(f"{k} {v}" for k, v in sorted(
                Tally(r.get("verdict", "OK" if r["ok"] is True else "not OK")
                        for r in alln).items()))
            rng_txt = (f"{min(errs):.2g}" if f"{min(errs):.2g}" == f"{max(errs):.2g}"
                       else f"{min(errs):.2g}–{max(errs):.2g}")
            w(f"  - '{label}' at n = {n}: {len(rs)} of its {len(alln)} claims ({vs}), planted "
              f"error {rng_txt} % of the correct derivative: {listed}.")
        if peer == "mlcalc":
            r0 = max(miss, key=lambda r: r.get("err", 0.0))
            w(f"  Here f is evaluated in float64, so f's own rounding is not the cause. The "
              f"largest of these errors is {100 * r0.get('err', float('nan')):.2g} % of the "
              "correct derivative, and the claimed derivative is a float32 array that the "
              "check must accept with its rounding. What mlcalc says on it "
              f"({r0['entry']} / {r0['mistake']}, n = {r0['n']}, f × {r0['scale']:g}): "
              f"“{_rerun_report(r0)}”.")
        elif any(k == "entry" and n == big for (n, k) in kinds):
            w("  A gradient with one wrong entry among n differs from the right one, along a "
              "random direction, by about 1/√n of the directional derivative (0.3 % at "
              "n = 100 000). In float32 the rounding error of f itself (half an ulp of |f|, "
              "amplified by 3/h for the step h = ε^(1/5)) is of that size for sums of many "
              "terms, so no tolerance can separate the two with function values alone. The "
              "directional design cannot see a single wrong entry more sharply without more "
              "evaluations; the coordinate-wise checkers could, at 2n evaluations, but their "
              "fixed tolerances give false alarms in float32 instead. Evaluating f in float64 "
              "(the default) removes that rounding, and with it these misses.")
    gross = {}
    for r in ran:
        if r["mkind"] != "correct" and r.get("err", 0) >= 0.1:
            g = gross.setdefault((r["peer"], r["dtype"]), [0, 0])
            g[1] += 1
            g[0] += r["ok"] is True
    if gross:
        w("- **Errors of 10 % or more passed as OK**, per checker and dtype (passed / claims "
          "with such an error): " + "; ".join(
              f"{p} {d} {a}/{b}" for (p, d), (a, b) in sorted(gross.items())) + ".")
    w("- **Verdict rules.** torch, JAX and autograd raise or return False on their own "
      "default tolerances; scipy returns a number, judged here with `err <= 1e-5 * max(1, "
      "‖reference‖)` (see `peers.py`). A checker that crashes is counted as rejecting.")
    w("- **How peers see a claimed derivative.** Through each library's documented hook for a "
      "hand-written derivative (`torch.autograd.Function`, `jax.custom_vjp` with "
      "`pure_callback`, `autograd.extend.defvjp`); f itself is the numpy function for all. "
      "Peers check a Hessian as the Jacobian of the gradient; mlcalc gets only f. torch's "
      "fast mode, after a failed check, recomputes the whole Jacobian in slow mode only to "
      "print it; that message-only rerun is switched off (it cannot change the verdict).")
    w(f"- **Skipped runs.** Checkers whose cost grows with n (scipy's full `check_grad`, "
      f"torch's slow `gradcheck`) are not run where one check takes more than the time "
      f"budget (--budget, seconds per check): once such a check has been run and measured "
      f"above the budget at n = {big} (any entry), or for a dense Jacobian or Hessian at "
      f"n = {DENSE_MAX} (that entry), the remaining ones are reported as skipped with the "
      "median measured time. Before any measurement the time is estimated from the "
      f"evaluation count at n = {DENSE_MAX} scaled by the size ratio, times the measured cost "
      "of one evaluation of f (an underestimate: it leaves out the checker's own overhead). "
      f"Jacobian and Hessian entries are not built at n = {big} (a dense {big} × {big} "
      "matrix has 10¹⁰ entries).")
    w("- **Times** are wall-clock medians on a shared 2-core machine that other jobs were "
      "using at the same time; compare them within a column, not with other machines.")
    w("")


def _wrong(r) -> bool:
    """mlcalc said WRONG (records written before the verdict was recorded: not OK)."""
    return r["ok"] is False and r.get("verdict", "WRONG") == "WRONG"


def _coef(part: str, unit: str) -> float | None:
    import re

    m = re.search(r"claimed − correct = (-?[\d.]+(?:e[-+]?\d+)?)" + re.escape(unit), part)
    return float(m.group(1)) if m else None


def _entry_match(r) -> bool:
    exp = (r.get("expected") or "")
    if not exp.startswith("entry:") or not r["diagnosis"]:
        return False
    idx = tuple(int(i) for i in exp[6:].split(","))
    txt = str(idx[0]) if len(idx) == 1 else "(" + ", ".join(str(i) for i in idx) + ")"
    return r["diagnosis"] == f"wrong at entries {txt}"


def _label_ok(r) -> bool:
    """Is mlcalc's diagnosis a true statement about the planted mistake?"""
    import re

    d, t = r["diagnosis"], r.get("truth") or {}
    ok = True
    for part in d.split("; "):
        if part == "sign flipped" or part.startswith("scaled by"):
            txt = part[len("scaled by "):] if part.startswith("scaled by") else "-1"
            if "/" in txt:
                num, den = txt.split("/")
                val = float(num) / float(den)
            else:
                val = float(txt)
            ok &= t.get("scale") is not None and abs(val - t["scale"]) <= 0.01 * abs(t["scale"])
        elif part.startswith("transpose"):
            ok &= bool(t.get("transpose"))
        elif part.startswith("symmetric part only"):
            ok &= bool(t.get("sym"))
        elif part.startswith("symmetrised"):
            ok &= bool(t.get("symmetrised"))
        elif part.startswith("not symmetric"):
            ok &= bool(t.get("asymmetric"))
        elif part.startswith("its symmetric part"):
            pass                 # a statement about the check's own measurement
        elif part.startswith("wrong at entries"):
            shown = re.findall(r"\(([\d, ]+)\)|(?<![\d(])(\d+)(?![\d)])",
                               part[len("wrong at entries "):].split(" and ")[0])
            idx = sorted(tuple(int(v) for v in (a or b).split(",")) for a, b in shown)
            more = re.search(r"and (\d+) more", part)
            total = len(idx) + (int(more.group(1)) if more else 0)
            true = sorted(tuple(e) for e in t.get("entries", []))
            ok &= total == t.get("n_entries") and all(i in true for i in idx)
        elif part.startswith("computed in the transposed layout"):
            order = "F" if "column-major (Fortran) order" in part else "C"
            ok &= t.get("reshaped") == order
        elif part.startswith(("off by a multiple of x", "off by a constant",
                              "off by a multiple of the identity")):
            key, unit = (("offset_x", "·x") if "of x" in part else
                         ("offset_I", "·I") if "identity" in part else
                         ("offset_const", " in every entry"))
            a, true = _coef(part, unit), t.get(key)
            ok &= a is not None and true is not None and abs(a - true) <= 0.01 * abs(true) + 1e-12
        elif part == "claimed derivative is zero":
            ok &= bool(t.get("zero"))
        else:
            ok = False
    return bool(ok)


def _git_head() -> str:
    """The repository's commit (short), with "+ uncommitted changes" when mlcalc/ is dirty."""
    import subprocess

    root = HERE.parents[1]
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, text=True,
                              capture_output=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "-uno", "--", "mlcalc"], cwd=root,
                               text=True, capture_output=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" + uncommitted changes in mlcalc/" if dirty else "")


def _command(argv) -> str:
    import shlex

    return " ".join(["benchmarks/checkers/run.py"] + [shlex.quote(a) for a in argv])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 1000, 100000])
    ap.add_argument("--dtypes", nargs="+", default=["float64", "float32"])
    ap.add_argument("--scales", type=float, nargs="+", default=[1e-6, 1.0, 1e6])
    ap.add_argument("--peers", nargs="+", default=list(PEERS))
    ap.add_argument("--budget", type=float, default=10.0,
                    help="skip growing-cost peers at the largest n above this many s/check")
    ap.add_argument("--report-only", action="store_true")
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--replace", action="store_true",
                    help="re-run only --peers and replace their records in results.jsonl")
    ap.add_argument("--seed-offset", type=int, default=0,
                    help="shift every case's seed (a validation run on other random cases)")
    ap.add_argument("--out", default="results.jsonl")
    args = ap.parse_args()
    args.argv = [a for a in sys.argv[1:] if a not in ("--report-only", "--resume", "--replace")]
    if not args.report_only:
        import scipy

        meta = {"python": platform.python_version(), "numpy": np.__version__,
                "scipy": scipy.__version__, "cpu cores": os.cpu_count()}
        try:
            import torch

            meta["torch"] = torch.__version__
        except ImportError:
            pass
        try:
            import jax

            meta["jax"] = jax.__version__
        except ImportError:
            pass
        import importlib.metadata

        import autograd  # noqa: F401

        meta["autograd"] = importlib.metadata.version("autograd")
        import mlcalc

        meta["mlcalc"] = mlcalc.__version__
        meta["mlcalc commit"] = _git_head()
        if args.out == "results.jsonl":
            old = (json.loads((HERE / "meta.json").read_text())
                   if (HERE / "meta.json").exists() else {})
            cmd = _command(sys.argv[1:])
            if args.replace or args.resume:
                prev = old.get("commands", ["benchmarks/checkers/run.py"])
                meta["commands"] = prev + ([cmd] if prev[-1] != cmd else [])
            else:
                meta["commands"] = [cmd]
            (HERE / "meta.json").write_text(json.dumps(meta, indent=1) + "\n")
        t_run = time.perf_counter()
        run(args)
        if args.out == "results.jsonl" and not (args.replace or args.resume):
            meta = json.loads((HERE / "meta.json").read_text())
            cmds = meta.pop("commands")
            meta["wall time of the run"] = f"{(time.perf_counter() - t_run) / 60:.0f} min"
            meta["commands"] = cmds
            (HERE / "meta.json").write_text(json.dumps(meta, indent=1) + "\n")
    report(args)


if __name__ == "__main__":
    main()
