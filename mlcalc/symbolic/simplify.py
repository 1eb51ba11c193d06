"""Simplification: canonical constructors (``mk_*``) and :func:`simplify`, which rebuilds a tree
bottom-up with them until nothing changes.

What the constructors do, each rewrite exact:

* sums: flatten, drop zeros, fold numbers, collect like terms (``2A + 3A = 5A``), then
  factor a common right or left factor (``A x + Aᵀ x = (A + Aᵀ) x``);
* products: flatten chains, drop identities, pull numbers and scalar factors to the front
  (``A (c B) = c A B``), cancel ``X⁻¹ X = I`` and ``X X⁻¹ = I`` (inverses are square);
* transposes: ``(Aᵀ)ᵀ = A``, ``(AB)ᵀ = BᵀAᵀ``, and ``(A + B)ᵀ = Aᵀ + Bᵀ`` only when that removes
  transposes (``(A + Aᵀ)ᵀ = Aᵀ + A`` but ``(Xw - y)ᵀ`` stays), ``(X⁻¹)ᵀ`` kept as ``X⁻ᵀ``,
  the transpose of a scalar dropped;
* numbers: ``0`` terms and ``1`` factors vanish, constants fold, ``e¹ = e``.

Every rewrite makes the tree smaller or moves a node one way (transposes inward, numbers
outward), so :func:`simplify` terminates; it also stops after a fixed number of passes.
"""
from __future__ import annotations

from .expr import (
    ELEMENTWISE,
    SCALAR,
    Add,
    Const,
    Count,
    Diag,
    Div,
    Expr,
    Func,
    Identity,
    MatMul,
    Mul,
    Ones,
    Pow,
    Scale,
    T,
    Zero,
    count_nodes,
    has_diff,
)


def is_zero(e: Expr) -> bool:
    return isinstance(e, Zero) or (isinstance(e, Const) and e.value == 0)


def is_one(e: Expr) -> bool:
    return isinstance(e, Const) and e.value == 1


def split_coef(e: Expr) -> tuple:
    """``c * base`` -> ``(c, base)``; a plain number is ``(value, None)``."""
    if isinstance(e, Scale):
        return e.c, e.e
    if isinstance(e, Const):
        return e.value, None
    return 1.0, e


def zero_like(shape) -> Expr:
    return Const(0.0) if shape == SCALAR else Zero(shape)


# --------------------------------------------------------------------------------------------
# canonical constructors
# --------------------------------------------------------------------------------------------

def mk_scale(c: float, e: Expr) -> Expr:
    c = float(c)
    if c == 0 or is_zero(e):
        return zero_like(e.shape)
    if isinstance(e, Scale):
        return mk_scale(c * e.c, e.e)
    if isinstance(e, Const):
        return Const(c * e.value)
    if c == 1:
        return e
    return Scale(c, e)


def mk_add(terms) -> Expr:
    flat: list = []
    for t in terms:
        flat.extend(t.terms if isinstance(t, Add) else [t])
    shape = Add(tuple(flat)).shape if flat else SCALAR
    number = 0.0
    coefs: dict = {}
    order: list = []
    for t in flat:
        if is_zero(t):
            continue
        c, base = split_coef(t)
        if base is None:
            number += c
            continue
        if base not in coefs:
            order.append(base)
            coefs[base] = 0.0
        coefs[base] += c
    items = _common_denominators([(coefs[b], b) for b in order if coefs[b] != 0])
    items = _factor(items, side=-1)
    items = _factor(items, side=0)
    out = [mk_scale(c, b) for c, b in items]
    if number != 0:
        out.insert(0, Const(number))
    if not out:
        return zero_like(shape)
    if len(out) == 1:
        return out[0] if out[0].shape == shape else _broadcast_to(out[0], shape)
    return Add(tuple(out))


def _broadcast_to(e: Expr, shape) -> Expr:
    """A scalar left alone in a non-scalar sum: ``c 1`` keeps the sum's shape."""
    if e.shape == shape:
        return e
    return mk_mul(e, Ones(shape))


def _common_denominators(items: list) -> list:
    """``a / s + b / s = (a + b) / s`` for a scalar ``s``."""
    groups: dict = {}
    for i, (_, b) in enumerate(items):
        if isinstance(b, Div) and b.b.shape == SCALAR:
            groups.setdefault(b.b, []).append(i)
    out: list = []
    done: set = set()
    for i, (c, b) in enumerate(items):
        if i in done:
            continue
        members = groups.get(b.b, []) if isinstance(b, Div) and b.b.shape == SCALAR else []
        if len(members) < 2:
            out.append((c, b))
            continue
        done.update(members)
        num = mk_add([mk_scale(items[j][0], items[j][1].a) for j in members])
        out.append((1.0, mk_div(num, b.b)))
    return out


def _factor(items: list, side: int) -> list:
    """Factor a common last (``side=-1``) or first (``side=0``) product factor out of terms."""
    groups: dict = {}
    for i, (_, b) in enumerate(items):
        if isinstance(b, MatMul):
            groups.setdefault(b.factors[side], []).append(i)
    done: set = set()
    out: list = []
    for i, (c, b) in enumerate(items):
        if i in done:
            continue
        key = b.factors[side] if isinstance(b, MatMul) else None
        members = groups.get(key, []) if key is not None else []
        if len(members) < 2:
            out.append((c, b))
            continue
        rests = []
        for j in members:
            cj, bj = items[j]
            fs = bj.factors[:-1] if side == -1 else bj.factors[1:]
            rests.append((cj, mk_matmul(fs)))
            done.add(j)
        common = rests[0][0]
        if all(cj == common for cj, _ in rests):
            inner = mk_add([r for _, r in rests])
        else:
            common = 1.0
            inner = mk_add([mk_scale(cj, r) for cj, r in rests])
        fs = [inner, key] if side == -1 else [key, inner]
        out.append((common, mk_matmul(fs)))
    return out


def _is_scalar_factor(e: Expr) -> bool:
    return e.shape == SCALAR


def mk_matmul(factors) -> Expr:
    fs: list = []
    for f in factors:
        fs.extend(f.factors if isinstance(f, MatMul) else [f])
    if not fs:
        raise ValueError("empty product")
    shape = (fs[0].shape[0], fs[-1].shape[1])
    if any(is_zero(f) for f in fs):
        return zero_like(shape)
    coef = 1.0
    scalars: list = []
    divisors: list = []
    rest: list = []
    for f in fs:
        c, base = split_coef(f)
        coef *= c
        if base is None:
            continue
        if isinstance(base, Mul) and base.a.shape == SCALAR and base.b.shape != SCALAR:
            scalars.append(base.a)
            base = base.b
        if isinstance(base, Div) and base.b.shape == SCALAR and base.a.shape != SCALAR:
            divisors.append(base.b)
            base = base.a
        rest.append(base)
    # scalar (1, 1) factors of a longer chain commute out of it
    if len(rest) > 1:
        keep = [f for f in rest if not _is_scalar_factor(f)]
        if keep:
            scalars += [f for f in rest if _is_scalar_factor(f)]
            rest = keep
    rest = [f for f in rest if not isinstance(f, Identity)] or (
        [Identity(shape[0])] if shape[0] == shape[1] and shape != SCALAR else [])
    rest, found = _ones_scalars(rest)
    scalars += found
    rest = _merge_diagonals(_cancel_inverses(rest, shape))
    if not rest:
        core: Expr = Const(1.0)
    elif len(rest) == 1:
        core = rest[0]
    else:
        core = MatMul(tuple(rest))
    for s in reversed(scalars):
        core = mk_mul(s, core)
    for q in divisors:
        core = mk_div(core, q)
    return mk_scale(coef, core)


def _ones_scalars(fs: list) -> tuple:
    """Scalars inside a chain with all-ones factors, pulled out: a matrix of ones is
    ``1 1ᵀ``, so ``1_{m×N} o = (1ᵀ o) 1``; ``1ᵀ 1 = n``. Returns ``(chain, scalars)``."""
    if len(fs) < 2 or not any(isinstance(f, Ones) for f in fs):
        return fs, []
    out: list = []
    for f in fs:
        r, c = f.shape
        if isinstance(f, Ones) and r != 1 and c != 1:
            out += [Ones((r, 1)), Ones((1, c))]
        else:
            out.append(f)
    scalars: list = []
    i = 0
    while i < len(out):
        f = out[i]
        span = None
        if isinstance(f, Ones) and f.shape[0] == 1:  # 1ᵀ ... up to the next column
            j = next((j for j in range(i + 1, len(out)) if out[j].shape[1] == 1), None)
            span = None if j is None else (i, j)
        elif isinstance(f, Ones) and f.shape[1] == 1 and i > 0:  # back to the last row
            k = next((k for k in range(i - 1, -1, -1) if out[k].shape[0] == 1), None)
            span = None if k is None else (k, i)
        if span is None or span == (0, len(out) - 1):
            i += 1
            continue
        a, b = span
        sub = out[a:b + 1]
        scalars.append(count(sub[0].dims) if len(sub) == 2 and all(
            isinstance(g, Ones) for g in sub) else mk_matmul(sub))
        out = out[:a] + out[b + 1:]
        i = a
    if len(out) == 2 and all(isinstance(g, Ones) for g in out) and out[0].shape[0] == 1:
        return [], scalars + [count(out[1].dims)]  # 1ᵀ 1 = n
    return out, scalars


def _inverse_pair(a: Expr, b: Expr) -> bool:
    if isinstance(a, Func) and a.name == "inv" and a.a == b:
        return True
    if isinstance(b, Func) and b.name == "inv" and b.a == a:
        return True
    if isinstance(a, T) and isinstance(b, T):
        return _inverse_pair(a.a, b.a)
    return False


def _merge_diagonals(fs: list) -> list:
    """``diag(a) diag(b) = diag(a ⊙ b)``."""
    out: list = []
    for f in fs:
        if out and isinstance(f, Diag) and isinstance(out[-1], Diag):
            out[-1] = Diag(mk_mul(out[-1].a, f.a))
        else:
            out.append(f)
    return out


def _cancel_inverses(fs: list, shape) -> list:
    changed = True
    while changed and len(fs) >= 2:
        changed = False
        for i in range(len(fs) - 1):
            if _inverse_pair(fs[i], fs[i + 1]):
                fs = fs[:i] + fs[i + 2:]
                changed = True
                break
    if not fs and shape != SCALAR:
        fs = [Identity(shape[0])]
    return fs


def mk_mul(a: Expr, b: Expr) -> Expr:
    """Elementwise product; scalar operands broadcast and go first."""
    shape = Mul(a, b).shape
    if is_zero(a) or is_zero(b):
        return zero_like(shape)
    ca, a = split_coef(a)
    cb, b = split_coef(b)
    c = ca * cb
    if a is None and b is None:
        return Const(c)
    if a is None:
        return mk_scale(c, _broadcast_to(b, shape))
    if b is None:
        return mk_scale(c, _broadcast_to(a, shape))
    if isinstance(a, Ones) and b.shape == shape:
        return mk_scale(c, b)
    if isinstance(b, Ones) and a.shape == shape:
        return mk_scale(c, a)
    for p, q in ((a, b), (b, a)):  # (s 1) ⊙ B = s B
        if _is_broadcast(p) and q.shape == shape:
            return mk_scale(c, mk_mul(p.a, q))
    if a == b:
        return mk_scale(c, mk_pow(a, 2.0))
    for p, q in ((a, b), (b, a)):
        if isinstance(p, Pow) and p.a == q:
            return mk_scale(c, mk_pow(q, p.p + 1.0))
        r = _reciprocal(p)
        if r is not None and (q.shape == shape or r.shape == SCALAR):
            return mk_scale(c, mk_div(_broadcast_to(q, shape), r))
    if b.shape == SCALAR and (a.shape != SCALAR or (has_diff(a) and not has_diff(b))
                              or (isinstance(b, Count) and not isinstance(a, Count))):
        a, b = b, a  # scalars first; of two scalars, a count first and the differential last
    if a.shape == SCALAR and b.shape != SCALAR:
        if isinstance(b, Mul) and b.a.shape == SCALAR and b.b.shape != SCALAR:
            return mk_scale(c, Mul(mk_mul(a, b.a), b.b))
    return mk_scale(c, Mul(a, b))


def mk_div(a: Expr, b: Expr) -> Expr:
    shape = Div(a, b).shape
    if is_zero(a):
        return zero_like(shape)
    if isinstance(b, Const):
        return mk_scale(1.0 / b.value, _broadcast_to(a, shape))
    ca, base = split_coef(a)
    if isinstance(b, Scale):
        return mk_scale(ca / b.c, mk_div(base if base is not None else Const(1.0), b.e))
    if base is None:
        return mk_scale(ca, Div(Const(1.0) if shape == SCALAR else Ones(shape), b))
    if base == b:
        return mk_scale(ca, Const(1.0) if shape == SCALAR else Ones(shape))
    if isinstance(base, Div) and base.b.shape == SCALAR and b.shape == SCALAR:
        return mk_scale(ca, mk_div(base.a, mk_mul(base.b, b)))
    return mk_scale(ca, Div(base, b))


def _is_broadcast(e: Expr) -> bool:
    """``s 1``: a scalar times the all-ones array."""
    return isinstance(e, Mul) and e.a.shape == SCALAR and isinstance(e.b, Ones)


def _reciprocal(e: Expr):
    """``q`` when ``e`` is ``1 ⊘ q`` (``1`` a number or all ones), else None."""
    if isinstance(e, Div) and (is_one(e.a) or isinstance(e.a, Ones)):
        return e.b
    return None


def mk_pow(a: Expr, p: float) -> Expr:
    p = float(p)
    if p == 1:
        return a
    if p == 0:
        return Const(1.0) if a.shape == SCALAR else Ones(a.shape)
    if isinstance(a, Const):
        return Const(a.value ** p)
    if isinstance(a, Pow) and float(p).is_integer():
        return mk_pow(a.a, a.p * p)
    return Pow(a, p)


def transpose(e: Expr, force: bool = False) -> Expr:
    """``eᵀ`` pushed inward where that does not add transposes (always with ``force``)."""
    if e.shape == SCALAR and not isinstance(e, (MatMul, Add, Scale)):
        return e
    if isinstance(e, T):
        return e.a
    if isinstance(e, (Identity, Diag)):
        return e
    if isinstance(e, Ones):
        return Ones((e.dims[1], e.dims[0]))
    if isinstance(e, Zero):
        return Zero((e.dims[1], e.dims[0]))
    if isinstance(e, Scale):
        return mk_scale(e.c, transpose(e.e, force))
    if isinstance(e, Mul) and e.a.shape == SCALAR:
        return mk_mul(e.a, transpose(e.b, force))
    if isinstance(e, Div) and e.b.shape == SCALAR:
        return mk_div(transpose(e.a, force), e.b)
    if isinstance(e, Func) and e.name == "inv" and isinstance(e.a, T):
        return Func("inv", e.a.a)
    if isinstance(e, Func) and e.name == "inv" and transpose(e.a) == e.a:
        return e  # the inverse of a symmetric product (Xᵀ X) is symmetric
    candidate = None
    if isinstance(e, MatMul):
        candidate = mk_matmul([transpose(f, force) for f in reversed(e.factors)])
    elif isinstance(e, Add):
        candidate = mk_add([transpose(t, force) for t in e.terms])
    elif force and isinstance(e, (Mul, Div)):
        candidate = e.rebuild(tuple(transpose(k, force) for k in e.children()))
    elif force and isinstance(e, Pow):
        candidate = Pow(transpose(e.a, force), e.p)
    elif force and isinstance(e, Func) and e.name in ELEMENTWISE:
        candidate = Func(e.name, transpose(e.a, force))
    if candidate is not None and (force or isinstance(e, MatMul)
                                  or count_nodes(candidate, T) <= count_nodes(e, T)):
        return candidate
    return T(e)


def count(dims) -> Expr:
    """The number of entries of shape ``dims``: a number when both sizes are ints."""
    if all(isinstance(d, int) for d in dims):
        return Const(float(dims[0] * dims[1]))
    return Count(tuple(dims))


def mk_func(name: str, a: Expr) -> Expr:
    if name == "tr":
        if a.shape == SCALAR:
            return a
        c, base = split_coef(a)
        if c != 1:
            return mk_scale(c, mk_func("tr", base))
        if isinstance(a, T):
            return mk_func("tr", a.a)
        if isinstance(a, Mul) and a.a.shape == SCALAR:
            return mk_mul(a.a, mk_func("tr", a.b))
        if isinstance(a, Add):
            return mk_add([mk_func("tr", t) for t in a.terms])
        if isinstance(a, Ones):  # tr(1 1ᵀ) = n
            return count((a.dims[0], 1))
        if isinstance(a, MatMul) and any(isinstance(f, Ones) for f in a.factors):
            fs = a.factors  # cyclic, to a scalar chain: tr(A 1 1ᵀ) = 1ᵀ A 1
            if fs[-1].shape[0] == 1:
                return mk_matmul([fs[-1], *fs[:-1]])
            if fs[0].shape[1] == 1:
                return mk_matmul([*fs[1:], fs[0]])
        return Func("tr", a)
    if name == "sum":
        if a.shape == SCALAR:
            return a
        c, base = split_coef(a)
        if c != 1:
            return mk_scale(c, mk_func("sum", base))
        if isinstance(a, Ones):  # sum(1) = the number of entries
            return count(a.dims)
        if isinstance(a, Mul) and (a.a.shape == SCALAR) != (a.b.shape == SCALAR):
            s, rest = (a.a, a.b) if a.a.shape == SCALAR else (a.b, a.a)
            return mk_mul(s, mk_func("sum", rest))  # sum(s B) = s sum(B)
        if isinstance(a, Div) and a.b.shape == SCALAR:
            return mk_div(mk_func("sum", a.a), a.b)
        if isinstance(a, Add):  # a scalar term of an array sum stands for s 1
            return mk_add([mk_func("sum", t) if t.shape == a.shape else
                           mk_mul(t, count(a.shape)) for t in a.terms])
        return Func("sum", a)
    if name in ("det", "logdet") and isinstance(a, T):
        return mk_func(name, a.a)
    if name == "inv":
        if isinstance(a, T):
            return transpose(mk_func("inv", a.a))
        if isinstance(a, Func) and a.name == "inv":
            return a.a
        if isinstance(a, Identity):
            return a
        if isinstance(a, Scale):
            return mk_scale(1.0 / a.c, mk_func("inv", a.e))
    return Func(name, a)


# --------------------------------------------------------------------------------------------
# whole-tree simplification
# --------------------------------------------------------------------------------------------

def _step(e: Expr) -> Expr:
    kids = tuple(_step(k) for k in e.children())
    if isinstance(e, Add):
        return mk_add(kids)
    if isinstance(e, Scale):
        return mk_scale(e.c, kids[0])
    if isinstance(e, MatMul):
        return mk_matmul(kids)
    if isinstance(e, Mul):
        return mk_mul(*kids)
    if isinstance(e, Div):
        return mk_div(*kids)
    if isinstance(e, Pow):
        return mk_pow(kids[0], e.p)
    if isinstance(e, T):
        return transpose(kids[0])
    if isinstance(e, Func):
        return mk_func(e.name, kids[0])
    if isinstance(e, Diag):
        return Diag(kids[0])
    return e


def simplify(e: Expr, passes: int = 8) -> Expr:
    """Rebuild ``e`` with the canonical constructors until it stops changing."""
    for _ in range(passes):
        new = _step(e)
        if new == e:
            return new
        e = new
    return e


__all__ = ["simplify", "mk_add", "mk_scale", "mk_matmul", "mk_mul", "mk_div", "mk_pow",
           "mk_func", "transpose", "is_zero", "tidy"]


def tidy(e: Expr) -> Expr:
    """Display form of a parsed tree: flatten products and move numbers to the front, nothing
    else (``(0.5 aᵀ) B c`` -> ``0.5 aᵀ B c``), so the input prints as typed."""
    kids = tuple(tidy(k) for k in e.children())
    if isinstance(e, MatMul):
        coef, fs = 1.0, []
        for f in kids:
            if isinstance(f, Scale):
                coef, f = coef * f.c, f.e
            fs.extend(f.factors if isinstance(f, MatMul) else [f])
        core = MatMul(tuple(fs))
        return core if coef == 1 else Scale(coef, core)
    if isinstance(e, Scale) and isinstance(kids[0], Scale):
        return Scale(e.c * kids[0].c, kids[0].e)
    return e.rebuild(kids) if kids else e
