"""The data model in code: every input table, its Chinese name and its columns.

This module is the single source of truth behind ``docs/data-model.md``: the loader reads headers
and converts cells by it, validation names columns by it, and the Excel template writes its
headers, notes and drop-down lists from it.
"""

from __future__ import annotations

from dataclasses import dataclass

FUND_SOURCES = (
    "一般公共预算",
    "政府性基金预算",
    "国有资本经营预算",
    "财政专户管理资金",
    "其他资金",
)
BASIC = "基本支出"
PROJECT = "项目支出"
BASIC_PARTS = ("人员经费", "公用经费")
"""The two parts of 基本支出: a fund source has either a 基本支出 line or these, never both."""
KINDS = (BASIC, *BASIC_PARTS, PROJECT)
SANGONG_ITEMS = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费")
"""The four items of 三公经费, in the order budget documents list them."""
COMPLETION = ("完成", "部分完成", "未完成")
"""How far a 年度绩效目标 was reached; the last two need a 偏差原因."""
FUND_TYPES = ("当年财政拨款", "上年结转资金", "其他资金")
LEVELS = ("中央", "省级", "市县")
"""``project_funds.level``, 资金级次: which government's money (a transfer payment's 中央资金, 省级资金, 市县资金)."""
LEVEL1 = ("产出指标", "效益指标", "满意度指标")
DIRECTIONS = ("≥", "≤", "=", "定性")
GRADES = ("达成", "部分达成", "未达成")
YES_NO = ("是", "否")
QUALIFIERS = ("约", "多")
NUMERALS = ("中文",)
STAT_KINDS = ("设定",)
"""``stats.kind``: 设定, a rule or standard the year's work follows (高龄津贴起始年龄), not a result of it."""
NARRATIVE_KINDS = ("title", "item", "paragraph")
SOURCES = ("published", "illustrative")
COMPUTED_ACTUALS = ("预算执行率", "预算调整率", "结转结余率")
"""Measures a department indicator's actual can be computed as, from the ``budget`` table
(``jixiao.scoring.BUDGET_MEASURES`` holds their formulas)."""
QUALITATIVE = "定性"
DEPARTMENT = "department"
"""The ``scope`` of a department-level (部门整体) indicator."""

TYPE_LABELS = {"text": "文本", "integer": "整数", "number": "数字", "code": "代码"}
AMOUNT_UNIT = "万元"


@dataclass(frozen=True)
class Column:
    """One column of an input table."""

    key: str
    """English key: the CSV header and the DataFrame column."""
    label: str
    """Chinese label: the Excel header."""
    type: str
    """``text``, ``integer``, ``number`` or ``code``."""
    unit: str = ""
    """Unit of the values (万元, 分, 人); amounts (万元) may be given in 元 with a 元 header."""
    required: bool = False
    codes: tuple[str, ...] = ()
    """Allowed values of a ``code`` column."""
    meaning: str = ""
    minimum: float | None = None
    """Smallest allowed value (inclusive unless ``positive``)."""
    maximum: float | None = None
    positive: bool = False
    """Values must be greater than zero."""
    name: bool = False
    """A name (a text column): one printable line of at most ``paths.NAME_LENGTH`` characters, the
    rule ``paths.check_name`` sets for every name jixiao takes (it goes into titles and document
    properties)."""

    @property
    def is_amount(self) -> bool:
        """An amount in 万元: may be read from a 元 column, never negative."""
        return self.unit == AMOUNT_UNIT

    @property
    def display(self) -> str:
        """How messages name the column: ``全年执行数(executed)``."""
        return f"{self.label}({self.key})"

    @property
    def type_text(self) -> str:
        """The column's type and unit in words: ``数字（万元）``, ``整数（人）``, ``文本``."""
        words = TYPE_LABELS[self.type]
        return f"{words}（{self.unit}）" if self.unit else words

    @property
    def expected(self) -> str:
        """What a cell should hold, with its bounds: ``不小于 0 的数字（万元）``; codes listed."""
        if self.type == "code":
            return "、".join(self.codes)
        words = TYPE_LABELS[self.type]
        if self.positive:
            words = f"大于 0 的{words}"
        elif self.minimum is not None and self.maximum is not None:
            words = f"{self.minimum:g}～{self.maximum:g} 的{words}"
        elif self.minimum is not None:
            words = f"不小于 {self.minimum:g} 的{words}"
        return f"{words}（{self.unit}）" if self.unit else words


@dataclass(frozen=True)
class Table:
    """One input table: a CSV file ``<key>.csv`` or a sheet of ``data.xlsx``."""

    key: str
    name: str
    """Chinese name: the sheet name."""
    columns: tuple[Column, ...]
    meaning: str = ""
    optional: bool = False
    """A table no report asks for unless a chosen block needs it (``jixiao.inputs.needs``)."""

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    @property
    def display(self) -> str:
        """How messages name the table: ``预算(budget)``."""
        return f"{self.name}({self.key})"

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(f"table {self.key} has no column {key!r}")


def _amount(key: str, label: str, meaning: str = "") -> Column:
    return Column(key, label, "number", AMOUNT_UNIT, True, minimum=0.0, meaning=meaning)


def _source_ref() -> Column:
    return Column(
        "source_ref",
        "原表单元格",
        "text",
        meaning="jixiao import 所填：该行各列取自已填报自评表的哪个单元格，"
        "如 forms/民政局-临时救助.xlsx#sheet=附件1&project_name=B3&executed=F7；手工填写的行留空",
    )


def _source() -> Column:
    return Column(
        "source",
        "数据来源",
        "code",
        codes=SOURCES,
        meaning="published：公开报告所载；illustrative：为补全数据而设，非公开数字；空白视为 published",
    )


PROFILE = Table(
    "profile",
    "单位概况",
    (
        Column("unit_id", "单位编码", "text", required=True, meaning="与 params/<unit>/ 的 unit 一致"),
        Column("unit_name", "单位名称", "text", required=True, meaning="如 乐昌市民政局", name=True),
        Column("year", "年度", "integer", required=True, meaning="须与数据文件夹和参数的年度一致"),
        Column("region", "所属地区", "text"),
        Column("supervisor", "主管部门", "text"),
        Column("staff_quota", "编制人数", "integer", "人", minimum=0.0, meaning="编制数：核定编制"),
        Column("staff_active", "在职人数", "integer", "人", minimum=0.0, meaning="实有人数：年末在职"),
        Column("staff_retired", "离退休人数", "integer", "人", minimum=0.0),
        Column(
            "duties",
            "主要职能",
            "text",
            meaning="一段文字；或逐项列出：每行一项，或按 1. 2. / （一）（二） 编号，报告写作编号列表",
        ),
        Column(
            "institutions",
            "内设机构",
            "text",
            meaning="各内设机构以顿号分隔，如 办公室、社会救助股；括号内的下设科室不另计，"
            "如 办公室（信访科、政策法规科）",
        ),
        Column(
            "body_count",
            "内设机构数",
            "integer",
            "个",
            minimum=0.0,
            meaning="单位核定的内设机构个数；填写时以此为准，空白：按内设机构所列个数",
        ),
        Column(
            "units", "二级预算单位", "text", meaning="所属二级预算单位（下属单位），以顿号分隔或每行一个；没有的填 无"
        ),
        Column("preparer", "编制单位", "text", meaning="空白：同单位名称", name=True),
        Column("report_date", "报告日期", "text", meaning="YYYY-MM-DD，如 2020-04-20"),
        Column("contact_person", "联系人", "text"),
        Column("contact_phone", "联系电话", "text"),
        Column(
            "reported_total_score",
            "部门整体自评得分(填报)",
            "number",
            "分",
            minimum=0.0,
            maximum=100.0,
            meaning="单位填报（公开）的部门整体自评总分；与按指标计算的得分不一致时审核提示列出",
        ),
        _source(),
        _source_ref(),
    ),
    "一行：单位的基本情况",
)

BUDGET = Table(
    "budget",
    "预算",
    (
        Column("line_id", "预算行编码", "text", required=True, meaning="唯一"),
        Column("fund_source", "资金来源", "code", required=True, codes=FUND_SOURCES),
        Column(
            "kind",
            "支出类型",
            "code",
            required=True,
            codes=KINDS,
            meaning="基本支出（或其两部分：人员经费、公用经费）、项目支出；同一资金来源不能既有基本支出行又有人员经费或公用经费行",
        ),
        _amount("initial_budget", "年初预算数"),
        _amount("full_year_budget", "全年预算数", "调整后预算，执行率以此为分母"),
        _amount("executed", "全年执行数", "不得超过全年预算数"),
        _source(),
    ),
    "每个资金来源和支出类型一行",
)

PROJECTS = Table(
    "projects",
    "项目",
    (
        Column("project_id", "项目编码", "text", required=True, meaning="唯一"),
        Column("project_name", "项目名称", "text", required=True),
        Column("fund_source", "资金来源", "code", required=True, codes=FUND_SOURCES),
        Column("implementer", "实施单位", "text"),
        _amount("initial_budget", "年初预算数"),
        _amount("full_year_budget", "全年预算数"),
        _amount("executed", "全年执行数", "不得超过全年预算数"),
        Column("self_evaluated", "是否开展自评", "code", required=True, codes=YES_NO),
        Column("not_evaluated_reason", "未开展自评原因", "text", meaning="是否开展自评为“否”时必填"),
        Column("goal", "年度总体目标", "text", meaning="预期目标"),
        Column("outcome", "实际完成情况", "text"),
        Column("weight_execution", "预算执行率分值", "number", "分", minimum=0.0, meaning="空白：取单位默认值（10）"),
        Column("weight_output", "产出指标分值", "number", "分", minimum=0.0, meaning="空白：取默认值（50）"),
        Column("weight_effect", "效益指标分值", "number", "分", minimum=0.0, meaning="空白：取默认值（30）"),
        Column("weight_satisfaction", "满意度指标分值", "number", "分", minimum=0.0, meaning="空白：取默认值（10）"),
        Column(
            "reported_score",
            "自评得分(填报)",
            "number",
            "分",
            minimum=0.0,
            maximum=100.0,
            meaning="单位填报的总分（如有）",
        ),
        _source(),
        _source_ref(),
    ),
    "每个项目一行",
)

PROJECT_FUNDS = Table(
    "project_funds",
    "项目资金",
    (
        Column("project_id", "项目编码", "text", required=True, meaning="项目表中的项目"),
        Column("fund_type", "资金性质", "code", required=True, codes=FUND_TYPES),
        Column(
            "level",
            "资金级次",
            "code",
            codes=LEVELS,
            meaning="专项（转移支付）资金的级次：中央、省级或市县；同一项目的资金行须全部填写或全部空白",
        ),
        _amount("initial_budget", "年初预算数"),
        _amount("full_year_budget", "全年预算数"),
        _amount("executed", "全年执行数"),
        _source(),
        _source_ref(),
    ),
    "自评表的资金情况：每个项目各行之和等于项目表中的三个金额",
)

INDICATORS = Table(
    "indicators",
    "绩效指标",
    (
        Column("indicator_id", "指标编码", "text", required=True, meaning="唯一"),
        Column("scope", "适用对象", "text", required=True, meaning="项目编码，或 department（部门整体）"),
        Column(
            "level1",
            "一级指标",
            "text",
            required=True,
            meaning="项目：产出指标、效益指标、满意度指标；部门整体：任意名称",
        ),
        Column(
            "level2", "二级指标", "text", required=True, meaning="数量指标、质量指标、时效指标、成本指标、社会效益指标…"
        ),
        Column("level3", "三级指标", "text", required=True, meaning="指标名称"),
        Column("direction", "指标性质", "code", required=True, codes=DIRECTIONS, meaning=">= 和 <= 读作 ≥ 和 ≤"),
        Column("target", "年度指标值", "number", meaning="定性指标以外必填；95% 读作 95"),
        Column("target_text", "指标值说明", "text", meaning="定性指标：预期目标"),
        Column("actual", "实际完成值", "number", meaning="空白：缺失，计 0 分并列出"),
        Column("actual_grade", "定性完成档次", "code", codes=GRADES, meaning="定性指标必填"),
        Column("measure_unit", "度量单位", "text", meaning="%、人、万元…"),
        Column(
            "weight",
            "分值",
            "number",
            "分",
            positive=True,
            meaning="项目：各一级指标下分值之和等于该一级指标分值；部门整体：合计 100。"
            "空白（表上没有分值，如转移支付自评表）：取计分规则的默认分值，该一级指标的分值减去已填分值后"
            "在空白各行间均分（部门整体：100 减去已填分值），报告标为默认值",
        ),
        Column(
            "reported_score", "得分(填报)", "number", "分", minimum=0.0, meaning="单位自评得分；定性指标须在档次区间内"
        ),
        Column("deviation_reason", "偏差原因分析及改进措施", "text"),
        Column(
            "computed_actual",
            "实际值计算口径",
            "code",
            codes=COMPUTED_ACTUALS,
            meaning="部门整体指标：实际完成值由预算表计算（预算执行率 = 全年执行数 ÷ 全年预算数 × 100；"
            "预算调整率 = (全年预算数 − 年初预算数) ÷ 年初预算数 × 100；"
            "结转结余率 = (全年预算数 − 全年执行数) ÷ 全年预算数 × 100），实际完成值留空",
        ),
        Column(
            "stats_key",
            "业务统计指标键",
            "text",
            meaning="与业务统计(stats)表中某一数字为同一事项时，填其指标键（或 a+b 表示两项之和）；"
            "审核提示核对两者是否一致（万人次、万人等按 1 万换算）",
        ),
        _source(),
        _source_ref(),
    ),
    "每个三级指标一行",
)

STATS = Table(
    "stats",
    "业务统计",
    (
        Column("section", "所属章节", "text", required=True, meaning="单位设置中的专题键（dibao、yanglao…）"),
        Column("key", "指标键", "text", required=True, meaning="年度内唯一；跨年度同键同义"),
        Column("label", "指标名称", "text", required=True),
        Column("value", "数值", "number", required=True),
        Column("unit", "计量单位", "text", required=True, meaning="人、户、人次、万元、%…"),
        Column("qualifier", "修饰", "code", codes=QUALIFIERS, meaning="约 或 多"),
        Column("numerals", "数字写法", "code", codes=NUMERALS, meaning="中文：以汉字书写数字（两条）"),
        Column(
            "kind",
            "类别",
            "code",
            codes=STAT_KINDS,
            meaning="设定：政策或工作标准（如高龄津贴起始年龄），不是当年工作的结果，不与上年比较",
        ),
        _source(),
        Column("note", "备注", "text"),
    ),
    "专题章节背后的业务统计数字",
)

NARRATIVE = Table(
    "narrative",
    "文字材料",
    (
        Column(
            "section",
            "所属章节",
            "text",
            required=True,
            meaning="专题键，或 problems（存在问题）、improvements（改进措施）、evaluation（评价工作开展情况）、"
            "application（结果应用）、disclosure（信息公开）",
        ),
        Column("order", "序号", "integer", required=True, meaning="章节内的顺序"),
        Column("kind", "类型", "code", required=True, codes=NARRATIVE_KINDS, meaning="title、item 或 paragraph"),
        Column(
            "text",
            "内容",
            "text",
            required=True,
            meaning="{key} 代表业务统计表中该键的数字；{year}、{unit_name} 取自单位概况",
        ),
        _source(),
    ),
    "数据说不出的文字",
)

PUBLISHED = Table(
    "published",
    "公开数字",
    (
        Column(
            "key",
            "数字键",
            "text",
            required=True,
            meaning="唯一。计算得出的数字：jixiao 列出的键（如 department_score、"
            "evaluated_share.一般公共预算，见数据字典）；"
            "输入表中的一个单元格：表:编码:列（如 stats:tekun_scattered_people:value、budget:B03:executed、"
            "projects:YB01:project_name；项目资金表以 项目编码/资金性质 为编码，如 "
            "project_funds:YB01/当年财政拨款:executed；单位概况表以单位编码为编码，"
            "如 profile:lechang-mzj:staff_quota）",
        ),
        Column("label", "名称", "text", required=True, meaning="公开报告中的说法"),
        Column("value", "数值", "number", meaning="公开报告所印的数值（百分数记 79.5）；文字（如项目名称）填在原文列"),
        Column("printed", "原文", "text", meaning="公开报告所印的文字，如项目名称；数值列为空时必填"),
        Column("unit", "计量单位", "text", meaning="万元、分、个、%…"),
        Column("document", "公开文件", "text", required=True, meaning="公开发布的文件名称"),
        Column("location", "位置", "text", required=True, meaning="页码或段落，如 第1段、第3页、（一）三是"),
        Column("note", "备注", "text"),
    ),
    "可选：单位公开报告所印的数字及其出处，用于核对由示例数据计算出的数字（一致者标为“与公开数一致”）",
    optional=True,
)


SANGONG = Table(
    "sangong",
    "三公经费",
    (
        Column("item", "项目", "code", required=True, codes=SANGONG_ITEMS, meaning="每项一行，不重复"),
        _amount("full_year_budget", "全年预算数"),
        _amount("executed", "全年执行数", "不得超过全年预算数"),
        Column(
            "last_year_executed",
            "上年执行数",
            "number",
            AMOUNT_UNIT,
            minimum=0.0,
            meaning="空白：取上年三公经费表的全年执行数（如有上年数据）",
        ),
        _source(),
    ),
    "选填：“三公”经费各项的预算、执行和上年执行数",
    optional=True,
)

GOALS = Table(
    "goals",
    "年度绩效目标",
    (
        Column("goal_id", "目标编码", "text", meaning="唯一（可空白）"),
        Column("goal", "绩效目标", "text", required=True, meaning="部门年初设定的年度绩效目标"),
        Column("completion", "完成情况", "code", required=True, codes=COMPLETION),
        Column("outcome", "实际完成情况", "text", meaning="{key} 代表业务统计表中该键的数字"),
        Column("deviation_reason", "偏差原因及改进措施", "text", meaning="完成情况为部分完成或未完成时必填"),
        Column(
            "indicator_id",
            "对应指标编码",
            "text",
            meaning="衡量该目标的绩效指标（指标表的指标编码，多个用、分隔）：审核提示核对两者是否一致",
        ),
        _source(),
    ),
    "选填：部门整体的年度绩效目标及其完成情况，每个目标一行",
    optional=True,
)

TABLES: dict[str, Table] = {
    t.key: t
    for t in (PROFILE, BUDGET, PROJECTS, PROJECT_FUNDS, INDICATORS, STATS, NARRATIVE, PUBLISHED, SANGONG, GOALS)
}
"""Every input table by key, in the order of ``jixiao.inputs.dataset.TABLES``."""

OPTIONAL_TABLES = frozenset(k for k, t in TABLES.items() if t.optional)
"""Tables not asked for when no settings say which sections the report has (a missing one is
read as an empty table); with settings, a chosen block may need one (``goals``)."""
REQUIRED_TABLES = tuple(k for k, t in TABLES.items() if not t.optional)
"""The tables asked for when no settings say which sections the report has; with settings,
validation asks for the tables the chosen sections need (``jixiao.inputs.needs``)."""

ID_COLUMNS = {
    "budget": "line_id",
    "projects": "project_id",
    "indicators": "indicator_id",
    "stats": "key",
    "published": "key",
    "sangong": "item",
    "goals": "goal_id",
}
"""The column of each table whose values must be unique."""

NARRATIVE_FIELDS = ("year", "unit_name")
"""Placeholders of narrative text filled from the profile rather than from ``stats``."""


def spending_class(kind: str) -> str:
    """基本支出 for 基本支出 and its parts (人员经费, 公用经费); the kind itself otherwise.

    >>> spending_class("人员经费"), spending_class("基本支出"), spending_class("项目支出")
    ('基本支出', '基本支出', '项目支出')
    """
    return BASIC if kind in BASIC_PARTS else kind


def table_by_name(name: str) -> Table | None:
    """The table whose key or Chinese name is ``name`` (a sheet name), or None."""
    name = name.strip()
    for table in TABLES.values():
        if name in (table.key, table.name):
            return table
    return None
