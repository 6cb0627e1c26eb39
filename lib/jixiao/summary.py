"""The finance bureau's summary of a year: every department's self-evaluation on one page.

``jixiao summary --units … --year Y`` (and the end of ``jixiao batch``) writes
``outputs/_summary/<Y>/summary.html``, ``summary.xlsx`` and ``summary.csv``: each department's
score and grade, execution rate, reported against computed scores, review notes by kind, how many
projects were self-evaluated and the share of project spending they cover; a chart of the
distribution of scores and one of execution rates; departments ranked, those needing attention
first, each linking to its report.

Every figure comes from the library over the unit's data (``jixiao.inputs``, ``jixiao.scoring``,
``jixiao.checks`` for the review notes), never from a built report's HTML: a unit whose report was
not built (or failed) is still summarised, and one whose inputs fail validation is listed first
with the number of problems.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao import paths, scoring
from jixiao.checks.findings import TITLES
from jixiao.inputs.schema import DEPARTMENT

ROW_FILE = ".cache/summary.json"
"""Beside a unit-year's outputs: its summary line as a batch worker computed it, with the key of
the inputs and code it came from."""
ATTENTION_SCORE = 80.0
"""Below this score (grade 中 or 差 under the national bands) a department needs attention."""
LOW_RATE = 0.9
SCORE_BINS = (
    (0, 60, "60分以下"),
    (60, 70, "60–70分"),
    (70, 80, "70–80分"),
    (80, 90, "80–90分"),
    (90, 101, "90分及以上"),
)
RATE_BINS = ((0, 0.8, "80%以下"), (0.8, 0.9, "80%–90%"), (0.9, 0.95, "90%–95%"), (0.95, 1.0, "95%–100%"),
             (1.0, 10.0, "100%"))  # fmt: skip

VALID, INVALID, ERROR = "正常", "输入数据有误", "无法计算"
ORDER_NOTE = (
    "排序：需关注的部门在前（输入数据有误的最先，其次按需关注原因的多少、得分由低到高），其余按得分由高到低。"
    "得分为部门整体支出绩效自评得分（无部门整体指标的，为自评项目按全年执行数加权的平均得分）；名次按得分排列；"
    "覆盖率为自评项目全年执行数占项目支出全年执行数的比重。"
)
FOOTER = (
    "本汇总由 jixiao {version} 根据各部门{year}年度输入数据和计分规则计算生成，不读取已生成的报告；"
    "明细见各部门报告和 summary.xlsx。"
)


@dataclass
class Row:
    """One department's line of the summary."""

    unit: str
    unit_name: str
    year: int
    status: str = VALID
    problems: int = 0
    """Validation problems (status 输入数据有误)."""
    error: str = ""
    score: float | None = None
    """The department's score as its report states it (部门整体 indicators, or the projects'
    executed-weighted mean when it has none)."""
    computed_score: float | None = None
    """The same score by the rules alone (no reported row scores)."""
    grade: str = ""
    reported_score: float | None = None
    """The department's total score as the unit reported it (profile ``reported_total_score``)."""
    score_differences: int = 0
    """Scores reported that differ from the rules' (projects, indicators, the department)."""
    full_year_budget: float | None = None
    executed: float | None = None
    execution_rate: float | None = None
    projects: int = 0
    projects_evaluated: int = 0
    coverage: float | None = None
    """Executed amount of the evaluated projects ÷ executed amount of all 项目支出 lines."""
    notes: Counter = field(default_factory=Counter)
    warnings: int = 0
    rank: int | None = None
    reasons: list[str] = field(default_factory=list)
    report: str | None = None
    """Link to the report, relative to the summary's folder, when it was built."""
    forms: str = ""
    """The check output folder the row was made from (a department that filed only forms), or ""."""

    def to_json(self) -> dict[str, Any]:
        """The row's own figures (not its rank, reasons or link, which depend on the others)."""
        data = dataclasses.asdict(self)
        for name in ("rank", "reasons", "report"):
            data.pop(name)
        data["notes"] = dict(self.notes)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Row:
        return cls(**{**data, "notes": Counter(data["notes"])})

    @property
    def score_gap(self) -> float | None:
        if self.reported_score is None or self.computed_score is None:
            return None
        return scoring.round2(self.reported_score - self.computed_score)

    @property
    def attention(self) -> bool:
        return bool(self.reasons)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value) or str(value).strip() == ""


# -- one unit -----------------------------------------------------------------------------------


def unit_row(unit: str, year: int) -> Row:
    """A department's figures for ``year``, from its inputs and the rules."""
    from jixiao.inputs import settings, validation

    try:
        unit_settings = settings.load(unit, year)
    except settings.SettingsError as exc:
        return Row(unit, unit, year, status=INVALID, problems=1, error=str(exc))
    row = Row(unit, unit_settings.unit_name, year)
    problems = validation.validate(unit, year)
    if problems:
        row.status, row.problems = INVALID, len(problems)
        row.error = str(problems[0])
        return row
    try:
        _figures(row, unit_settings)
    except Exception as exc:  # a rule the data breaks (a 定性 score out of its band): listed, not fatal
        row.status, row.error = ERROR, f"{type(exc).__name__}: {exc}"
    return row


def _last_year(unit: str, year: int) -> tuple[int, Any] | None:
    """Last year's number and projects, when its data and parameters exist (a report compares them)."""
    from jixiao.inputs import loading
    from jixiao.store import years_needed

    if len(years_needed(unit, year)) < 2:
        return None
    return year - 1, loading.load_table(unit, year - 1, "projects")[0]


def _figures(row: Row, unit_settings: Any) -> None:
    from jixiao import checks
    from jixiao.inputs import loading
    from jixiao.inputs.published import published_table
    from jixiao.scoring.rules import Rules

    unit, year = row.unit, row.year
    data = loading.load(unit, year, required=())  # validated: the tables its sections need are there
    rules = Rules.from_settings(unit_settings.part("scoring"))
    scores = scoring.score_all(data, rules)
    department = scores.department
    if department is not None:
        row.score, row.computed_score = department.final_total, department.computed_total
    else:
        row.score = row.computed_score = scores.summary.score
    row.grade = scoring.grade(row.score, rules) if row.score is not None else ""
    profile = data.profile
    if "reported_total_score" in profile.columns and not _blank(profile["reported_total_score"].iloc[0]):
        row.reported_score = float(profile["reported_total_score"].iloc[0])

    budget = data.budget
    row.full_year_budget = scoring.round2(float(budget["full_year_budget"].sum()))
    row.executed = scoring.round2(float(budget["executed"].sum()))
    row.execution_rate = row.executed / row.full_year_budget if row.full_year_budget else None

    projects = data.projects
    evaluated = projects[projects["self_evaluated"] == "是"]
    row.projects, row.projects_evaluated = len(projects), len(evaluated)
    spending = float(budget.loc[budget["kind"] == "项目支出", "executed"].sum())
    row.coverage = float(evaluated["executed"].sum()) / spending if spending else None

    printed = published_table(paths.data_dir(unit, year))
    found = checks.run(data, scores, unit_settings, printed, lambda: _last_year(unit, year))
    row.notes = Counter(f.kind for f in found)
    row.warnings = sum(f.level == checks.WARNING for f in found)
    # the department's reported total is compared here (a review note on it, if any, is not
    # counted twice); project and indicator differences come from the review
    row.score_differences = sum(
        1 for f in found if f.kind == "score_difference" and not (f.subject[0] == DEPARTMENT and f.details["total"])
    )
    if row.score_gap is not None and abs(row.score_gap) >= scoring.TOLERANCE:
        row.score_differences += 1


def _reasons(row: Row) -> list[str]:
    """Why a department needs the bureau's attention, most serious first."""
    from jixiao import formatting

    if row.status == INVALID:
        return [f"输入数据有误（{row.problems}处）"]
    if row.status == ERROR:
        return ["无法计算得分"]
    reasons = []
    if row.score is not None and row.score < ATTENTION_SCORE:
        reasons.append(f"得分低于{formatting.natural(ATTENTION_SCORE)}分")
    gap = row.score_gap is not None and abs(row.score_gap) >= scoring.TOLERANCE
    if gap:
        reasons.append(f"部门填报得分与规则得分相差{row.score_gap:+.2f}分")
    others = row.score_differences - gap
    if others:
        reasons.append(f"{'另有' if gap else ''}填报得分与规则得分不一致{others}处")
    if row.execution_rate is not None and row.execution_rate < LOW_RATE:
        reasons.append(f"预算执行率{formatting.percent(row.execution_rate)}，低于90%")
    if row.notes.get("low_execution"):
        reasons.append(f"{row.notes['low_execution']}个项目执行率低于90%")
    other = row.warnings - row.notes.get("low_execution", 0) - row.notes.get("score_difference", 0)
    if other > 0:
        reasons.append(f"另有{other}条审核提示需核实")
    return reasons


def rank(rows: list[Row]) -> list[Row]:
    """Rank by score (1 = highest; equal scores share a rank) and order the rows: those needing
    attention first (invalid inputs, then the most reasons, then the lowest score), then the
    others from the highest score down."""
    scored = sorted((r for r in rows if r.score is not None), key=lambda r: -r.score)
    for place, r in enumerate(scored, start=1):  # equal scores share the first one's rank
        r.rank = scored[place - 2].rank if place > 1 and scored[place - 2].score == r.score else place
    for r in rows:
        r.reasons = _reasons(r)

    def key(r: Row) -> tuple:
        if r.attention:
            first = 0 if r.status != VALID else 1
            return (0, first, -len(r.reasons), r.score if r.score is not None else -1, r.unit)
        return (1, 0, 0, -(r.score or 0), r.unit)

    return sorted(rows, key=key)


def kept_row(unit: str, year: int, store: Any) -> Row | None:
    """The unit-year's row as a batch worker left it, if it was made from the inputs and code
    of now (the same key the batch keeps: the inputs' archive and the code's hash)."""
    from jixiao.store import inputs_key

    kept = store.read(f"{unit}/{year}/{ROW_FILE}") if store is not None else None
    if kept is None:
        return None
    try:
        data = json.loads(kept)
    except ValueError:
        return None
    key = inputs_key(unit, year)
    return Row.from_json(data["row"]) if data.get("key") == key else None


# -- departments that filed only forms --------------------------------------------------------

FORMS_KIND = "自评表"
"""The status of a row made from filed forms (``jixiao check``'s record), not from inputs."""


def _forms_of(folder: Path) -> list[dict[str, Any]]:
    path = Path(folder) / "check.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FormsError(
            f"无法读取审核结果 (cannot read the check record) {paths.relative(path)}：{exc.strerror}"
        ) from None
    except ValueError:
        raise FormsError(f"{paths.relative(path)} 不是 jixiao check 写的 check.json (not a check record)") from None
    if not isinstance(data, list):
        raise FormsError(f"{paths.relative(path)} 不是 jixiao check 写的 check.json (not a check record)")
    return [f for f in data if isinstance(f, dict) and f.get("form") in ("project", "department")]


class FormsError(ValueError):
    """A check output folder whose record cannot be read: which, and why, in one line."""


def _total_fund(form: dict[str, Any]) -> dict[str, Any]:
    return next((f for f in form.get("funds") or () if f.get("name") == "年度资金总额"), {})


def forms_rows(folders: list[Path | str], year: int) -> list[Row]:
    """One row per department (主管部门) of the forms ``jixiao check`` read into ``folders`` for
    ``year`` (a form without a year counts), figured as a department's row from its inputs is:
    the 部门整体 form's total if there is one, else the project forms' totals weighted by their
    全年执行数 (:func:`jixiao.scoring.weighted_project_summary`); reported totals where printed."""
    from types import SimpleNamespace

    groups: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for folder in folders:
        for form in _forms_of(Path(folder)):
            if form.get("year") not in (None, year):
                continue
            name = form.get("department") or form.get("unit") or form["file"]
            groups.setdefault(name, []).append((paths.relative(Path(folder)), form))
    rows = []
    for name, found in groups.items():
        forms = [f for _, f in found]
        row = Row(name, name, year, forms=found[0][0])
        whole = next((f for f in forms if f["form"] == "department"), None)
        projects = [f for f in forms if f["form"] == "project"]

        def final(f: dict[str, Any]) -> float:
            return f["reported_total"] if f["reported_total"] is not None else f["computed_total"]

        terms = [SimpleNamespace(project_name=f["project"] or f["file"], executed=_total_fund(f).get("executed") or 0.0,
                                 final_total=final(f), computed=f["computed_total"]) for f in projects]  # fmt: skip
        if whole is not None:
            row.score, row.computed_score, row.reported_score = (
                final(whole),
                whole["computed_total"],
                whole["reported_total"],
            )
            funds = [_total_fund(whole)]
        elif terms:
            row.score = scoring.weighted_project_summary(terms).score
            computed = [SimpleNamespace(project_name=t.project_name, executed=t.executed, final_total=t.computed)
                        for t in terms]  # fmt: skip
            row.computed_score = scoring.weighted_project_summary(computed).score
            funds = [_total_fund(f) for f in projects]
        else:
            funds = []
        budget = [f.get("full_year") for f in funds if f.get("full_year") is not None]
        spent = [f.get("executed") for f in funds if f.get("executed") is not None]
        row.full_year_budget = scoring.round2(sum(budget)) if budget else None
        row.executed = scoring.round2(sum(spent)) if spent else None
        if row.full_year_budget and row.executed is not None:
            row.execution_rate = row.executed / row.full_year_budget
        row.grade = scoring.grade(row.score) if row.score is not None else ""
        row.projects = row.projects_evaluated = len(projects)
        flags = [x for f in forms for x in [*f["flags"], *(x for i in f["indicators"] for x in i["flags"])]]
        row.score_differences = sum(1 for x in flags if x["code"] == "score_difference" and x["level"] == "warning")
        row.notes = Counter(x["code"] for x in flags if x["code"] in TITLES)
        row.warnings = sum(1 for x in flags if x["level"] == "warning")
        rows.append(row)
    return rows


def collect(units: list[str], year: int, store: Any = None) -> list[Row]:
    """Every unit's row, ranked; with links to the reports the store holds. A row a batch worker
    made from the same inputs and code is read, not computed again."""
    rows = [kept_row(unit, year, store) or unit_row(unit, year) for unit in units]
    for row in rows:
        rel = f"{row.unit}/{year}/report.html"
        if store is not None and store.exists(rel):
            row.report = f"../../{rel}"
    return rank(rows)


# -- the table, three ways ----------------------------------------------------------------------

COLUMNS = (
    ("unit_id", "单位编码"), ("unit_name", "单位名称"), ("year", "年度"), ("status", "状态"),
    ("attention", "需关注"), ("reasons", "需关注原因"), ("rank", "得分名次"), ("score", "自评得分"),
    ("grade", "评价等级"), ("computed_score", "按规则计算得分"), ("reported_score", "填报得分"),
    ("score_gap", "填报与规则之差"), ("score_differences", "得分不一致处数"),
    ("full_year_budget", "全年预算数（万元）"), ("executed", "全年执行数（万元）"),
    ("execution_rate", "预算执行率（%）"), ("projects", "项目个数"), ("projects_evaluated", "自评项目个数"),
    ("coverage", "自评项目资金占项目支出比重（%）"), ("notes", "审核提示条数"), ("warnings", "需核实条数"),
)  # fmt: skip


def _pct(value: float | None) -> float | None:
    return None if value is None else scoring.round2(value * 100)


def records(rows: list[Row]) -> tuple[list[str], list[list[Any]]]:
    """The summary as a header and plain values (numbers as numbers), one line per department,
    then one column per kind of review note."""
    header = [label for _, label in COLUMNS] + [f"审核提示：{title}" for title in TITLES.values()] + ["报告"]
    lines = []
    for r in rows:
        values = [
            r.unit, r.unit_name, r.year, r.status, "是" if r.attention else "否", "；".join(r.reasons), r.rank,
            r.score, r.grade, r.computed_score, r.reported_score, r.score_gap, r.score_differences,
            r.full_year_budget, r.executed, _pct(r.execution_rate), r.projects, r.projects_evaluated,
            _pct(r.coverage), sum(r.notes.values()), r.warnings,
        ]  # fmt: skip
        values += [r.notes.get(kind, 0) for kind in TITLES]
        values.append(r.report[len("../../") :] if r.report else (f"{r.forms}/check.html" if r.forms else ""))
        if r.status != VALID:
            values[7:] = [None if v == 0 else v for v in values[7:-1]] + [values[-1]]
        lines.append(values)
    return header, lines


def _cell(value: Any) -> Any:
    """A CSV cell: blank for no value, a whole number without ``.0`` (as Excel shows it)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def csv_text(rows: list[Row]) -> str:
    """UTF-8 with a BOM, so that Excel opens the Chinese text as written."""
    header, lines = records(rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for line in lines:
        writer.writerow([_cell(v) for v in line])
    return "\ufeff" + out.getvalue()


def xlsx_bytes(rows: list[Row], year: int) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header, lines = records(rows)
    book = Workbook()
    sheet = book.active
    sheet.title = f"{year}年汇总"
    sheet.append(header)
    for line in lines:
        sheet.append(line)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="EEF1F5")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for number, label in enumerate(header, start=1):
        width = 30 if label == "需关注原因" else max(8, min(18, len(label) * 2))
        sheet.column_dimensions[get_column_letter(number)].width = width
        if label.endswith("（万元）") or label in ("自评得分", "按规则计算得分", "填报得分", "填报与规则之差"):
            for (cell,) in sheet.iter_rows(min_row=2, min_col=number, max_col=number):
                cell.number_format = "0.00"
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# -- the page -----------------------------------------------------------------------------------


def _bins(values: list[float], bins: tuple) -> list[int]:
    return [sum(1 for v in values if lo <= v < hi) for lo, hi, _ in bins]


def charts_html(rows: list[Row]) -> tuple[str, str]:
    """The distribution of scores and of execution rates, as two bar charts (count of departments)."""
    from jixiao.writing import charts

    scores = [r.score for r in rows if r.score is not None]
    rates = [r.execution_rate for r in rows if r.execution_rate is not None]
    out = []
    for title, values, bins in (
        ("部门整体自评得分分布", scores, SCORE_BINS),
        ("预算执行率分布", rates, RATE_BINS),
    ):
        labels = [label for _, _, label in bins]
        counts = _bins(values, bins)
        chart = charts.bar(labels, counts, title=title, ylabel="部门数（个）", unit="个",
                           alt=charts.alt_text("柱状图", labels, counts, "个"))  # fmt: skip
        out.append(str(chart.html()))
    return out[0], out[1]


def _e(value: Any) -> str:
    from jixiao.writing.provenance import escape

    return escape(str(value))


def _num(value: float | None, unit: str = "") -> str:
    from jixiao import formatting

    return "—" if value is None else f"{formatting.number(value, 2)}{unit}"


def _rate(value: float | None) -> str:
    from jixiao import formatting

    return "—" if value is None else formatting.percent(value)


def html_page(rows: list[Row], year: int, bureau: str = "") -> str:
    from jixiao import __version__, formatting
    from jixiao.render.standalone import page_top

    valid = [r for r in rows if r.score is not None]
    attention = [r for r in rows if r.attention]
    grades = Counter(r.grade for r in valid)
    mean = scoring.round2(sum(r.score for r in valid) / len(valid)) if valid else None
    budget = sum(r.full_year_budget or 0 for r in valid)
    executed = sum(r.executed or 0 for r in valid)
    title = f"{bureau}{year}年度部门整体支出绩效自评汇总"
    score_chart, rate_chart = charts_html(rows)
    grade_text = "，".join(f"{g}{grades[g]}个" for g in ("优", "良", "中", "差") if grades.get(g)) or "—"
    lead = (
        f"{year}年度共汇总{len(rows)}个部门的绩效自评，其中{len(valid)}个可计算得分"
        + (f"，平均得分{formatting.natural(mean)}分" if mean is not None else "")
        + f"（{grade_text}）。"
        + (f"得分部门全年预算数合计{formatting.wanyuan(budget)}，执行数{formatting.wanyuan(executed)}，"
           f"总体执行率{formatting.percent(executed / budget)}。" if budget else "")
        + f"需关注的部门{len(attention)}个，列于表首。"
    )  # fmt: skip
    kinds = list(TITLES)
    head = (
        "<tr><th>序号</th><th>部门</th><th class='num'>得分</th><th>等级</th><th class='num'>名次</th>"
        "<th class='num'>预算执行率</th><th class='num'>填报得分</th><th class='num'>得分不一致</th>"
        "<th>审核提示</th><th class='num'>自评项目</th><th class='num'>覆盖率</th><th>需关注原因</th><th>报告</th></tr>"
    )
    body = []
    for number, r in enumerate(rows, start=1):
        notes = "；".join(f"{TITLES[k]}：{r.notes[k]}条" for k in kinds if r.notes.get(k)) or "—"
        link = (
            f'<a href="{_e(r.report)}">查看</a>'
            if r.report
            else (f"自评表（{_e(r.forms)}/check.html）" if r.forms else "未生成")
        )
        reported = _num(r.reported_score, "分")
        if r.score_gap is not None and r.score_gap:
            reported += f"（{r.score_gap:+.2f}）"
        reasons = "；".join(r.reasons) if r.reasons else "—"
        if r.status != VALID:
            reasons += f"：{r.error}" if r.error else ""
        cls = ' class="jx-attention"' if r.attention else ""
        evaluated = f"{r.projects_evaluated}/{r.projects}" if r.status == VALID else "—"
        body.append(
            f"<tr{cls} data-unit='{_e(r.unit)}'><td class='num'>{number}</td><td class='jx-name'>{_e(r.unit_name)}"
            f"<br><span class='jx-hint'>{_e(r.unit)}</span></td>"
            f"<td class='num'>{_num(r.score)}</td><td class='jx-short'>{_e(r.grade or '—')}</td>"
            f"<td class='num'>{r.rank if r.rank is not None else '—'}</td>"
            f"<td class='num'>{_rate(r.execution_rate)}</td><td class='num'>{reported}</td>"
            f"<td class='num'>{r.score_differences if r.status == VALID else '—'}</td>"
            f"<td class='jx-notes'>{_e(notes)}</td>"
            f"<td class='num'>{evaluated}</td><td class='num'>{_rate(r.coverage)}</td>"
            f"<td>{_e(reasons)}</td><td class='jx-short'>{link}</td></tr>"
        )
    extra_css = """
body.jx-summary { max-width: 297mm; padding-left: 10mm; padding-right: 10mm; }
.jx-summary .jx-table .jx-name, .jx-summary .jx-table .jx-short, .jx-summary .jx-table .num { white-space: nowrap; }
.jx-summary .jx-table { font-size: 0.82em; }
.jx-summary .jx-table td { vertical-align: top; }
.jx-summary .jx-table .jx-notes { min-width: 10em; }
.jx-summary tr.jx-attention td:first-child { border-left: 4px solid var(--jx-warn); }
.jx-summary .jx-charts { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
@media (max-width: 900px) { .jx-summary .jx-charts { grid-template-columns: 1fr; } }
"""
    top = page_top(
        title=title,
        body_class="jx-summary",
        kicker="预算绩效管理 · 部门绩效自评汇总",
        facts=[("部门数", f"{len(rows)}个"), ("平均得分", _num(mean, "分")),
               ("总体执行率", _rate(executed / budget) if budget else "—"), ("需关注", f"{len(attention)}个")],
        extra_css=extra_css,
    )  # fmt: skip
    return (
        top
        + f"""<h2>一、总体情况</h2>
<p>{_e(lead)}</p>
<div class="jx-charts">{score_chart}{rate_chart}</div>
<h2>二、各部门自评结果</h2>
<p class="jx-hint">{_e(ORDER_NOTE)}</p>
<table class="jx-table" id="departments">
<thead>{head}</thead>
<tbody>
{chr(10).join(body)}
</tbody>
</table>
</main>
<footer class="jx-footer">
  <p>{_e(FOOTER.format(version=__version__, year=year))}</p>
</footer>
</body>
</html>
"""
    )


def write(units: list[str], year: int, store: Any = None, *, bureau: str = "",
          forms: list[Path | str] = ()) -> dict[str, str]:  # fmt: skip
    """Write ``_summary/<year>/summary.html``, ``.xlsx`` and ``.csv`` into the store (default: the
    project's ``outputs/``); returns where each went. ``forms``: ``jixiao check`` output folders,
    whose departments join the summary beside the units built with jixiao."""
    from jixiao.store import Store

    store = store if store is not None else Store()
    rows = rank(collect(units, year, store) + forms_rows(list(forms), year))
    folder = f"_summary/{year}"
    files = {
        "html": html_page(rows, year, bureau),
        "xlsx": xlsx_bytes(rows, year),
        "csv": csv_text(rows),
    }
    where = {}
    for ext, data in files.items():
        store.write(f"{folder}/summary.{ext}", data)
        where[ext] = store.where(f"{folder}/summary.{ext}")
    return where
