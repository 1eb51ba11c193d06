"""The directional engine behind the checkers, and the report they return.

Not part of the public API (``mlcalc`` exports only :class:`CheckReport` from here, through
:mod:`mlcalc.checks`). :class:`DirectionalEngine` measures a claimed derivative along a few random
directions and gives a verdict; how it works is described in :mod:`mlcalc.checks`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .numerical import (
    _INFORMATIVE,
    _MAX_EVALS,
    _NOISE_GAMMA,
    _claim_slack,
    _Counter,
    _eps,
    _scale,
)

__all__ = ["CheckReport", "DirectionalEngine"]

# --------------------------------------------------------------------------------------------
# the report
# --------------------------------------------------------------------------------------------

@dataclass(repr=False, eq=False)
class CheckReport:
    """Verdict of a derivative check.

    The report is truthy exactly when the claimed derivative is right, so ``assert
    check_grad(f, g, x)`` and ``if not check_grad(...)`` read naturally.

    Attributes:
        ok: True when the claimed derivative agrees with ``f`` along every direction.
        verdict: ``"OK"``, ``"WRONG"``, ``"INCONCLUSIVE"``, ``"NOT DIFFERENTIABLE"`` or
            ``"NOT CHECKED"``. INCONCLUSIVE (falsy, like every verdict but OK) means the
            readings that could decide were too noisy to tell the claim from one 10 % off: f
            rounds too coarsely at this point (typically f computed in float32). The note says
            what to do: evaluate f in float64, or check at another point.
        kind: ``"gradient"``, ``"jacobian"`` or ``"hessian"``.
        diagnosis: None, or a short phrase: ``"scaled by 2"``, ``"sign flipped"``,
            ``"transpose of the correct derivative"``, ``"wrong at entries 3, 7"``,
            ``"not differentiable here"``, ...
        error: relative error of the worst direction (mismatch divided by the largest directional
            derivative seen).
        tolerance: the derived tolerance of that direction, on the same relative scale; the check
            passes when ``error <= tolerance`` in every direction.
        n_evals: evaluations of ``f`` (of ``grad_f`` for a Hessian check with ``grad_f``),
            including any made to diagnose a wrong answer.
        n_directions: number of random directions used.
        dtype: the floating dtype ``x`` was evaluated in.
        details: per-direction numbers (claimed and numerical directional derivatives,
            tolerances) for the curious.
    """

    ok: bool
    verdict: str
    kind: str
    diagnosis: str | None
    error: float
    tolerance: float
    n_evals: int
    n_directions: int
    dtype: str
    note: str = ""
    details: dict = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.ok)

    def _numbers(self) -> str:
        d = self.n_directions
        where = f"{d} random direction{'s' if d != 1 else ''}, {self.n_evals} evaluations of f"
        if self.note:
            where += f"; {self.note}"
        return where

    def __repr__(self) -> str:
        if self.verdict == "NOT DIFFERENTIABLE":
            return f"{self.kind} NOT DIFFERENTIABLE here ({self._numbers()})"
        if self.verdict == "NOT CHECKED":
            return f"{self.kind} NOT CHECKED: {self.diagnosis} ({self._numbers()})"
        if self.verdict == "INCONCLUSIVE":
            return f"{self.kind} INCONCLUSIVE: {self.diagnosis} ({self._numbers()})"
        head = f"{self.kind} {self.verdict}"
        if self.diagnosis:
            head += f" ({self.diagnosis})"
        rel = "<=" if self.ok else ">"
        return (f"{head}: relative error {self.error:.1e} {rel} tolerance {self.tolerance:.1e} "
                f"({self._numbers()})")

    __str__ = __repr__

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # IPython display: one line
        p.text(repr(self))

    def assert_ok(self) -> CheckReport:
        """Raise AssertionError with the one-line verdict unless the derivative is right.

        Returns:
            The report itself, so calls can be chained.
        """
        if not self.ok:
            raise AssertionError(repr(self))
        return self


# --------------------------------------------------------------------------------------------
# the directional engine
# --------------------------------------------------------------------------------------------

def _directions(x: np.ndarray, k: int, seed: Any) -> list[np.ndarray]:
    """k random directions (float64, flattened) with i.i.d. normal entries times rms(x).

    For a square matrix-shaped x the second direction is the transpose of the first: both are
    still random, and together they let the diagnosis recognise a transposed or symmetrised
    derivative without extra evaluations.
    """
    rng = np.random.default_rng(seed)
    s = _scale(x)
    dirs = [rng.standard_normal(x.size) * s for _ in range(k)]
    if x.ndim == 2 and x.shape[0] == x.shape[1] and x.shape[0] > 1 and k >= 2:
        dirs[1] = dirs[0].reshape(x.shape).T.reshape(-1).copy()
    return dirs


@dataclass
class _Probe:
    """Numbers measured along one direction (arrays over the m outputs)."""

    u: np.ndarray            # direction (flattened, float64)
    d: np.ndarray            # claimed directional derivative (G u, or uᵀ H u)
    n: np.ndarray            # numerical directional derivative
    tol: np.ndarray          # derived tolerance for |n - d|
    # the tolerance if f is only once differentiable at x (order 1): a jump of f'' at x puts a
    # t|t| term into the odd part of f, which the Richardson step does not remove
    tol_c1: np.ndarray | None = None


def _points(x64: np.ndarray, dtype: np.dtype, u: np.ndarray, t: float):
    """The point x + t u rounded to dtype, and the displacement actually taken (float64)."""
    p = x64 + t * u
    if p.dtype != dtype:
        p = p.astype(dtype)
        return p, p.astype(np.float64) - x64
    return p, p - x64


def _ratio(p: _Probe, loose: bool = False) -> float:
    diff = np.abs(p.n - p.d)
    tol = p.tol_c1 if (loose and p.tol_c1 is not None) else p.tol
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(tol > 0, diff / np.where(tol > 0, tol, 1.0),
                     np.where(diff > 0, np.inf, 0.0))
    return float(np.max(r)) if r.size else 0.0


class DirectionalEngine:
    """Directional checks of a claimed first derivative (order 1) or Hessian (order 2).

    Order 1: the claimed linear map is the (m, n) matrix G; compares G u with differences of f.
    Order 2: G is the claimed (n, n) Hessian of a scalar f; compares uᵀ G u with second
    differences of f.
    """

    def __init__(self, ev: _Counter, f0: np.ndarray, G: np.ndarray, eps_g: float,
                 x: np.ndarray, *, kind: str, order: int, seed: Any, directions: int,
                 rtol: float | None, step: float | None, safety: float):
        self.ev, self.f0, self.G, self.kind, self.order = ev, f0, G, kind, order
        self.absG = np.abs(G)
        self.G2 = G * G
        self.eps_g = eps_g
        self.x = x
        self.dtype = x.dtype
        self.x64 = x.astype(np.float64).reshape(-1)
        self.seed, self.k, self.rtol, self.safety = seed, int(directions), rtol, float(safety)
        e = _eps(x.dtype)
        default = e ** 0.2 if order == 1 else e ** (1.0 / 6.0)
        self.h = default if step is None else float(step)
        self.hp = max(self.h / 1024.0, math.sqrt(e))
        if self.hp >= self.h / 8:
            self.hp = self.h / 64.0
        # eps_f: relative rounding error of f's values (the dtype f is evaluated in and the
        # dtype it returns); eps also covers the claimed derivative's rounding
        self.eps_f = max(e, ev.out_eps)
        self.eps = max(self.eps_f, eps_g)
        self.probes: list[_Probe] = []
        self.small: _Probe | None = None
        self.small_c1: _Probe | None = None
        self.cond = np.zeros(1)
        self.ambiguous = False
        self.noise_factor = np.ones(1)
        # f at x ± h u, x ± (h/2) u along each main direction (order 1), kept for the diagnosis
        self.raw: list[tuple[np.ndarray, float, list[np.ndarray]]] = []
        # True when the verdict WRONG rests on the small-step reading alone (f not smooth at the
        # scale of the step): the diagnosis then measures at the small step too
        self.fell_back = False

    def f_at(self, p: np.ndarray) -> np.ndarray:
        # every caller passes a point it has just made and does not read again
        return self.ev(np.reshape(p, self.x.shape), fresh=True)

    @staticmethod
    def _apply(M: np.ndarray, v: np.ndarray) -> np.ndarray:
        # einsum, not BLAS gemv/dot: single-threaded and much faster when BLAS threads contend
        # for a busy CPU; the products are small next to the evaluations of f
        return np.einsum("ij,j->i", M, v)

    def _model(self, disp: np.ndarray) -> np.ndarray:
        if self.order == 1:
            return self._apply(self.G, disp)
        return np.atleast_1d(0.5 * np.dot(disp, self._apply(self.G, disp)))

    # ------------------------------------------------------------------
    def run(self) -> CheckReport:
        x64, S, f0 = self.x64, self.safety, self.f0
        eps = self.eps
        floor = float(np.max(np.abs(f0))) if f0.size > 1 else 0.0
        # rounding the inputs alone moves f by about eps * sum_j |df/dx_j| |x_j| (the condition
        # of f at x): no implementation of f is more accurate than that, however small |f| is
        # (f a cancellation of large terms). Measured with the claimed derivative, per output.
        if self.order == 1:
            cond = self._apply(self.absG, np.abs(x64))
        else:
            cond = np.zeros(1)
        self.cond = cond
        for idx, u in enumerate(_directions(self.x, self.k, self.seed)):
            if idx > 0 and self.ev.count + 4 > _MAX_EVALS:
                self.k = idx          # a kink test that needed confirming used the budget
                break
            h = self.h
            if self.order == 2:
                # snap the direction so that x + h u is representable: x ± h u nearly exact
                u = _points(x64, self.dtype, u, h)[1] / h
                if not np.any(u):
                    return self._not_checked("the step is below the resolution of x's dtype")
            for _attempt in range(3):
                fv, rho = [], []
                for t in (h, -h, h / 2, -h / 2):
                    p, disp = _points(x64, self.dtype, u, t)
                    val = self.f_at(p)
                    fv.append(val)
                    rho.append(val - f0 - self._model(disp))
                if all(np.all(np.isfinite(v)) for v in fv):
                    break
                if self.ev.count + 4 + (3 if idx == 0 else 0) > _MAX_EVALS - 4 * (
                        self.k - idx - 1):
                    break
                h /= 16.0
            if not all(np.all(np.isfinite(v)) for v in fv):
                return self._not_checked(
                    "f is not finite near x (is x at the edge of f's domain?)")
            F = np.maximum.reduce([np.abs(f0)] + [np.abs(v) for v in fv])
            # rounding noise of f: eps * |f| (for vector outputs at least eps * max|f|: the
            # noise of a small entry comes from intermediates as large as the others)
            sig_th = self.eps_f * np.maximum(np.maximum(F, floor), cond)
            # raw odd and even parts of f along u
            O1f, O2f = (fv[0] - fv[1]) / 2, (fv[2] - fv[3]) / 2
            E1, E2 = (fv[0] + fv[1]) / 2 - f0, (fv[2] + fv[3]) / 2 - f0
            a1 = (8 * O2f - O1f) / (3 * h)                    # first directional derivative
            a3h3 = (4.0 / 3.0) * (O1f - 2 * O2f)              # cubic term a3 h^3
            c_big = (4 * E2 - E1) / h                         # kink strength seen at h
            if self.order == 1:
                O1, O2 = (rho[0] - rho[1]) / 2, (rho[2] - rho[3]) / 2
                M = (8 * O2 - O1) / (3 * h)                   # numerical - claimed, along u
                d = self._apply(self.G, u)
                n = d + M
                trunc0 = np.abs(a3h3) / h                     # error of the plain central diff
                # (for a vector output, every row at least at the level of the largest row: a
                # small row is often a cancellation of large terms, as 1 - tanh² near ±1)
                walk = np.sqrt(self._apply(self.G2, u * u))
                claimed_round = (self.eps_g * self._apply(self.absG, np.abs(u))
                                 + _claim_slack(self.eps_g) * np.max(walk))
                noise_w = 3.0 / h                             # sum of |Richardson weights|
            else:
                Er1, Er2 = (rho[0] + rho[1]) / 2, (rho[2] + rho[3]) / 2
                M = np.atleast_1d(2 * (16 * Er2 - Er1) / (3 * h * h))
                d = np.atleast_1d(np.dot(u, self._apply(self.G, u)))
                n = d + M
                trunc0 = np.abs(2 * (4.0 / 3.0) * (Er1 - 4 * Er2)) / (h * h)
                claimed_round = np.atleast_1d(
                    self.eps_g * np.dot(np.abs(u), self._apply(self.absG, np.abs(u)))
                    + _claim_slack(self.eps_g)
                    * np.sqrt(np.dot(u * u, self._apply(self.G2, u * u))))
                noise_w = 68.0 / (3.0 * h * h)
            if idx == 0:
                if self.order == 1:
                    self._odd = (O1, O2)
                out = self._small_step_probe(u, h, f0, a1, a3h3, c_big, E1, E2, M, d, n,
                                             sig_th, trunc0, claimed_round)
                if isinstance(out, CheckReport):
                    return out
                # f may be noisier than eps*|f| (cancellation inside f): measured noise over
                # eps*|f| per output entry. One sample per entry can be small by chance, so for
                # vector outputs it is pooled: at least the 90th percentile over the entries
                nf = np.maximum(1.0, _NOISE_GAMMA * out / np.maximum(sig_th, 1e-300))
                pooled = np.max(nf) if nf.size < 10 else np.percentile(nf, 90)
                self.noise_factor = np.maximum(nf, pooled)
            sig = sig_th * self.noise_factor
            # not smooth at the scale of the step (kinks within h of x)? For a smooth f the
            # even part satisfies E(h) = 4 E(h/2) up to O(h^4): |4E2 - E1| / |E1| ~ h^2
            tau = min(0.25, 30.0 * h ** 2)
            if np.any(np.abs(4 * E2 - E1) > np.maximum(tau * np.abs(E1), 40 * sig)):
                self.ambiguous = True
            trunc = trunc0 * np.minimum(1.0, trunc0 / np.maximum(np.abs(n), 1e-300))
            tol = S * (noise_w * sig + trunc + claimed_round) + S * eps * (np.abs(n) + np.abs(d))
            if self.rtol is not None:
                tol = float(self.rtol) * np.maximum(np.abs(n), np.abs(d))
            # with two odd samples a t|t| term (bias up to trunc0 / 2) cannot be told from
            # the cubic one: a mismatch below this looser bound is only "marginal"
            tol_c1 = tol + S * trunc0 / 2 if (self.order == 1 and self.rtol is None) else tol
            self.probes.append(_Probe(u, d, n, tol, tol_c1))
            if self.order == 1:
                self.raw.append((u, h, fv))
        return self._verdict()

    def _small_step_probe(self, u, h, f0, a1, a3h3, c_big, E1, E2, M, d, n, sig_th, trunc0,
                          claimed_round):
        """Evaluate f at x ± h' u and x + 0.3 h u: noise, kink at x, a kink-free difference."""
        hp, S, x64 = self.hp, self.safety, self.x64
        t3 = 0.3 * h
        fps, rps = [], []
        for t in (hp, -hp, t3):
            p, disp = _points(x64, self.dtype, u, t)
            val = self.f_at(p)
            fps.append(val)
            rps.append(val - f0 - self._model(disp))
        if not all(np.all(np.isfinite(v)) for v in fps):
            return 0.0 * sig_th
        Op = (fps[0] - fps[1]) / 2
        Ep = (fps[0] + fps[1]) / 2 - f0
        a2h2 = (16 * E2 - E1) / 3.0                       # smooth model: a2 h^2
        a4h4 = (4.0 / 3.0) * (E1 - 4 * E2)                # and a4 h^4
        # what is left after the smooth model fitted at scale h is noise (or a kink at x)
        noise_odd = np.abs(Op - a1 * hp - a3h3 * (hp / h) ** 3)
        c_small = (Ep - a2h2 * (hp / h) ** 2) / hp        # kink strength seen at h'
        noise_lvl = np.maximum(sig_th, noise_odd)
        with np.errstate(invalid="ignore"):
            is_kink = ((np.abs(c_small) * hp > 16 * noise_lvl)
                       & (np.abs(c_small) >= 0.25 * np.abs(c_big))
                       & (np.abs(c_small) <= 4 * np.abs(c_big))
                       & (np.sign(c_small) == np.sign(c_big)))
        if np.any(is_kink):
            # confirm at a second, larger small step before calling it a kink: the even part of
            # f at a kink grows like |t| (the same strength c at every step), rounding noise that
            # happened to look like one does not
            hq = min(16 * hp, h / 4)
            fq = [self.f_at(_points(x64, self.dtype, u, t)[0]) for t in (hq, -hq)]
            if all(np.all(np.isfinite(v)) for v in fq):
                c_q = ((fq[0] + fq[1]) / 2 - f0 - a2h2 * (hq / h) ** 2) / hq
                with np.errstate(invalid="ignore", divide="ignore"):
                    agree = ((np.sign(c_q) == np.sign(c_small))
                             & (np.abs(c_q) >= 0.5 * np.abs(c_small))
                             & (np.abs(c_q) <= 2 * np.abs(c_small)))
                is_kink = is_kink & agree
        if np.any(is_kink):
            j = int(np.argmax(np.where(is_kink, np.abs(c_small), -1.0)))
            left = (f0[j] - fps[1][j]) / hp
            right = (fps[0][j] - f0[j]) / hp
            return self._report_kink(left, right)
        # three noise samples: what is left of f(x + t u) - f(x) after the smooth model, at
        # t = ±h' and at t = 0.3 h (the quartic through the five points at scale h). Rounding
        # errors at very close points can be correlated (their pattern has not changed yet),
        # so the sample at 0.3 h, between the points of scale h, is the one that sees the
        # noise those points carry; one sample alone can also be small by chance.
        if self.order == 1:
            series, lin = rps, M                          # f minus the claimed linear model
        else:
            series, lin = [v - f0 for v in fps], a1
        res = [np.abs(v - (lin * t + a2h2 * (t / h) ** 2 + a3h3 * (t / h) ** 3
                           + a4h4 * (t / h) ** 4))
               for v, t in zip(series, (hp, -hp, t3), strict=True)]
        noise = np.maximum.reduce(res)
        if self.order == 2:
            return noise
        eps = self.eps
        # two readings of the slope at h'. (B) the plain central difference: it sees nothing
        # of f farther than h' from x, so a kink between h' and h does not bias it.
        Mp = ((rps[0] - rps[1]) / 2) / hp
        # its noise is that of the points x ± h' u themselves: their even part Ep, which needs
        # no model fitted at the scale h (a kink between h' and h would spoil that model and
        # make the residuals above look like noise)
        lam = hp / h
        noise_B = np.abs(Ep - a2h2 * lam ** 2 - a4h4 * lam ** 4)
        if np.any(noise > 16 * np.maximum(sig_th, noise_B)):
            # what looked like noise at scale h is absent at h': f is not smooth within h
            self.ambiguous = True
        sig_B = np.maximum(sig_th, _NOISE_GAMMA * noise_B)
        tol_p = S * (sig_B / hp + trunc0 * (hp / h) ** 2 + claimed_round) \
            + S * eps * (np.abs(d + Mp) + np.abs(d))
        sig_p = np.maximum(sig_th, _NOISE_GAMMA * noise)
        trunc = trunc0 * np.minimum(1.0, trunc0 / np.maximum(np.abs(n), 1e-300))
        tol_R = S * (3 * sig_p / h + trunc + claimed_round)
        if np.any(np.abs(M - Mp) > tol_R + tol_p):
            # either f is noisier than measured or it has kinks between h' and h
            self.ambiguous = True
        # (C) the odd part of what is left after the claimed linear model fitted as
        # O(t) = M t + b t|t| + c t^3 through t = h, h/2 and h'. The t|t| term is there when f
        # is once but not twice differentiable at x (ELU with alpha = 1 at 0, x|x|, relu²): it
        # biases every central difference by about b h, at h' too. For a smooth f, b = 0 and
        # this is the central difference at h' with its cubic error removed.
        O1, O2 = self._odd
        V = np.array([[1.0, 1.0, 1.0], [0.5, 0.25, 0.125], [lam, lam ** 2, lam ** 3]])
        coef = np.linalg.solve(V, np.stack([O1, O2, (rps[0] - rps[1]) / 2]))
        w = np.linalg.solve(V.T, np.array([1.0, 0.0, 0.0]))  # M h = w . (O1, O2, O(h'))
        Mc = coef[0] / h
        # noise samples this model leaves: the even part at h' and the point at 0.3 h (the
        # t|t| term is not noise, so the smooth model's residuals would overstate it)
        s3 = t3 / h
        even_p = noise_B
        res3 = np.abs(rps[2] - (coef[0] * s3 + coef[1] * s3 ** 2 + coef[2] * s3 ** 3
                                + a2h2 * s3 ** 2 + a4h4 * s3 ** 4))
        sig_c = np.maximum(sig_th, _NOISE_GAMMA * np.maximum(even_p, res3))
        tol_c = S * (float(np.sum(np.abs(w))) * sig_c / h + trunc0 * (hp / h) ** 2
                     + claimed_round) + S * eps * (np.abs(d + Mc) + np.abs(d))
        if self.rtol is not None:
            tol_p = float(self.rtol) * np.maximum(np.abs(d + Mp), np.abs(d))
            tol_c = float(self.rtol) * np.maximum(np.abs(d + Mc), np.abs(d))
        self.small = _Probe(u, d, d + Mp, tol_p)
        self.small_c1 = _Probe(u, d, d + Mc, tol_c)
        return noise

    def _verdict(self) -> CheckReport:
        probes = self.probes
        wrong_A = any(_ratio(p) > 1 for p in probes)
        if (wrong_A and not self.ambiguous and self.small is not None
                and not any(_ratio(p, loose=True) > 1 for p in probes)):
            # every mismatch is within what a jump of f'' at x explains (f once but not twice
            # differentiable there: ELU at 0, x|x|): the small-step slope, fitted with a t|t|
            # term, decides
            if _ratio(self.small_c1) <= 1:
                if self._uninformative([self.small_c1]):
                    return self._inconclusive([self.small_c1])
                return self._report(True, [self.small_c1], "f may not be twice "
                                    "differentiable at x: judged at a smaller step")
        if self.ambiguous and self.order == 2 and wrong_A:
            return self._not_checked(
                "f is not smooth near x (kinks within the step), so its second derivative "
                "cannot be measured there")
        if self.ambiguous and self.small is not None:
            # two explanations: f noisier than eps*|f| (trust the step-h numbers with the
            # larger noise) or kinks near x (trust only the small-step difference). Call the
            # derivative wrong only if both explanations say so.
            # the small-step slope, read both ways (B: plain; C: with a t|t| term)
            small = min((self.small, self.small_c1), key=_ratio)
            wrong_B = _ratio(small) > 1
            note = "f is not smooth at the scale of the step: also judged at a smaller step"
            if wrong_A and wrong_B:
                self.probes = [small]
                self.fell_back = True
                return self._report(False, [small], note)
            if wrong_A:
                # the step-h readings say WRONG; only the small-step reading can overrule them,
                # and only if it could have seen an error of the size they saw
                if self._uninformative([small]):
                    return self._inconclusive([small])
                return self._report(True, [small], note)
            if self._uninformative(probes) and not wrong_B and not self._uninformative([small]):
                # kinks within the step blur the step-h readings; the small step is sharper
                return self._report(True, [small], note)
            return self._report(True, probes)
        return self._report(not wrong_A, probes)

    # ------------------------------------------------------------------
    # more readings, for the diagnosis of a wrong first derivative (order 1 only)
    def _reading(self, u: np.ndarray, h: float, fv: list[np.ndarray], small: bool) -> _Probe:
        """The reading along u from f at x ± h u, x ± (h/2) u (``fv``), as in :meth:`run`; with
        ``small``, the plain central difference at h' instead (2 more evaluations), with the
        noise of its own points, as the small-step reading of the first direction."""
        S, f0, x64, eps = self.safety, self.f0, self.x64, self.eps
        rho = [v - f0 - self._model(_points(x64, self.dtype, u, t)[1])
               for v, t in zip(fv, (h, -h, h / 2, -h / 2), strict=True)]
        floor = float(np.max(np.abs(f0))) if f0.size > 1 else 0.0
        F = np.maximum.reduce([np.abs(f0)] + [np.abs(v) for v in fv])
        sig_th = self.eps_f * np.maximum(np.maximum(F, floor), self.cond)
        O1f, O2f = (fv[0] - fv[1]) / 2, (fv[2] - fv[3]) / 2
        E1, E2 = (fv[0] + fv[1]) / 2 - f0, (fv[2] + fv[3]) / 2 - f0
        trunc0 = np.abs((4.0 / 3.0) * (O1f - 2 * O2f)) / h
        d = self._apply(self.G, u)
        walk = np.sqrt(self._apply(self.G2, u * u))
        claimed_round = (self.eps_g * self._apply(self.absG, np.abs(u))
                         + _claim_slack(self.eps_g) * np.max(walk))
        if not small:
            O1, O2 = (rho[0] - rho[1]) / 2, (rho[2] - rho[3]) / 2
            n = d + (8 * O2 - O1) / (3 * h)
            sig = sig_th * self.noise_factor
            trunc = trunc0 * np.minimum(1.0, trunc0 / np.maximum(np.abs(n), 1e-300))
            tol = S * (3.0 / h * sig + trunc + claimed_round) + S * eps * (np.abs(n) + np.abs(d))
        else:
            hp = self.hp
            fps = [self.f_at(_points(x64, self.dtype, u, t)[0]) for t in (hp, -hp)]
            rps = [v - f0 - self._model(_points(x64, self.dtype, u, t)[1])
                   for v, t in zip(fps, (hp, -hp), strict=True)]
            lam = hp / h
            a2h2, a4h4 = (16 * E2 - E1) / 3.0, (4.0 / 3.0) * (E1 - 4 * E2)
            noise_B = np.abs((fps[0] + fps[1]) / 2 - f0 - a2h2 * lam ** 2 - a4h4 * lam ** 4)
            sig_B = np.maximum(sig_th, _NOISE_GAMMA * noise_B)
            n = d + ((rps[0] - rps[1]) / 2) / hp
            tol = S * (sig_B / hp + trunc0 * lam ** 2 + claimed_round) \
                + S * eps * (np.abs(n) + np.abs(d))
        if self.rtol is not None:
            tol = float(self.rtol) * np.maximum(np.abs(n), np.abs(d))
        return _Probe(u, d, n, tol, tol)

    def readings(self) -> list[_Probe]:
        """The readings the diagnosis should use: the verdict's, or after a fallback to the small
        step (which keeps one direction only), the small-step reading along every main
        direction (2 more evaluations each but the first)."""
        if not self.fell_back or self.order != 1:
            return list(self.probes)
        out = [self.small]
        for u, h, fv in self.raw[1:]:
            p = self._reading(u, h, fv, small=True)
            if not np.all(np.isfinite(p.n)):
                break
            out.append(p)
        return out

    def reading_along(self, u: np.ndarray) -> _Probe | None:
        """A reading along a new direction u (flattened, float64), at step h like the verdict's
        (4 evaluations of f), or at the small step after a fallback (6). None if f is not finite
        there."""
        if self.order != 1:
            return None
        h = self.h
        fv = [self.f_at(_points(self.x64, self.dtype, u, t)[0]) for t in (h, -h, h / 2, -h / 2)]
        if not all(np.all(np.isfinite(v)) for v in fv):
            return None
        p = self._reading(np.asarray(u, dtype=np.float64), h, fv, small=self.fell_back)
        return p if np.all(np.isfinite(p.n)) else None

    # ------------------------------------------------------------------
    def _rel(self, used: list[_Probe]) -> tuple[float, float]:
        worst = max(used, key=_ratio)
        ref = max(max(float(np.max(np.abs(q.n))), float(np.max(np.abs(q.d)))) for q in used)
        if ref == 0 or not np.isfinite(ref):
            ref = 1.0
        diff = np.abs(worst.n - worst.d)
        j = int(np.argmax(diff - worst.tol))
        return float(diff[j] / ref), float(worst.tol[j] / ref)

    def _report(self, ok: bool, used: list[_Probe], note: str = "") -> CheckReport:
        err, tol = self._rel(used)
        if ok and not tol <= _INFORMATIVE and (note or self._coarse()):
            return self._inconclusive(used, fallback=bool(note))
        return CheckReport(
            ok=bool(ok), verdict="OK" if ok else "WRONG", kind=self.kind, diagnosis=None,
            error=err, tolerance=tol, n_evals=self.ev.count, n_directions=self.k,
            dtype=str(self.dtype), note=note,
            details={"claimed": [p.d.copy() for p in self.probes],
                     "numerical": [p.n.copy() for p in self.probes],
                     "tolerance": [p.tol.copy() for p in self.probes],
                     "step": self.h})

    def _coarse(self) -> bool:
        """Whether f rounds coarsely: evaluated, or returning its values, below float64.

        Then a wide tolerance at step h is rounding, and an OK needs a tolerance narrow enough to
        see a 10 % error. (For f in float64 a wide tolerance at step h comes from the derivative
        itself being near zero, as x|x| at 0, where 10 % of it is below any resolution and the
        claim is judged on the absolute scale.)"""
        return self.eps_f > 1e3 * np.finfo(np.float64).eps

    def _uninformative(self, used: list[_Probe]) -> bool:
        """Whether the readings ``used`` are too noisy to tell a 10 % error from none."""
        err, tol = self._rel(used)
        return not tol <= _INFORMATIVE

    def _inconclusive(self, used: list[_Probe], fallback: bool = True) -> CheckReport:
        """Neither OK nor WRONG: the readings that could decide carry too little information.

        Args:
            used: the readings that would have decided.
            fallback: True when the step-h readings disagreed with the claim and ``used`` is
                the small-step reading that could have overruled them.
        """
        err, tol = self._rel(used)
        rep = self._report(False, used)   # ok=False: no second test of informativeness
        rep.verdict = "INCONCLUSIVE"
        if fallback:
            rep.diagnosis = (
                "f is too noisy at this point to tell: at the scale of the step it disagrees "
                "with the claim, and at a smaller step rounding hides an error of 10 % or more")
        else:
            rep.diagnosis = ("f is too noisy at this point to tell: its rounding hides an "
                             "error of 10 % or more in the claim")
        rep.note = (f"relative error {err:.1e}, but the tolerance is {tol:.1e}; evaluate f in "
                    "float64, or check at another point")
        return rep

    def _report_kink(self, left: float, right: float) -> CheckReport:
        return CheckReport(
            ok=False, verdict="NOT DIFFERENTIABLE", kind=self.kind,
            diagnosis="not differentiable here",
            note=(f"one-sided slopes along a random direction: {left:.3g} and {right:.3g}"),
            error=float("nan"), tolerance=float("nan"), n_evals=self.ev.count,
            n_directions=self.k, dtype=str(self.dtype),
            details={"one_sided_slopes": (float(left), float(right))})

    def _not_checked(self, why: str) -> CheckReport:
        return CheckReport(ok=False, verdict="NOT CHECKED", kind=self.kind, diagnosis=why,
                           error=float("nan"), tolerance=float("nan"), n_evals=self.ev.count,
                           n_directions=self.k, dtype=str(self.dtype))

