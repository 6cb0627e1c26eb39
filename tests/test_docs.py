"""The guide holds together: README.md and the pages under docs/.

- every relative link between the pages (and to files beside them) reaches an existing file, and
  its ``#anchor`` a heading of that page, slugged as GitHub slugs headings;
- every ``jixiao …`` command a page shows, in a code span or a code block, names a subcommand of
  the command line, and every ``--flag`` it shows is one that subcommand takes (a value shown for a
  flag with fixed choices, ``--format docx``, is one of them);
- the README's command line lists every subcommand with every flag.

The truth is the command line's own parser (``jixiao.cli.parser``). No build is run.
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pytest

from jixiao import cli

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
PAGES = [README, *sorted((REPO / "docs").glob("*.md"))]

FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
BACKTICKS = re.compile(r"`+")
PARAGRAPH = re.compile(r"(?:[^\n]|\n(?![ \t]*\n))+")
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
COMMAND = re.compile(r"^\s*(?:\$\s+)?jixiao\s+(.*)$")


@dataclass
class Page:
    path: Path
    prose: str
    """The page with its code blocks blanked out (lines kept, so positions still count lines)."""
    blocks: list[tuple[int, list[str]]]
    """Each fenced code block: the line number of its first line, and its lines."""

    @property
    def name(self) -> str:
        return self.path.relative_to(REPO).as_posix() if self.path.is_relative_to(REPO) else self.path.name

    def line_of(self, offset: int) -> int:
        return self.prose.count("\n", 0, offset) + 1


def read(path: Path) -> Page:
    prose: list[str] = []
    blocks: list[tuple[int, list[str]]] = []
    fence = ""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        opening = FENCE.match(line)
        if fence:
            if opening and opening.group(1) == fence:
                fence = ""
            else:
                blocks[-1][1].append(line)
            prose.append("")
        elif opening:
            fence = opening.group(1)
            blocks.append((number + 1, []))
            prose.append("")
        else:
            prose.append(line)
    return Page(path, "\n".join(prose), blocks)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: its text (markup dropped) lowercased, every character that is
    not a letter, mark, number, ``_``, ``-`` or space dropped (CJK kept), spaces turned into ``-``."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link: its text
    text = re.sub(r"[`*]", "", text)
    text = text.strip().lower()
    kept = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LMN")
    return kept.replace(" ", "-")


def code_spans(text: str) -> list[tuple[int, int, str]]:
    """Each code span of ``text`` (start, end, content), as Markdown finds them: a run of backticks
    opens one that the next run of as many backticks in the same paragraph closes; an unmatched run
    (an empty pair of backticks, say) is literal."""
    spans = []
    for paragraph in PARAGRAPH.finditer(text):
        runs = list(BACKTICKS.finditer(paragraph.group(0)))
        i = 0
        while i < len(runs):
            close = next((j for j in range(i + 1, len(runs)) if len(runs[j].group()) == len(runs[i].group())), None)
            if close is None:
                i += 1
                continue
            at = paragraph.start()
            spans.append(
                (at + runs[i].start(), at + runs[close].end(), text[at + runs[i].end() : at + runs[close].start()])
            )
            i = close + 1
    return spans


def anchors(page: Page) -> set[str]:
    """Every heading's anchor; a repeated one gets ``-1``, ``-2``, … as on GitHub."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    for line in page.prose.splitlines():
        match = HEADING.match(line)
        if not match:
            continue
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(page: Page) -> list[tuple[int, str]]:
    """The targets of the page's links and images, outside code, with their line numbers."""
    text = page.prose
    for start, end, _ in code_spans(text):
        text = text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]
    return [(page.line_of(m.start()), m.group(1)) for m in LINK.finditer(text)]


def broken_links(page: Page) -> list[str]:
    problems = []
    for line, target in links(page):
        if SCHEME.match(target) or target.startswith("//"):
            continue  # a web address: not this test's business
        path_part, _, anchor = target.partition("#")
        where = page.path if not path_part else (page.path.parent / unquote(path_part)).resolve()
        if not where.exists():
            problems.append(f"{page.name}:{line}: {target}: no file {path_part}")
            continue
        if anchor:
            if where.suffix != ".md":
                problems.append(f"{page.name}:{line}: {target}: an anchor into a file that is not a page")
            elif unquote(anchor) not in anchors(read(where)):
                problems.append(f"{page.name}:{line}: {target}: no heading #{unquote(anchor)} in {where.name}")
    return problems


def subcommands() -> dict[str, dict[str, argparse.Action]]:
    """Each subcommand of ``jixiao`` with its options (``--unit`` -> its action), from the parser."""
    parser = cli.parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {
        name: {option: action for action in command._actions for option in action.option_strings}
        for name, command in sub.choices.items()
    }


def commands(page: Page) -> list[tuple[int, str]]:
    """Every ``jixiao …`` command the page shows: code spans that are one, and code block lines that
    are one (in a block with ``$`` prompts, only the prompted lines: the rest is output)."""
    found = []
    for start, _, content in code_spans(page.prose):
        command = COMMAND.match(content.replace("\n", " "))
        if command:
            found.append((page.line_of(start), command.group(1)))
    for first, lines in page.blocks:
        prompted = any(line.lstrip().startswith("$ ") for line in lines)
        for number, line in enumerate(lines, first):
            if prompted and not line.lstrip().startswith("$ "):
                continue
            command = COMMAND.match(line)
            if command:
                found.append((number, command.group(1)))
    return found


def words(arguments: str) -> list[str]:
    """The words of a command's arguments, up to a pipe or a comment; ``$(…)`` and brackets dropped."""
    arguments = re.sub(r"\$\([^)]*\)", "X", arguments)
    arguments = re.split(r"\s[|#]|\s*\|", arguments, maxsplit=1)[0]
    return [w.strip("[]…,;") for w in arguments.split() if w.strip("[]…,;")]


def unknown_in(arguments: str, known: dict[str, dict[str, argparse.Action]]) -> list[str]:
    ws = words(arguments)
    if not ws:
        return ["no subcommand"]
    name, rest = ws[0], ws[1:]
    if name not in known:
        return [f"no subcommand {name!r} (the command line has {', '.join(known)})"]
    problems = []
    for i, word in enumerate(rest):
        if not word.startswith("--"):
            continue
        flag = word.split("=", 1)[0]
        action = known[name].get(flag)
        if action is None:
            problems.append(f"`jixiao {name}` has no {flag}")
            continue
        value = word.split("=", 1)[1] if "=" in word else (rest[i + 1] if i + 1 < len(rest) else "")
        concrete = value and not value.startswith("-") and not value.isupper()
        if action.choices is not None and concrete and value not in [str(c) for c in action.choices]:
            problems.append(f"`jixiao {name} {flag}` takes {', '.join(map(str, action.choices))}, not {value!r}")
    return problems


def flags_shown(page: Page) -> dict[str, set[str]]:
    shown: dict[str, set[str]] = {}
    for _, arguments in commands(page):
        ws = words(arguments)
        if ws:
            shown.setdefault(ws[0], set()).update(w.split("=", 1)[0] for w in ws[1:] if w.startswith("--"))
    return shown


# --- the tests -------------------------------------------------------------------------------------------


def test_slugs_are_githubs():
    assert slug("Review checks (审核提示)") == "review-checks-审核提示"
    assert slug("The bureau's summary") == "the-bureaus-summary"
    assert slug("The `自评表` workbook") == "the-自评表-workbook"
    assert slug("Validation: every error, every accepted form") == "validation-every-error-every-accepted-form"
    assert slug("budget — 预算 (one row per fund source and kind)") == "budget--预算-one-row-per-fund-source-and-kind"
    assert slug("Working in JupyterLab, or with papermill alone") == "working-in-jupyterlab-or-with-papermill-alone"


def test_every_guide_page_is_linked_from_the_readme():
    targets = {(README.parent / t.partition("#")[0]).resolve() for _, t in links(read(README))}
    assert [p.name for p in PAGES[1:] if p.resolve() not in targets] == []


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_page_opens_with_who_it_is_for(path: Path):
    paragraphs = [p for p in read(path).prose.split("\n\n") if p.strip() and not p.lstrip().startswith("#")]
    if path == README:
        assert paragraphs[0].startswith("jixiao turns")
    else:
        assert paragraphs[0].startswith("For "), paragraphs[0][:80]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_links_reach_a_file_and_a_heading(path: Path):
    problems = broken_links(read(path))
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_commands_shown_are_the_command_lines(path: Path):
    page = read(path)
    known = subcommands()
    problems = [f"{page.name}:{line}: jixiao {arguments.strip()}: {problem}"
                for line, arguments in commands(page) for problem in unknown_in(arguments, known)]  # fmt: skip
    assert problems == [], "\n".join(problems)


def test_the_readme_shows_every_subcommand_with_every_flag():
    shown = flags_shown(read(README))
    missing = {
        name: sorted(f for f in options if f.startswith("--") and f != "--help" and f not in shown.get(name, set()))
        for name, options in subcommands().items()
    }
    assert {name: flags for name, flags in missing.items() if flags or name not in shown} == {}


def test_the_checks_catch_what_they_are_for(tmp_path: Path):
    """A broken link, a missing heading, an unknown subcommand, flag or choice are all found."""
    (tmp_path / "other.md").write_text("# Other page\n\n## A heading\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n\nFor a test. [ok](other.md#a-heading), [no file](nowhere.md), "
        "[no heading](other.md#b-heading), [here](#page), `[not a link](x.md)`.\n\n"
        "`jixiao build --unit U --year Y --edition filing`, `jixiao biuld --unit U`, `jixiao build --fast`, "
        "`jixiao build --format doc`.\n\n```\n$ jixiao validate --unit U --year Y\njixiao batch: output\n```\n",
        encoding="utf-8",
    )
    read_page = read(page)
    assert [p.split(": ", 1)[1] for p in broken_links(read_page)] == [
        "nowhere.md: no file nowhere.md",
        "other.md#b-heading: no heading #b-heading in other.md",
    ]
    known = subcommands()
    found = [(a, unknown_in(a, known)) for _, a in commands(read_page)]
    assert [problems for _, problems in found] == [
        [],
        [
            "no subcommand 'biuld' (the command line has new, import, build, preview, validate, template, batch, "
            "summary, check, synth)"
        ],
        ["`jixiao build` has no --fast"],
        ["`jixiao build --format` takes html, pdf, docx, xlsx, not 'doc'"],
        [],
    ]
