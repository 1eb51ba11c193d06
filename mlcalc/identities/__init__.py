"""The registry of every derivative identity the book states, each one verified by code.

Each identity is a small declarative record (:class:`Identity`): an id, the statement in plain
LaTeX (in the book's convention: numerator-layout Jacobians, gradients with the shape of the
variable), the function ``f``, the claimed derivative, a generator of random inputs, the argument
differentiated, conditions such as "A symmetric", and the chapter that derives it. Where a wrong
form circulates (in lecture notes, quick-reference sheets or older books), it is kept as the
identity's :class:`CommonMistake`, and :func:`refute_mistake` proves it wrong with numbers.

Every ``f`` and every claimed derivative is written with ``autograd.numpy`` directly (not with the
other ``mlcalc`` modules), so the registry is an independent statement of the formulas and autograd
can serve as the reference. :func:`verify` compares the claimed derivative with autograd, with
central differences and with ``mlcalc``'s checker at several random inputs whose shapes are drawn
afresh each time (square matrices non-symmetric unless a condition says otherwise, rectangular
matrices with ``m != n``).

Kinds of identity and the shape of the claimed derivative (autograd shapes):

==================== ====================================================================
``"derivative"``     ``f`` acts elementwise on a 1-D array of points; the claimed ``f'`` has
                     the same shape (a scalar derivative evaluated at many points at once).
``"second-derivative"`` the same for ``f''``.
``"gradient"``       scalar ``f`` of a vector; the gradient has the vector's shape.
``"matrix-gradient"`` scalar ``f`` of a matrix ``X``; the gradient has ``X``'s shape.
``"jacobian"``       array-valued ``f``; shape ``f(x).shape + x.shape`` (numerator layout).
``"hessian"``        scalar ``f``; shape ``x.shape + x.shape``.
==================== ====================================================================

Example:
    >>> import numpy as np
    >>> from mlcalc.identities import get_identity, verify
    >>> ident = get_identity("grad-quadratic-form")
    >>> verify(ident, rng=np.random.default_rng(0))
    True
"""

# The package: the machinery (records, random inputs, formula helpers, registry, verification,
# rendering) in the underscored modules; the entries, one module per chapter, in ``entries``.
# Imports go one way: the entries import the machinery, never the reverse; this module imports
# ``entries`` once, which registers every entry in book order.

from __future__ import annotations

from . import entries  # noqa: F401  (registers the entries, chapter by chapter, in book order)
from ._formulas import _unvec, _vec  # noqa: F401  (used by tests)
from ._inputs import _parse, _shape_text, _Spec  # noqa: F401  (used by tests)
from ._records import CHAPTERS, KINDS, CommonMistake, Condition, Identity
from ._registry import _registered, get_identity, identities_for
from ._render import (  # noqa: F401  (CHAPTER_FILES and chapter_link: public, not in __all__)
    CHAPTER_FILES,
    chapter_link,
    render_markdown,
    render_reference_tables,
)
from ._verify import refute_mistake, verify, verify_all, verify_all_identities, verify_identity

__all__ = [
    "CHAPTERS",
    "KINDS",
    "CommonMistake",
    "Condition",
    "IDENTITIES",
    "Identity",
    "get_identity",
    "identities_for",
    "refute_mistake",
    "render_markdown",
    "render_reference_tables",
    "verify",
    "verify_all",
    "verify_all_identities",
    "verify_identity",
]

#: Every identity of the book, in chapter order (a tuple of :class:`Identity`).
IDENTITIES: tuple[Identity, ...] = _registered()
