"""Checks of the narrative (the ``narrative`` table's items and paragraphs):

- **repeated_text**: clauses repeated nearly word for word in different items of a section (a
  copy-and-paste slip);
- **status_conflict**: a work item said to be completed and, in the same item, still in progress.

A finding's ``rows`` are the ``text`` cells of the narrative rows it concerns.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import pandas as pd

from jixiao.checks.findings import NOTE, Finding, Formula, Number, cell

SIMILAR = 0.8
"""Two clauses at least this similar (difflib's ratio) in one section are noted as repeated."""
REPEAT_MIN = 15
"""Clauses shorter than this (characters) are too common to count as a repeat."""
CLAUSE_MAX = 200
"""Clauses longer than this (characters: a pasted URL or ID run, not a clause of prose) are noted
only when they are the same: difflib's ratio costs the product of the two lengths (ten pasted runs
of 10,000 characters took over 30 s)."""
_CLAUSE = re.compile(r"[^，。；！？：]+")
_IN_PROGRESS = re.compile(r"([^，。；、：]{4,30}?)(?:工作)?(?:正在进行中|正在进行|仍在进行|尚未完成|正在推进中)")


def _items(narrative: pd.DataFrame) -> pd.DataFrame:
    return narrative[narrative["kind"].isin(["item", "paragraph"])]


def repeated_text(data: Any) -> list[Finding]:
    """Clauses repeated nearly word for word in different items of a section. The subject is the
    section and the two rows' indexes; ``details["clause"]`` is the first row's clause."""
    import difflib

    items = _items(data.narrative)
    found: list[Finding] = []
    pairs: set[tuple[Any, Any]] = set()
    for section, rows in items.groupby("section", sort=False):
        sentences = [
            (index, s.strip()) for index in rows.index for s in _CLAUSE.findall(str(rows.at[index, "text"]))
            if len(s.strip()) >= REPEAT_MIN
        ]  # fmt: skip
        for (i, a), (j, b) in itertools.combinations(sentences, 2):
            if i == j or (i, j) in pairs:
                continue
            if len(a) > CLAUSE_MAX or len(b) > CLAUSE_MAX:
                if a != b:
                    continue
                ratio = 1.0
            else:
                matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
                # the two quick ratios are upper bounds of the ratio, found in linear time
                if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
                    continue
                ratio = matcher.ratio()
                if ratio < SIMILAR:
                    continue
            pairs.add((i, j))
            rows = (cell(items, "narrative", i, "text"), cell(items, "narrative", j, "text"))
            similarity = Number("similarity", ratio, "", Formula("difflib.SequenceMatcher(rows).ratio()"))
            details = {"clause": a}
            found.append(Finding("repeated_text", NOTE, (section, i, j), (similarity,), rows, details))
    return found


def status_conflicts(data: Any) -> list[Finding]:
    """A work item said to be completed and, in the same item, still in progress. The subject is
    the work; ``details["phrase"]`` the words saying it is still in progress."""
    items = _items(data.narrative)
    found: list[Finding] = []
    for index in items.index:
        text = str(items.at[index, "text"])
        for match in _IN_PROGRESS.finditer(text):
            subject = match.group(1).strip()
            before = text[: match.start()]
            if any("完成" in clause and subject in clause for clause in re.split(r"[。；]", before)):
                row = cell(items, "narrative", index, "text")
                found.append(Finding("status_conflict", NOTE, (subject,), (), (row,), {"phrase": match.group(0)}))
    return found
