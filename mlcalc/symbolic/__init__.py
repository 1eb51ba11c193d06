"""mlcalc.symbolic: matrix calculus by the differential method, with its steps, every result
verified numerically before it is returned.

    >>> from mlcalc.symbolic import derive
    >>> r = derive("x.T @ A @ x", wrt="x", shapes={"x": ("n",), "A": ("n", "n")})
    >>> r.latex
    '(A + A^{\\\\top}) \\\\mathbf{x}'

Modules, one concept each: :mod:`.expr` (tree nodes with shapes), :mod:`.parse` (Python syntax
to a tree), :mod:`.differential` (d(·) by the rules), :mod:`.gradient` (rearranging df into
⟨G, dX⟩ or J dx), :mod:`.simplify`, :mod:`.printing` (LaTeX and text), :mod:`.evaluate` (numpy),
:mod:`.verify` (the numerical check) and :mod:`.derive` (the public :func:`derive`).
"""
from .derive import Derivation, derive
from .parse import FUNCTION_NAMES
from .verify import VerificationError

__all__ = ["Derivation", "FUNCTION_NAMES", "VerificationError", "derive"]
