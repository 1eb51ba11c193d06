"""Notebook hygiene: no outputs, one kernel, public imports, listed in the table of contents.

These rules keep the repository diff-able and the notebooks portable (they must render in plain
Jupyter, so no custom MathJax macros), and make sure nothing written is lost from the book.
"""

from __future__ import annotations

import ast
import importlib
import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(
    p
    for folder in ("chapters", "exercises")
    for p in (ROOT / folder).rglob("*.ipynb")
    if ".ipynb_checkpoints" not in p.parts
)
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
# Chapters 1-12 carry the full chapter template; chapter 0 and the appendices are lighter.
# Modules a notebook may import names from: their __all__ is the public API.
PUBLIC_MODULES = {"mlcalc", "mlcalc.symbolic", "mlcalc.symbolic.widget"}
LIGHT_PAGES = {"how_to_use", "reference_tables", "notation", "machine_derivations"}
CUSTOM_MACROS = re.compile(r"\\(R|vx|vy|vw|vb|vv|mA|mX|mW|mH|T)(?![A-Za-z])")


def _ids(paths):
    return [str(p.relative_to(ROOT)) for p in paths]


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _code(nb: dict) -> list[str]:
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def _markdown(nb: dict) -> list[str]:
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


def _toc_files() -> set[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = {toc["root"]}

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.add(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc)
    return files


def test_there_are_notebooks():
    assert CHAPTERS, "no chapter notebooks found under chapters/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_committed_without_outputs(path):
    nb = _load(path)
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"cell {i} has stored outputs"
            assert cell.get("execution_count") is None, f"cell {i} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_kernel_is_python3(path):
    spec = _load(path)["metadata"].get("kernelspec", {})
    assert spec.get("name") == "python3", f"kernelspec is {spec!r}, expected name 'python3'"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_imports_only_public_mlcalc_names(path):
    for i, source in enumerate(_code(_load(path))):
        assert "sys.path" not in source, f"cell {i} edits sys.path; install mlcalc instead"
        clean = "\n".join(
            line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))
        )
        try:
            tree = ast.parse(clean)
        except SyntaxError:
            continue  # a learner stub may be incomplete on purpose; nbval runs it anyway
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(
                "mlcalc"
            ):
                # mlcalc itself, or a subpackage with its own public API (mlcalc.symbolic: the
                # issue that specified it writes `from mlcalc.symbolic import derive`)
                assert node.module in PUBLIC_MODULES, (
                    f"cell {i} imports from {node.module}; import public names from mlcalc"
                )
                public = importlib.import_module(node.module).__all__
                for alias in node.names:
                    assert alias.name != "*", f"cell {i} star-imports {node.module}"
                    assert alias.name in public, (
                        f"cell {i} imports {alias.name!r}, which is not in "
                        f"{node.module}.__all__"
                    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_math_uses_no_custom_macros(path):
    """Notebooks must render in plain Jupyter, which does not know the book's MathJax macros."""
    for i, text in enumerate(_markdown(_load(path))):
        for math in re.findall(r"\$\$.*?\$\$|\$[^$\n]+\$", text, flags=re.S):
            found = CUSTOM_MACROS.search(math)
            assert not found, f"markdown cell {i} uses the book macro {found.group(0)!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_no_unfinished_work_shipped(path):
    nb = _load(path)
    for i, cell in enumerate(nb["cells"]):
        text = "".join(cell["source"])
        assert not re.search(r"\b(TODO|FIXME|XXX|TBD)\b", text), f"cell {i} is unfinished"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_in_table_of_contents(path):
    rel = str(path.relative_to(ROOT).with_suffix(""))
    assert rel in _toc_files(), f"{rel} is not in _toc.yml, so readers of the book never see it"


@pytest.mark.parametrize("path", CHAPTERS, ids=_ids(CHAPTERS))
def test_chapter_opens_with_label_and_title(path):
    first = _load(path)["cells"][0]
    assert first["cell_type"] == "markdown"
    lines = "".join(first["source"]).splitlines()
    assert re.fullmatch(r"\((ch|app)-[a-z0-9-]+\)=", lines[0]), f"first line {lines[0]!r}"
    assert lines[1].startswith("# "), "the label must be followed by the '# Title' line"


FULL_CHAPTERS = [p for p in CHAPTERS if p.stem not in LIGHT_PAGES]


@pytest.mark.parametrize("path", FULL_CHAPTERS, ids=_ids(FULL_CHAPTERS))
def test_chapter_follows_the_template(path):
    """The chapter floor of CURRICULUM.md: checks, figures, common mistakes, summary, exercises."""
    nb = _load(path)
    code, markdown = _code(nb), "\n".join(_markdown(nb))
    asserting = [c for c in code if re.search(r"\bassert\b|\.assert_ok\(", c)]
    assert len(asserting) >= 8, f"only {len(asserting)} asserting check cells (need >= 8)"
    figures = sum(len(re.findall(r"plt\.show\(\)|explore\(|interact\(", c)) for c in code)
    assert figures >= 3, f"only {figures} figures or explorers (need >= 3)"
    assert re.search(r"common mistakes", markdown, re.I), "no 'Common mistakes' box"
    assert re.search(r"^## Exercises", markdown, re.M), "no '## Exercises' section"
    assert re.search(r"^## Summary", markdown, re.M), "no '## Summary' section (results table)"
    prose = re.sub(r"\$\$.*?\$\$", " ", markdown, flags=re.S)  # display math first
    prose = re.sub(r"\$[^$]*\$", " ", prose)  # then inline math
    words = len(re.findall(r"[A-Za-z]+", prose))
    assert words >= 2000, f"only {words} words of prose (need 2,000-5,000)"


def _explore_params(source: str):
    """(parameter name, label given?) for every ``explore(...)`` call in ``source``."""
    from mlcalc.widgets import _RESERVED

    try:
        tree = ast.parse(source)
    except SyntaxError:
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "explore":
            labels = next((k.value for k in node.keywords if k.arg == "labels"), None)
            named = set()
            if isinstance(labels, ast.Dict):
                named = {k.value for k in labels.keys if isinstance(k, ast.Constant)}
            for k in node.keywords:
                if k.arg and k.arg not in _RESERVED:
                    yield k.arg, k.arg in named


@pytest.mark.parametrize("path", CHAPTERS, ids=_ids(CHAPTERS))
def test_explorer_sliders_have_readable_labels(path):
    """A slider shows its label; a raw Python name such as ``eta_times_lam_max`` needs one."""
    for i, source in enumerate(_code(_load(path))):
        for name, labelled in _explore_params(source):
            assert labelled or "_" not in name, (
                f"cell {i}: explorer parameter {name!r} has no label: pass labels={{...}}")


def test_explorer_label_rule_can_fail():
    found = list(_explore_params("explore(plot, eta_times_lam_max=(0.1, 1, 0.1), title='t')"))
    assert found == [("eta_times_lam_max", False)]
    found = list(_explore_params("explore(plot, a_b=(0, 1, 0.5), labels={'a_b': 'ab'})"))
    assert found == [("a_b", True)]


# MyST that jupyterlab-myst (pinned) renders as the HTML book does. Roles that point into another
# document ({ref}, {doc}, ...) show "Cross Reference Not Found" or a dead link there: notebooks use
# plain relative links ([Gradients](gradients.ipynb)), which work in both.
LAB_DIRECTIVES = {"admonition", "note", "tip", "hint", "important", "warning", "caution",
                  "attention", "danger", "error", "seealso", "dropdown", "math"}
CROSS_DOCUMENT_ROLES = re.compile(r"\{(ref|doc|numref|eq|term|download|any|cite)\}`")
DIRECTIVE = re.compile(r"^\s*(?:`{3,}|:{3,})\{([^}]*)\}", re.M)


def _lab_markup_problems(text: str) -> list[str]:
    problems = [f"role {m.group(0)!r}" for m in CROSS_DOCUMENT_ROLES.finditer(text)]
    problems += [f"directive {{{d}}}" for d in DIRECTIVE.findall(text) if d not in LAB_DIRECTIVES]
    problems += [f"link without .ipynb {t!r}" for t in
                 re.findall(r"\]\(((?!https?:|#|mailto:)[^)\s]+)\)", text)
                 if not re.search(r"\.(ipynb|md|png|svg|jpg|html)(#[^)]*)?$", t)]
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_markdown_renders_in_jupyterlab(path):
    """Only markup that renders in JupyterLab (with jupyterlab-myst) and in the HTML book."""
    for i, text in enumerate(_markdown(_load(path))):
        problems = _lab_markup_problems(text)
        assert not problems, f"markdown cell {i}: {problems}"


def test_lab_markup_rule_can_fail():
    text = ("See {ref}`ch-gradients` and {doc}`../exercises/gradients`, [x](gradients).\n"
            ":::{margin}\nside\n:::\n```{admonition} ok\n:class: warning\n```")
    assert _lab_markup_problems(text) == [
        "role '{ref}`'", "role '{doc}`'", "directive {margin}", "link without .ipynb 'gradients'"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_relative_links_resolve(path):
    """Every relative link points at a file that exists (the book build fails on one that
    does not, and JupyterLab shows a dead link). A task cell of a solution notebook is copied
    into the learner notebook one folder up, so a link there must resolve from both places."""
    for i, text in enumerate(_markdown(_load(path))):
        for target in re.findall(r"\]\(((?!https?:|#|mailto:)[^)\s#]+)(?:#[^)]*)?\)", text):
            assert (path.parent / target).exists(), f"markdown cell {i}: dead link {target!r}"
