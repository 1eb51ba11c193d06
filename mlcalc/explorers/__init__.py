"""Ready-made explorers for the chapters, built on :func:`mlcalc.widgets.explore`.

Each function returns an :class:`~mlcalc.widgets.Explorer`; make it the last expression of a
notebook cell. Every parameter spec can be overridden with the same forms ``explore`` takes
(``(lo, hi, step)``, ``(lo, hi, step, default)`` or a list of values), e.g.
``tangent_explorer(x0=(-1.0, 1.0, 0.5))``. The numbers are computed with numpy here, so the
explorers do not depend on other mlcalc modules.

One module per chapter group: :mod:`.calculus` (derivatives, gradients, jacobians),
:mod:`.curvature` (hessians), :mod:`.activations` (activations, losses) and :mod:`.models`
(linear models, likelihood); :mod:`._common` holds their shared helpers. Every frame's plot
states its slider values and a number of the state it shows, in a title or label, so a test
can read that frame k shows state k: :mod:`.frames` reads the text a frame draws, for any
explorer (``tests/test_explorer_frames.py``).

| explorer | chapter | sliders |
| --- | --- | --- |
| :func:`tangent_explorer` | derivatives | point x0 |
| :func:`directional_derivative_explorer` | gradients | point, direction angle |
| :func:`linear_approximation_explorer` | jacobians | point (x0, y0), patch radius |
| :func:`quadratic_form_explorer` | hessians | entries a11, a12 (= a21), a22 |
| :func:`gradient_descent_explorer` | hessians / linear models | learning rate, steps |
| :func:`activation_explorer` | activations | function, point x0 |
| :func:`softmax_temperature_explorer` | activations / losses | temperature T |
| :func:`logistic_regression_explorer` | linear models | method, iteration |
| :func:`map_mle_explorer` | likelihood | prior width tau, sample size n |
"""

from __future__ import annotations

from .activations import activation_explorer, softmax_temperature_explorer
from .calculus import (
    directional_derivative_explorer,
    linear_approximation_explorer,
    tangent_explorer,
)
from .curvature import gradient_descent_explorer, quadratic_form_explorer
from .models import logistic_regression_explorer, map_mle_explorer

__all__ = [
    "activation_explorer",
    "directional_derivative_explorer",
    "gradient_descent_explorer",
    "linear_approximation_explorer",
    "logistic_regression_explorer",
    "map_mle_explorer",
    "quadratic_form_explorer",
    "softmax_temperature_explorer",
    "tangent_explorer",
]
