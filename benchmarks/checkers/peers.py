"""Adapters: run each derivative checker on a claimed derivative and return its verdict.

Every adapter takes ``(case, claimed)`` and returns ``(ok, diagnosis)``; the runner counts
evaluations of ``f`` (through a counting wrapper) and measures wall time.

How a *claimed* derivative is fed to each peer (the documented way to check a hand-written
derivative in each library):

* ``scipy.optimize.check_grad(func, grad, x0)``: gradients only (x flattened); returns a number,
  so the verdict rule is ours: ``err <= 1e-5 * max(1, ‖reference‖)``, where the reference is the
  claimed gradient (``direction='all'``) or the claimed directional derivative
  (``direction='random'``, seeded). Default ``epsilon`` (1.49e-8) as users call it.
* ``torch.autograd.gradcheck``: f wrapped in a ``torch.autograd.Function`` whose ``forward``
  calls the numpy ``f`` and whose ``backward`` multiplies by the claimed derivative; default
  ``eps=1e-6, atol=1e-5, rtol=1e-3``; ``fast_mode`` False (slow) and True (fast). After a failed
  fast check torch recomputes the whole Jacobian in slow mode just for its error message; that
  message-only rerun is switched off (it does not change the verdict).
* ``jax.test_util.check_grads(F, (x,), order=1, modes=["rev"])`` with x64 enabled: F is a
  ``jax.custom_vjp`` function whose primal calls the numpy ``f`` through ``jax.pure_callback`` and
  whose VJP uses the claimed derivative; default ``eps`` and tolerances.
* ``autograd.test_util.check_grads(F, modes=["rev"], order=1)``: F is an ``autograd.extend``
  primitive whose VJP uses the claimed derivative; default tolerances; numpy's global RNG (which
  autograd uses for its random directions) is seeded with 0 first.

mlcalc runs twice in float32: by default (``promote=True``) it evaluates f at float64 copies of
the float32 points, because every catalogue f follows its input's precision; the row
``mlcalc, promote=False`` evaluates f in float32 only, as the peers do in their float32 runs.

A Hessian is checked by the peers as the Jacobian of the (correct) gradient function, the way
those libraries check second derivatives; ``mlcalc.check_hessian`` is given only ``f``.
"""

from __future__ import annotations

import warnings

import numpy as np


def _target(case):
    """The function whose Jacobian the claimed array is, for the peers."""
    return case.grad if case.kind == "hessian" else case.f


def _out_shape(case, claimed):
    """Shape of the target's output, read off the claimed derivative (no extra evaluation)."""
    return claimed.shape[:claimed.ndim - case.x.ndim]


def run_mlcalc(case, claimed, promote=True):
    from mlcalc import check_grad, check_hessian, check_jacobian

    fn = {"gradient": check_grad, "jacobian": check_jacobian, "hessian": check_hessian}[case.kind]
    rep = fn(case.f, claimed, case.x, promote=promote)
    return (bool(rep), rep.diagnosis, rep.details.get("n_evals_verdict", rep.n_evals),
            rep.verdict)


def run_mlcalc_native(case, claimed):
    """mlcalc with promote=False: f evaluated in x's own dtype (differs only for float32)."""
    if case.x.dtype == np.float64:
        return None
    return run_mlcalc(case, claimed, promote=False)


def _scipy(case, claimed, direction):
    from scipy.optimize import check_grad

    if case.kind != "gradient":
        return None
    shape = case.x.shape
    g = claimed.reshape(-1)

    def func(z):
        return case.f(z.reshape(shape))

    def grad(z):
        return g

    kw = {"direction": direction}
    if direction == "random":
        kw["rng"] = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        err = check_grad(func, grad, case.x.reshape(-1).copy(), **kw)
    if direction == "random":
        v = np.random.default_rng(0).standard_normal(case.x.size)
        ref = abs(float(np.dot(g.astype(np.float64), v)))
    else:
        ref = float(np.linalg.norm(g.astype(np.float64)))
    return bool(err <= 1e-5 * max(1.0, ref)), None


def run_scipy_all(case, claimed):
    return _scipy(case, claimed, "all")


def run_scipy_random(case, claimed):
    return _scipy(case, claimed, "random")


def _torch(case, claimed, fast):
    import sys

    import torch

    # After a failed fast-mode check, torch recomputes both Jacobians in slow mode (2n
    # evaluations) only to print them in its error message; the verdict is already decided.
    # With raise_exception=False the message is discarded, so that rerun is switched off here.
    sys.modules["torch.autograd.gradcheck"]._run_slow_mode_and_get_error = (
        lambda *args, **kwargs: "")

    fn = _target(case)
    x = case.x
    m = int(np.prod(_out_shape(case, claimed), dtype=int))
    J = torch.as_tensor(claimed.reshape(m, x.size))

    class F(torch.autograd.Function):
        @staticmethod
        def forward(ctx, xt):
            y = np.asarray(fn(xt.detach().numpy()), dtype=x.dtype)
            return torch.as_tensor(y.copy())

        @staticmethod
        def backward(ctx, go):
            return (go.reshape(1, m) @ J).reshape(x.shape)

    xt = torch.tensor(x.copy(), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ok = torch.autograd.gradcheck(F.apply, (xt,), raise_exception=False,
                                          fast_mode=fast)
        except Exception:      # gradcheck raises for some float32 inputs instead of returning
            ok = False
    return bool(ok), None


def run_torch_slow(case, claimed):
    return _torch(case, claimed, False)


def run_torch_fast(case, claimed):
    return _torch(case, claimed, True)


def run_jax(case, claimed):
    import jax
    import jax.numpy as jnp
    from jax.test_util import check_grads

    jax.config.update("jax_enable_x64", True)
    fn = _target(case)
    x = case.x
    dt = x.dtype
    shape_out = _out_shape(case, claimed)
    m = int(np.prod(shape_out, dtype=int))
    J = claimed.reshape(m, x.size)
    spec = jax.ShapeDtypeStruct(shape_out, dt)

    def primal(z):
        return np.asarray(fn(np.asarray(z)), dtype=dt).reshape(shape_out)

    @jax.custom_vjp
    def F(z):
        return jax.pure_callback(primal, spec, z)

    def fwd(z):
        return F(z), None

    def bwd(_, ct):
        back = jax.pure_callback(
            lambda c: (np.asarray(c).reshape(1, m) @ J).reshape(x.shape).astype(dt),
            jax.ShapeDtypeStruct(x.shape, dt), ct)
        return (back,)

    F.defvjp(fwd, bwd)
    try:
        check_grads(F, (jnp.asarray(x),), order=1, modes=["rev"])
        return True, None
    except AssertionError:
        return False, None


def run_autograd(case, claimed):
    from autograd.extend import defvjp, primitive
    from autograd.test_util import check_grads

    fn = _target(case)
    x = case.x
    m = int(np.prod(_out_shape(case, claimed), dtype=int))
    J = claimed.reshape(m, x.size)

    @primitive
    def F(z):
        return fn(z)

    defvjp(F, lambda ans, z: lambda ct: (np.reshape(ct, (1, m)) @ J).reshape(z.shape))
    np.random.seed(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            check_grads(F, modes=["rev"], order=1)(x)
        return True, None
    except AssertionError:
        return False, None


PEERS = {
    "mlcalc": run_mlcalc,
    "mlcalc, promote=False": run_mlcalc_native,
    "scipy check_grad (all)": run_scipy_all,
    "scipy check_grad (random)": run_scipy_random,
    "torch gradcheck (slow)": run_torch_slow,
    "torch gradcheck (fast)": run_torch_fast,
    "jax check_grads": run_jax,
    "autograd check_grads": run_autograd,
}

# evaluations grow with n: at the largest n these are estimated, not run, when too slow
GROWS_WITH_N = {"scipy check_grad (all)", "torch gradcheck (slow)"}
