"""The top of the bureau's own pages (the year's summary, the check of the forms received): one
self-contained HTML page in the report's look, its stylesheet inlined, a cover with its facts."""

from __future__ import annotations

import html

from jixiao import paths


def page_top(*, title: str, body_class: str, kicker: str, facts: list[tuple[str, str]], extra_css: str) -> str:
    """Everything up to and including ``<main>``: the head (report.css and ``extra_css``), the
    cover with ``kicker`` above ``title`` and its ``facts`` (label, value; values are HTML, already
    escaped; an ``id`` may be given as ``label#id``)."""
    from jixiao import __version__

    css = (paths.PACKAGE_DIR / "render" / "report.css").read_text(encoding="utf-8")
    rows = []
    for label, value in facts:
        name, _, anchor = label.partition("#")
        attribute = f' id="{html.escape(anchor)}"' if anchor else ""
        rows.append(f"    <div><dt>{html.escape(name)}</dt><dd{attribute}>{value}</dd></div>")
    return f"""<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="jixiao {__version__}">
<title>{html.escape(title)}</title>
<style>
{css}
{extra_css}
</style>
</head>
<body class="{body_class}">
<header class="jx-cover" id="cover">
  <p class="jx-cover-kicker">{html.escape(kicker)}</p>
  <h1>{html.escape(title)}</h1>
  <dl class="jx-cover-facts">
{chr(10).join(rows)}
  </dl>
</header>
<main>
"""
