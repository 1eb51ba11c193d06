"""The checker's modules import one way: checks → check_engine, diagnose → numerical.

Checking and diagnosis used to import each other through private names (``_SAFETY``, ``_eps``,
``_scale``, ``numerical_hessian`` one way, ``_diagnose_probes`` the other, partly through imports
inside functions to dodge the cycle). These tests read the modules' imports with ``ast`` (every
import, at any depth), so a cycle, a function-local import of a sibling or a private name taken
from a sibling other than the shared numerics fails here.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import mlcalc

PKG = Path(mlcalc.__file__).resolve().parent
CHECKING = ("checks", "check_engine", "diagnose", "numerical")
SHARED = "numerical"          # the shared numerics: the one sibling private names may come from
MAX_LINES = 800


def _tree(name: str) -> ast.Module:
    return ast.parse((PKG / f"{name}.py").read_text(encoding="utf-8"))


def _sibling_imports(name: str):
    """(sibling module, imported names, node, at module level) for every import of mlcalc."""
    tree = _tree(name)
    top = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                target = (node.module or "").split(".")[0]
            elif node.level == 0 and (node.module or "").startswith("mlcalc."):
                target = node.module.split(".")[1]
            else:
                continue
            yield target, [a.name for a in node.names], node, id(node) in top
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("mlcalc."):
                    yield alias.name.split(".")[1], [], node, id(node) in top


def _graph() -> dict[str, set[str]]:
    return {m: {t for t, *_ in _sibling_imports(m) if t in CHECKING} for m in CHECKING}


def test_the_import_graph_is_acyclic_and_one_way():
    graph = _graph()
    assert graph == {
        "checks": {"check_engine", "diagnose", "numerical"},
        "check_engine": {"numerical"},
        "diagnose": {"numerical"},
        "numerical": set(),
    }
    # acyclic: repeatedly remove modules that import no remaining module
    left = {m: set(deps) for m, deps in graph.items()}
    while left:
        leaves = [m for m, deps in left.items() if not deps & left.keys()]
        assert leaves, f"import cycle among {sorted(left)}"
        for m in leaves:
            del left[m]


@pytest.mark.parametrize("name", CHECKING)
def test_no_function_local_imports_of_siblings(name):
    local = [(t, node.lineno) for t, _, node, at_top in _sibling_imports(name) if not at_top]
    assert not local, f"mlcalc/{name}.py imports siblings inside functions: {local}"


@pytest.mark.parametrize("name", CHECKING)
def test_private_names_come_only_from_the_shared_numerics(name):
    bad = [(t, n) for t, names, _, _ in _sibling_imports(name) for n in names
           if n.startswith("_") and t != SHARED]
    assert not bad, f"mlcalc/{name}.py imports private names from siblings: {bad}"


def test_the_shared_numerics_import_nothing_from_mlcalc():
    assert list(_sibling_imports(SHARED)) == []


@pytest.mark.parametrize("name", CHECKING)
def test_no_module_over_800_lines(name):
    n = len((PKG / f"{name}.py").read_text(encoding="utf-8").splitlines())
    assert n <= MAX_LINES, f"mlcalc/{name}.py has {n} lines"


PUBLIC = ["CheckReport", "check_grad", "check_hessian", "check_jacobian", "numerical_grad",
          "numerical_hessian", "numerical_jacobian"]


def test_public_names_unchanged():
    checks = importlib.import_module("mlcalc.checks")
    diag = importlib.import_module("mlcalc.diagnose")   # the attribute is the function

    assert sorted(checks.__all__) == sorted(PUBLIC)
    assert diag.__all__ == ["diagnose"]
    for name in PUBLIC:
        assert getattr(checks, name) is getattr(mlcalc, name)
        assert name in mlcalc.__all__
    assert mlcalc.diagnose is diag.diagnose
