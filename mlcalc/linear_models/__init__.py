"""Linear models: losses in the weights, their gradients and Hessians, closed forms and solvers.

Models: ordinary least squares (OLS), ridge, lasso, logistic regression (plain and
L2-regularised) and linear discriminant analysis (LDA).

Conventions (the same for every model in this module):

* ``X`` is the design matrix, shape ``(n, d)``: one row per sample. ``y`` has shape ``(n,)``.
  The weights ``w`` have shape ``(d,)``. There is no separate intercept: add a column of ones
  with :func:`add_intercept` (note that the penalty of ridge, lasso and regularised logistic
  regression then also acts on the intercept weight).
* **Every loss is the textbook sum objective divided by n** (a mean over samples)::

      ols_loss(w)    = (1/n) * ( 1/2 ||Xw - y||^2 )
      ridge_loss(w)  = (1/n) * ( 1/2 ||Xw - y||^2 + lam/2 ||w||^2 )
      lasso_loss(w)  = (1/n) * ( 1/2 ||Xw - y||^2 + lam   ||w||_1 )
      logreg_loss(w) = (1/n) * ( sum_i [-y_i log s_i - (1-y_i) log(1-s_i)] + lam/2 ||w||^2 ),
                       s = sigmoid(Xw), labels y_i in {0, 1}

  so gradients and Hessians carry the factor 1/n (``ols_grad = X^T (Xw - y) / n``,
  ``logreg_grad = (X^T (sigmoid(Xw) - y) + lam w) / n``, ``logreg_hessian = (X^T D X + lam I) / n``
  with ``D = diag(s_i (1 - s_i))``). Dividing by n does not move the minimiser, so ``lam`` is the
  classic penalty of the sum objective: the ridge normal equations read
  ``(X^T X + lam I) w = X^T y`` and a Gaussian prior N(0, tau2 I) with noise variance sigma2
  gives ``lam = sigma2 / tau2`` (see :mod:`mlcalc.likelihoods`). The mean keeps gradient
  sizes, and hence good step sizes, independent of n.

  The same models in scikit-learn (all with ``fit_intercept=False``)::

      OLS    LinearRegression()
      ridge  Ridge(alpha=lam)                      # sklearn: ||y - Xw||^2 + alpha ||w||^2
      lasso  Lasso(alpha=lam / n)                  # sklearn: ||y - Xw||^2 / (2n) + alpha ||w||_1
      logreg LogisticRegression(C=1 / lam)         # sklearn: C * sum(log-loss) + ||w||^2 / 2
             LogisticRegression(C=numpy.inf)       # lam = 0
      LDA    LinearDiscriminantAnalysis(solver="lsqr")   # same (w, b) as lda_fit

* Kink convention (lasso): the subgradient of ``|w_j|`` at ``w_j = 0`` is taken as
  ``sign(0) = 0``, the same value autograd returns for ``abs``. :func:`lasso_min_norm_subgrad`
  returns the minimum-norm element of the subdifferential instead, which is zero exactly at a
  minimiser.
* Closed forms are solved with ``lstsq`` / ``solve``, never with an explicit inverse.
* Solvers (:func:`gradient_descent`, :func:`newton`, :func:`lasso_ista`,
  :func:`lasso_coordinate_descent`) return **all iterates** as an array whose first axis is the
  iteration, so a chapter can plot the path. Iterates are float64.
* The logistic losses use a numerically stable ``softplus`` (``log(1 + e^z)`` via
  ``logaddexp``) and a stable sigmoid, so ``|Xw|`` of 1000 gives finite values and no
  ``RuntimeWarning``. They are private helpers of this module.
* Losses are written with ``autograd.numpy``: autograd can differentiate them with respect to
  ``w``. Inputs are never modified. Bad input raises ``ValueError`` naming the argument and the
  expected shape or range; arrays are never silently broadcast (``y`` of shape ``(n, 1)`` is an
  error, not an ``(n, n)`` residual).

The module is a package, one module per model: :mod:`.least_squares` (OLS and ridge),
:mod:`.lasso`, :mod:`.logistic`, :mod:`.lda`, :mod:`.solvers` (gradient descent, Newton),
:mod:`.features` (design matrices); :mod:`._validate` checks the arguments. Import the names
from here (``from mlcalc.linear_models import ridge_fit``).
"""

from __future__ import annotations

from .features import add_intercept, polynomial_features
from .lasso import (
    lasso_coordinate_descent,
    lasso_fit,
    lasso_ista,
    lasso_loss,
    lasso_min_norm_subgrad,
    lasso_subgrad,
    soft_threshold,
)
from .lda import lda_class_stats, lda_discriminants, lda_fit, lda_predict
from .least_squares import (
    ols_fit,
    ols_grad,
    ols_hessian,
    ols_loss,
    ridge_fit,
    ridge_grad,
    ridge_hessian,
    ridge_loss,
)
from .logistic import logreg_fit, logreg_grad, logreg_hessian, logreg_loss, logreg_predict_proba
from .solvers import gradient_descent, newton

__all__ = [
    "add_intercept",
    "gradient_descent",
    "lasso_coordinate_descent",
    "lasso_fit",
    "lasso_ista",
    "lasso_loss",
    "lasso_min_norm_subgrad",
    "lasso_subgrad",
    "lda_class_stats",
    "lda_discriminants",
    "lda_fit",
    "lda_predict",
    "logreg_fit",
    "logreg_grad",
    "logreg_hessian",
    "logreg_loss",
    "logreg_predict_proba",
    "newton",
    "ols_fit",
    "ols_grad",
    "ols_hessian",
    "ols_loss",
    "polynomial_features",
    "ridge_fit",
    "ridge_grad",
    "ridge_hessian",
    "ridge_loss",
    "soft_threshold",
]
