"""A graded submission and the outputs of batch grading: one CSV row per submission and a
Markdown report."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .catalogue import CHAPTERS
from .spec import EXERCISES
from .verdict import Verdict

ROW_STATUSES = ("correct", "wrong", "error", "timeout", "not attempted", "missing")


@dataclass
class Submission:
    """The grade of one notebook: a verdict per exercise of its chapter, and notes."""

    path: str
    chapter: str | None = None
    verdicts: dict[str, Verdict] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    readable: bool = True

    @property
    def passed(self) -> int:
        return sum(v.status == "correct" for v in self.verdicts.values())

    @property
    def total(self) -> int:
        return len(self.verdicts)



# ================================================================================================
# outputs
# ================================================================================================

def _columns(subs: list[Submission]) -> list[str]:
    """Every exercise of the chapters present, in the book's order."""
    ids = {i for s in subs for i in s.verdicts}
    return [i for i in EXERCISES if i in ids]


def write_csv(subs: list[Submission], out: Path) -> None:
    """One row per submission (in the order given), one column per exercise, passed and total."""
    cols = _columns(subs)
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["submission", *cols, "passed", "total"])
        for s in subs:
            w.writerow([s.path, *[s.verdicts[c].status if c in s.verdicts else "" for c in cols],
                        s.passed, s.total])


def _fenced(text: str) -> str:
    run = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, run + 1)
    return f"{fence}text\n{text}\n{fence}"


def _md(text: str) -> str:
    """Learner text on one Markdown line: no HTML, no table breaks."""
    return text.replace("<", "&lt;").replace("|", "\\|").replace("\n", " ")


def write_report(subs: list[Submission], out: Path, csv_path: Path | None = None) -> None:
    """The readable report: a summary table, then every submission's verdicts and notes."""
    buf = io.StringIO()
    p = lambda *a: print(*a, file=buf)  # noqa: E731
    chapters = sorted({s.chapter for s in subs if s.chapter}, key=lambda c: CHAPTERS.index(c))
    p("# Grades\n")
    p(f"{len(subs)} submission(s), chapter(s): {', '.join(chapters) or 'none'}"
      + (f"; the table is `{csv_path.name}`" if csv_path else "") + ".")
    p("Every verdict was computed by the grader in its own process from the values the "
      "submission's functions return; stored outputs were ignored.\n")
    p("| submission | chapter | passed | " + " | ".join(ROW_STATUSES) + " | notes |")
    p("| --- | --- | --- | " + " | ".join("---" for _ in ROW_STATUSES) + " | --- |")
    for s in subs:
        n = Counter(v.status for v in s.verdicts.values())
        p(f"| {_md(s.path)} | {s.chapter or '?'} | {s.passed}/{s.total} | "
          + " | ".join(str(n.get(st, 0)) for st in ROW_STATUSES) + f" | {len(s.notes)} |")
    for s in subs:
        p(f"\n## {_md(s.path)}: {s.passed}/{s.total} correct\n")
        p(f"Chapter: {s.chapter or 'unknown'}; graded in {s.elapsed:.1f} s.\n")
        if s.notes:
            p("Notes:\n")
            for note in s.notes:
                p(f"- {_md(note)}")
            p("")
        for ex_id, v in s.verdicts.items():
            p(f"### {ex_id}: {v.status}\n")
            p(_fenced(repr(v)) + "\n")
    out.write_text(buf.getvalue(), encoding="utf-8")
