"""Exercises of the "shapes" task: the answer is a tuple of shapes such as ``((m, n), (n,))``.

A throwaway exercise is registered here (removed again at the end) so that the grader's
support for the task is tested whatever the catalogue holds.
"""

from __future__ import annotations

import numpy as np
import pytest

from mlcalc import check
from mlcalc.grading import EXERCISES
from mlcalc.grading.spec import Case, ShapesAnswerError, _ex, shape_of_row, shapes_array

ID = "test/shapes-of-a-layer"


def _shapes(m, n):
    # y = A x with A (m, n): the shapes of x, A, y, and of the Jacobian dy/dx (m x n)
    return ((n,), (m, n), (m,), (m, n))


@pytest.fixture(scope="module", autouse=True)
def exercise():
    _ex(ID, "shapes_of_a_layer", "the shapes of y = A x", "value", ["m", "n"],
        lambda rng: [Case((m, n), f"m = {m}, n = {n}") for m, n in ((3, 2), (2, 5), (4, 1))],
        _shapes,
        hints=[("denominator-layout", lambda m, n: ((n,), (m, n), (m,), (n, m)),
                "The Jacobian is in denominator layout (n x m): this book writes one row per "
                "output.")],
        task="shapes")
    yield EXERCISES[ID]
    del EXERCISES[ID]


def run(fn):
    return check(ID, fn, sandbox="none")


def test_right_shapes_pass():
    v = run(_shapes)
    assert v.passed and v.kind == "correct", repr(v)
    assert run(lambda m, n: [[n], [m, n], [m], [m, n]]).passed  # lists are tuples too


def test_a_known_slip_gets_its_hint():
    v = run(lambda m, n: ((n,), (m, n), (m,), (n, m)))
    assert v.status == "wrong" and v.kind == "denominator-layout", repr(v)


def test_a_transposed_shape_is_named_without_giving_the_answer():
    v = run(lambda m, n: ((n,), (n, m), (m,), (m, n)))
    assert v.status == "wrong" and v.kind == "shape-transposed", repr(v)
    assert "shape 2" in v.message and "transposed" in v.message


def test_a_shape_with_the_wrong_number_of_axes():
    v = run(lambda m, n: ((n, 1), (m, n), (m,), (m, n)))
    assert v.status == "wrong" and v.kind == "shape-axes" and "shape 1" in v.message, repr(v)


def test_wrong_sizes_and_mixed_mistakes():
    v = run(lambda m, n: ((m,), (m, n), (m,), (m, n)))
    assert v.status == "wrong" and v.kind == "shape-sizes", repr(v)
    v = run(lambda m, n: ((n, 1), (n, m), (m,), (m, n)))
    assert v.status == "wrong" and v.kind == "shapes-wrong", repr(v)


def test_too_few_shapes():
    v = run(lambda m, n: ((n,), (m, n)))
    assert v.status == "wrong" and v.kind == "shapes-count" and "asks for 4" in v.message


def test_an_int_instead_of_a_one_axis_tuple_is_explained():
    v = run(lambda m, n: (n, (m, n), (m,), (m, n)))          # (n) is the int n
    assert v.status == "wrong" and v.kind == "shapes-format", repr(v)
    assert "(n,)" in v.message


def test_the_stub_is_not_attempted():
    def stub(m, n):
        raise NotImplementedError
    assert run(stub).status == "not attempted"


def test_forked_sandbox_grades_shapes_too():
    v = check(ID, lambda m, n: ((n,), (n, m), (m,), (m, n)))
    assert v.kind == "shape-transposed", repr(v)


def test_shapes_array_round_trip():
    shapes = ((2, 3), (4,), (), (1, 2, 3, 4))
    arr = shapes_array(shapes)
    assert arr.shape == (4, 4)
    assert [shape_of_row(r) for r in arr] == [tuple(s) for s in shapes]
    for bad in (np.zeros(2), "(2, 3)", ((2.5,),), ((True,),), ((-1,),), ((1, 2, 3, 4, 5),)):
        with pytest.raises(ShapesAnswerError):
            shapes_array(bad)
