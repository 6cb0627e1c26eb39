"""A synthetic province: many units of several department kinds, for scale tests and demos.

``jixiao synth --units N --years Y… --seed S`` writes ``data/synth-…/<year>/`` and
``params/synth-…/`` for N units (民政, 教育, 卫健, 农业农村, 交通运输 in turn), every row marked
``source = illustrative``. Budgets, projects and their funds, indicators, statistics and the
narrative of each department kind's themes are drawn from a seeded random generator: the same
seed gives byte-identical files, and each unit depends only on the seed and its own number, so
adding units leaves the earlier ones as they were.

A known share of the units carries a planted fault in its latest year, so that the bureau's
summary and the review notes have something true to find (each unit's ``DATALOG.md`` says which):

- ``mismatch``: the reported scores (a project's total and the department's) differ from the
  rules' by a few points;
- ``late``: one project started late; its execution is below 90% and its 时效 indicator short;
- ``bad``: an amount typed with its unit in the cell (``1234.56万元``): validation refuses the unit.

``--forms`` also writes each unit-year's submitted 自评表 workbooks, in the layouts and with the
quirks of ``jixiao.forms.samples``, into ``data/<unit>/<year>/forms/``, with faults planted for
``jixiao check`` to find and ``forms-key.json`` beside them saying where (:func:`write_forms`).

The standard blocks of the data model (三公经费 ``sangong``, 年度绩效目标 ``goals``, the profile's
contact and reported-score columns, 人员经费/公用经费 budget lines, the reason a project was not
evaluated) are written when the package's data model has them, so the output always validates
against the package that wrote it.
"""

from __future__ import annotations

import csv
import io
import random
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from jixiao import paths
from jixiao.inputs import schema

PREFIX = "synth-"
SHARES = {"bad": 0.05, "mismatch": 0.2, "late": 0.2}
"""The default share of units with each planted fault (at least one unit each from 3 units up)."""
FAULTS = tuple(SHARES)
SOURCE = "illustrative"


# -- what each kind of department does ---------------------------------------------------------


@dataclass(frozen=True)
class Stat:
    key: str
    label: str
    base: float
    unit: str
    decimals: int = 0
    """0: a count; 2: an amount."""


@dataclass(frozen=True)
class Theme:
    key: str
    title: str
    stats: tuple[Stat, ...]
    items: tuple[str, ...]
    """Narrative templates: ``{key}`` is a stats figure."""
    chart: tuple[str, tuple[str, ...]]
    """(title, keys): one grouped bar chart, keys of one unit."""


@dataclass(frozen=True)
class Project:
    name: str
    goal: str
    outcome: str
    count_label: str
    count_unit: str
    count: int
    effect: str
    """定性 效益 indicator: its name."""
    effect_target: str
    base_amount: float
    """万元, full-year budget before the unit's scale."""


@dataclass(frozen=True)
class Kind:
    code: str
    name: str
    """The department's name after the county: 民政局."""
    duties: str
    institutions: str
    themes: tuple[Theme, ...]
    projects: tuple[Project, ...]
    goals: tuple[tuple[str, str], ...]
    """(goal, outcome) of the department's year."""
    key_work: str
    """The department's key-work indicator (部门整体)."""
    problems: tuple[str, ...]
    improvements: tuple[str, ...]
    scale: float
    """Budget scale (万元) of the kind's basic spending."""


KINDS: tuple[Kind, ...] = (
    Kind(
        "mz",
        "民政局",
        "负责社会救助、养老服务、儿童福利、殡葬管理、婚姻登记、社会组织登记管理和基层政权建设等民政工作",
        "办公室、社会救助股、养老服务股、社会事务股、基层政权和社区建设股",
        (
            Theme(
                "jiuzhu",
                "社会救助兜底保障有力",
                (
                    Stat("dibao_households", "城乡低保户数", 2600, "户"),
                    Stat("dibao_people", "城乡低保人数", 5200, "人"),
                    Stat("linshi_persontimes", "临时救助人次", 320, "人次"),
                    Stat("linshi_amount", "临时救助金", 48.5, "万元", 2),
                ),
                (
                    "全面落实城乡低保制度。全县共保障城乡低保户{dibao_households}、{dibao_people}，做到应保尽保。",
                    "及时开展临时救助。全年共救助{linshi_persontimes}，发放临时救助金{linshi_amount}。",
                ),
                ("临时救助人次", ("linshi_persontimes",)),
            ),
            Theme(
                "yanglao",
                "养老服务体系不断完善",
                (
                    Stat("gaoling_people", "高龄津贴发放人数", 8200, "人"),
                    Stat("gaoling_amount", "高龄津贴发放金额", 196, "万元", 2),
                    Stat("jly_count", "敬老院数量", 12, "所"),
                    Stat("jly_beds", "敬老院床位数", 860, "张"),
                ),
                (
                    "按时足额发放高龄津贴。全年为{gaoling_people}高龄老人发放津贴{gaoling_amount}。",
                    "推进敬老院提质改造。全县{jly_count}敬老院共有床位{jly_beds}，服务质量稳步提升。",
                ),
                ("高龄津贴发放人数", ("gaoling_people",)),
            ),
        ),
        (
            Project(
                "城乡低保",
                "按标准保障城乡低保对象基本生活",
                "低保金按月足额发放，动态管理按要求开展",
                "低保保障人数",
                "人",
                5200,
                "困难群众基本生活保障水平",
                "保障水平稳步提高",
                3100,
            ),
            Project(
                "特困供养",
                "保障特困供养人员基本生活",
                "供养金按时发放，集中供养条件改善",
                "特困供养人数",
                "人",
                640,
                "特困人员生活质量",
                "生活质量明显改善",
                1450,
            ),
            Project(
                "高龄津贴",
                "按时发放高龄津贴",
                "高龄津贴按季度足额发放",
                "高龄津贴发放人数",
                "人",
                8200,
                "老年人福利水平",
                "福利待遇按时落实",
                380,
            ),
            Project(
                "敬老院提质改造",
                "完成敬老院消防和适老化改造",
                "改造工程按计划完工并投入使用",
                "改造敬老院数量",
                "所",
                4,
                "集中供养服务能力",
                "服务能力明显提升",
                520,
            ),
            Project(
                "殡葬改革",
                "推进殡葬改革和公益性公墓建设",
                "公益性公墓建设有序推进",
                "新建公益性公墓数量",
                "个",
                3,
                "殡葬移风易俗成效",
                "文明节俭治丧蔚然成风",
                260,
            ),
        ),
        (
            ("城乡低保应保尽保", "全年动态管理，应保尽保、应退尽退"),
            ("特困人员供养金按时足额发放", "供养金按月发放到位"),
            ("敬老院提质改造完成", "改造工程完工并投入使用"),
        ),
        "民生兜底保障任务完成率",
        ("部分救助对象动态管理不够及时，个别家庭收入核对滞后。", "养老服务设施运营水平不高，专业护理人员不足。"),
        ("健全救助对象动态管理机制，加强部门间信息比对。", "加强养老护理人员培训，提升敬老院运营管理水平。"),
        1100,
    ),
    Kind(
        "jy",
        "教育局",
        "负责学前教育、义务教育、普通高中教育和职业教育的统筹管理，教师队伍建设和学生资助等工作",
        "办公室、基础教育股、人事股、计划财务股、学生资助管理中心",
        (
            Theme(
                "yiwu",
                "义务教育均衡发展",
                (
                    Stat("schools", "义务教育学校数", 86, "所"),
                    Stat("students", "义务教育在校学生", 42000, "人"),
                    Stat("teachers_trained", "培训教师人次", 3100, "人次"),
                    Stat("renovated_schools", "完成薄弱学校改造", 9, "所"),
                ),
                (
                    "办学条件持续改善。全县{schools}义务教育学校共有在校学生{students}，完成薄弱学校改造{renovated_schools}。",
                    "教师队伍素质提升。全年培训教师{teachers_trained}，覆盖全部学段。",
                ),
                ("学校建设", ("schools", "renovated_schools")),
            ),
            Theme(
                "zizhu",
                "学生资助应助尽助",
                (
                    Stat("aided_students", "资助学生人次", 6800, "人次"),
                    Stat("aid_amount", "资助金额", 905, "万元", 2),
                    Stat("lunch_students", "营养改善计划受益学生", 15500, "人"),
                ),
                (
                    "精准落实学生资助政策。全年资助学生{aided_students}，发放资助金{aid_amount}。",
                    "实施农村义务教育学生营养改善计划，受益学生{lunch_students}。",
                ),
                ("资助学生人次", ("aided_students",)),
            ),
        ),
        (
            Project(
                "义务教育公用经费保障",
                "按标准拨付义务教育学校公用经费",
                "公用经费按生均标准足额拨付",
                "保障学生人数",
                "人",
                42000,
                "学校正常运转",
                "学校运转正常",
                2600,
            ),
            Project(
                "学生资助",
                "落实各学段学生资助政策",
                "资助资金按时足额发放到学生",
                "资助学生人次",
                "人次",
                6800,
                "家庭经济困难学生就学保障",
                "无因贫失学辍学",
                900,
            ),
            Project(
                "薄弱学校改造",
                "完成薄弱学校校舍改造和设备购置",
                "改造工程完工，设备投入使用",
                "改造学校数量",
                "所",
                9,
                "办学条件改善",
                "办学条件明显改善",
                1800,
            ),
            Project(
                "教师培训",
                "开展全员教师培训",
                "各学段教师培训按计划完成",
                "培训教师人次",
                "人次",
                3100,
                "教师专业能力",
                "教师专业能力提升",
                160,
            ),
            Project(
                "营养改善计划",
                "为农村义务教育学生提供营养膳食补助",
                "营养膳食补助按时发放",
                "受益学生人数",
                "人",
                15500,
                "学生营养健康状况",
                "学生营养状况改善",
                1200,
            ),
        ),
        (
            ("义务教育巩固率保持在95%以上", "义务教育巩固率稳定"),
            ("学生资助应助尽助", "资助资金全部发放到位"),
            ("薄弱学校改造全部完工", "改造工程完工并投入使用"),
        ),
        "教育重点工作完成率",
        ("城乡学校办学条件仍有差距，部分农村学校师资不足。", "教师培训针对性有待加强。"),
        ("继续推进薄弱学校改造，统筹城乡教师配置。", "按需设计培训内容，提高培训实效。"),
        3200,
    ),
    Kind(
        "wj",
        "卫生健康局",
        "负责医疗卫生服务体系建设、基本公共卫生服务、疾病预防控制、妇幼健康和计划生育服务等工作",
        "办公室、医政医管股、基层卫生股、疾病预防控制股、妇幼健康股",
        (
            Theme(
                "gongwei",
                "基本公共卫生服务扎实推进",
                (
                    Stat("health_records", "居民电子健康档案建档人数", 360000, "人"),
                    Stat("elderly_checkups", "老年人健康体检人数", 38000, "人"),
                    Stat("chronic_managed", "慢性病规范管理人数", 41000, "人"),
                ),
                (
                    "居民健康档案不断完善。全县建立居民电子健康档案{health_records}。",
                    "重点人群健康管理有效开展。全年为{elderly_checkups}老年人开展健康体检，规范管理慢性病患者{chronic_managed}。",
                ),
                ("重点人群健康管理", ("elderly_checkups", "chronic_managed")),
            ),
            Theme(
                "jiceng",
                "基层医疗服务能力提升",
                (
                    Stat("clinics_upgraded", "标准化建设村卫生站", 45, "个"),
                    Stat("doctors_trained", "培训基层医务人员人次", 1200, "人次"),
                    Stat("outpatients", "基层医疗机构门诊人次", 520000, "人次"),
                ),
                (
                    "完成{clinics_upgraded}村卫生站标准化建设，培训基层医务人员{doctors_trained}。",
                    "基层医疗机构全年诊疗{outpatients}，群众就近就医更加便利。",
                ),
                ("村卫生站标准化建设", ("clinics_upgraded",)),
            ),
        ),
        (
            Project(
                "基本公共卫生服务",
                "按人均标准提供基本公共卫生服务",
                "各项服务按规范开展",
                "健康体检人数",
                "人",
                38000,
                "居民健康水平",
                "居民健康素养提高",
                2100,
            ),
            Project(
                "村卫生站标准化建设",
                "完成村卫生站标准化建设",
                "建设任务全部完成并投入使用",
                "建设村卫生站数量",
                "个",
                45,
                "群众就医便利程度",
                "就近就医更加便利",
                680,
            ),
            Project(
                "基层医务人员培训",
                "开展基层医务人员岗位培训",
                "培训按计划完成",
                "培训人次",
                "人次",
                1200,
                "基层服务能力",
                "服务能力提升",
                150,
            ),
            Project(
                "重大疾病防控",
                "做好重大传染病防控和免疫规划",
                "免疫规划疫苗接种率达标",
                "免疫规划接种人次",
                "人次",
                52000,
                "重大疾病防控成效",
                "无重大疫情发生",
                540,
            ),
        ),
        (
            ("基本公共卫生服务项目全部完成", "各项服务指标达标"),
            ("村卫生站标准化建设全部完成", "建设任务完成"),
            ("免疫规划疫苗接种率保持在90%以上", "接种率达标"),
        ),
        "卫生健康重点任务完成率",
        ("基层医务人员数量不足，村医队伍老化。", "健康档案使用率不高。"),
        ("通过订单定向培养补充基层医务人员。", "推动电子健康档案向居民开放使用。"),
        1800,
    ),
    Kind(
        "ny",
        "农业农村局",
        "负责粮食生产、农田建设、农业产业发展、农村人居环境整治和乡村振兴相关工作",
        "办公室、农田建设股、种植业股、农村社会事业股、农业综合执法大队",
        (
            Theme(
                "liangshi",
                "粮食生产稳定发展",
                (
                    Stat("grain_area", "粮食播种面积", 32, "万亩", 2),
                    Stat("high_std_fields", "新建高标准农田", 2.6, "万亩", 2),
                    Stat("subsidy_farmers", "耕地地力保护补贴受益农户", 41000, "户"),
                ),
                (
                    "全县粮食播种面积{grain_area}，新建高标准农田{high_std_fields}。",
                    "耕地地力保护补贴发放到{subsidy_farmers}，惠农政策落实到位。",
                ),
                ("粮食生产与农田建设", ("grain_area", "high_std_fields")),
            ),
            Theme(
                "renju",
                "农村人居环境持续改善",
                (
                    Stat("toilets", "完成农村户厕改造", 3800, "户"),
                    Stat("villages_cleaned", "开展村庄清洁行动的行政村", 120, "个"),
                ),
                ("完成农村户厕改造{toilets}，{villages_cleaned}行政村开展村庄清洁行动。",),
                ("农村户厕改造", ("toilets",)),
            ),
        ),
        (
            Project(
                "高标准农田建设",
                "新建高标准农田",
                "建设任务按计划完成并通过验收",
                "新建面积",
                "亩",
                26000,
                "粮食综合生产能力",
                "生产能力提升",
                3900,
            ),
            Project(
                "耕地地力保护补贴",
                "按面积发放耕地地力保护补贴",
                "补贴资金发放到户",
                "受益农户",
                "户",
                41000,
                "农民种粮积极性",
                "种粮积极性提高",
                2300,
            ),
            Project(
                "农村户厕改造",
                "完成农村户厕无害化改造",
                "改造任务完成",
                "改造户厕数",
                "户",
                3800,
                "农村人居环境",
                "人居环境明显改善",
                760,
            ),
            Project(
                "农业技术推广",
                "推广主导品种和主推技术",
                "技术推广按计划开展",
                "培训农民人次",
                "人次",
                5200,
                "农业科技水平",
                "科技水平提高",
                210,
            ),
        ),
        (
            ("粮食播种面积稳定", "播种面积稳定在目标以上"),
            ("高标准农田建设任务完成", "建设任务完成并通过验收"),
            ("农村户厕改造任务完成", "改造任务完成"),
        ),
        "乡村振兴重点任务完成率",
        ("高标准农田建后管护机制不健全。", "部分项目前期工作准备不足，开工偏晚。"),
        ("建立高标准农田建后管护责任制。", "提前做好项目储备和前期工作，加快支出进度。"),
        900,
    ),
    Kind(
        "jt",
        "交通运输局",
        "负责公路建设和养护、农村公路管理、道路运输和交通安全监管等工作",
        "办公室、规划建设股、公路养护股、运输管理股、安全监督股",
        (
            Theme(
                "gonglu",
                "农村公路建设提速",
                (
                    Stat("roads_built", "新改建农村公路", 86, "公里", 2),
                    Stat("bridges_rebuilt", "改造危桥", 7, "座"),
                    Stat("roads_maintained", "日常养护公路里程", 1650, "公里", 2),
                ),
                (
                    "新改建农村公路{roads_built}，改造危桥{bridges_rebuilt}。",
                    "落实公路日常养护，全年养护里程{roads_maintained}。",
                ),
                ("公路建设与养护", ("roads_built", "roads_maintained")),
            ),
            Theme(
                "yunshu",
                "道路运输服务保障有力",
                (
                    Stat("bus_routes", "城乡公交线路", 34, "条"),
                    Stat("safety_checks", "开展安全检查次数", 260, "次"),
                ),
                (
                    "开通城乡公交线路{bus_routes}，方便群众出行。",
                    "全年开展交通运输安全检查{safety_checks}，未发生较大安全事故。",
                ),
                ("城乡公交线路", ("bus_routes",)),
            ),
        ),
        (
            Project(
                "农村公路建设",
                "新改建农村公路",
                "建设任务完成并交工验收",
                "新改建里程",
                "公里",
                86,
                "群众出行条件",
                "出行条件改善",
                4200,
            ),
            Project(
                "危桥改造",
                "改造危旧桥梁",
                "危桥改造完成",
                "改造危桥数量",
                "座",
                7,
                "通行安全",
                "通行安全隐患消除",
                1300,
            ),
            Project(
                "公路日常养护",
                "落实公路日常养护",
                "养护任务完成，路况良好",
                "养护里程",
                "公里",
                1650,
                "公路通行质量",
                "路况稳定良好",
                980,
            ),
            Project(
                "城乡公交运营补贴",
                "保障城乡公交正常运营",
                "补贴按季度拨付",
                "补贴线路数",
                "条",
                34,
                "城乡公交服务水平",
                "服务水平提高",
                420,
            ),
        ),
        (
            ("农村公路建设任务完成", "建设任务完成"),
            ("危桥改造全部完成", "改造任务完成"),
            ("全年无较大交通运输安全事故", "未发生较大事故"),
        ),
        "交通运输重点任务完成率",
        ("农村公路养护资金缺口较大。", "部分建设项目征地拆迁进度慢，影响支出进度。"),
        ("多渠道筹措养护资金，落实县乡村三级养护责任。", "提前协调征地拆迁，加快项目建设和资金支付。"),
        650,
    ),
)

COUNTIES_FIRST = "东南西北青云枫石柳梅竹荷杏桂榆松"
COUNTIES_SECOND = ("岚", "屏", "岭", "溪", "禾", "川", "林", "湾", "塘", "岗", "坪", "江")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ("伟", "芳", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超")
SANGONG_ITEMS = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费")


# -- the plan: which unit is what --------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """One synthetic unit: its id, kind, name and planted faults (in its latest year)."""

    id: str
    kind: Kind
    name: str
    county: str
    number: int
    faults: frozenset[str] = field(default_factory=frozenset)


def _county(number: int) -> str:
    """The county of the unit numbered ``number`` (0-based), five kinds of department a county."""
    index = number // len(KINDS)
    first = COUNTIES_FIRST[index % len(COUNTIES_FIRST)]
    second = COUNTIES_SECOND[(index // len(COUNTIES_FIRST)) % len(COUNTIES_SECOND)]
    rounds = index // (len(COUNTIES_FIRST) * len(COUNTIES_SECOND))
    return f"{first}{second}{'' if rounds == 0 else rounds + 1}县"


def fault_counts(n: int, shares: dict[str, float] | None = None) -> dict[str, int]:
    """How many of ``n`` units get each fault: the share rounded, at least one from 3 units up."""
    shares = {**SHARES, **(shares or {})}
    return {f: (max(1, round(n * s)) if n >= 3 and s > 0 else 0) for f, s in shares.items()}


def plan(n: int, seed: int, shares: dict[str, float] | None = None) -> list[Unit]:
    """The ``n`` units of a seed: ids, kinds, names and faults (``bad`` units have no other)."""
    width = max(3, len(str(n)))
    counts = fault_counts(n, shares)
    order = list(range(n))
    random.Random(f"jixiao-synth:{seed}:faults:{n}").shuffle(order)
    faults: dict[int, set[str]] = {i: set() for i in range(n)}
    bad = order[: counts["bad"]]
    for i in bad:
        faults[i].add("bad")
    rest = order[counts["bad"] :] or order
    position = 0
    for fault in ("mismatch", "late"):
        for _ in range(counts[fault]):
            faults[rest[position % len(rest)]].add(fault)
            position += 1
    units = []
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        county = _county(i)
        units.append(Unit(f"{PREFIX}{kind.code}-{i + 1:0{width}d}", kind, f"{county}{kind.name}", county, i,
                          frozenset(faults[i])))  # fmt: skip
    return units


# -- numbers -----------------------------------------------------------------------------------


def _cents(value: float) -> int:
    return int(Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP) * 100)


def _wan(cents: int) -> str:
    return f"{cents / 100:.2f}"


def _num(value: float, decimals: int) -> str:
    if decimals == 0:
        return str(round(value))
    return f"{value:.{decimals}f}".rstrip("0").rstrip(".")


# -- one unit-year ------------------------------------------------------------------------------


def _has(table: str, column: str | None = None) -> bool:
    if table not in schema.TABLES:
        return False
    return column is None or column in schema.TABLES[table].keys


class _Year:
    """The tables of one unit-year, as rows of strings."""

    def __init__(self, unit: Unit, year: int, years: list[int], seed: int) -> None:
        first_year, latest = years[0], year == years[-1]
        self.years = set(years)
        self.unit, self.year, self.kind, self.seed = unit, year, unit.kind, seed
        self.faults = unit.faults if latest else frozenset()
        self.rng = random.Random(f"jixiao-synth:{seed}:{unit.number}:{year}")
        base = random.Random(f"jixiao-synth:{seed}:{unit.number}")  # what stays from year to year
        self.size = base.uniform(0.6, 1.6)
        self.quality = base.choice((1.0, 1.0, 0.97, 0.93, 0.85, 0.75, 0.6))
        """How well the department meets its key-work target (its score spreads with it)."""
        self.growth_rate, self.first_year = base.uniform(0.02, 0.08), first_year
        self.growth = (1 + self.growth_rate) ** (year - first_year)
        self._amounts_of: dict[tuple[int, int, bool], tuple[int, int, int, int]] = {}
        self.split_basic = base.random() < 0.5 and "人员经费" in schema.KINDS
        self.fund_projects = base.sample(range(len(self.kind.projects)), k=min(len(self.kind.projects) - 1, 4))
        self.late_project = self.fund_projects[base.randrange(len(self.fund_projects))]
        self.not_evaluated = next(i for i in range(len(self.kind.projects)) if i not in self.fund_projects)
        self.project_size = [base.uniform(0.85, 1.15) for _ in self.kind.projects]
        self.contact = SURNAMES[base.randrange(len(SURNAMES))] + GIVEN[base.randrange(len(GIVEN))]
        self.phone = f"0{base.randint(700, 799)}-{base.randint(2000000, 8999999)}"
        self.tables: dict[str, list[dict[str, str]]] = {}
        self.first = year - 1 not in self.years
        """The first year written: 三公经费 carry last year's figures (later years take them from it)."""

    # each table ---------------------------------------------------------------------------

    def build(self) -> dict[str, list[dict[str, str]]]:
        self._projects()
        self._budget()
        self._department()
        self._stats_narrative()
        if _has("sangong"):
            self._sangong()
        if _has("goals"):
            self._goals()
        self._profile()
        if "bad" in self.faults:
            row = self.tables["budget"][0]
            row["executed"] = f"{row['executed']}万元"
        return self.tables

    def _projects(self) -> None:
        from jixiao import scoring

        projects, funds, indicators = [], [], []
        self.project_cents = {"budget": 0, "executed": 0}
        for n, index in enumerate([*self.fund_projects, self.not_evaluated], start=1):
            spec = self.kind.projects[index]
            pid = f"P{n:02d}"
            evaluated = index != self.not_evaluated
            late = evaluated and "late" in self.faults and index == self.late_project
            initial, full_year, carried, executed = self._amounts(self.year, index, late)
            rows = [("当年财政拨款", initial, full_year - carried)]
            if carried:
                rows.append(("上年结转资金", 0, carried))
            spent = executed
            for fund_type, init, fy in rows:
                part = min(fy, spent)
                spent -= part
                funds.append({"project_id": pid, "fund_type": fund_type, "initial_budget": _wan(init),
                              "full_year_budget": _wan(fy), "executed": _wan(part), "source": SOURCE})  # fmt: skip
            self.project_cents["budget"] += full_year
            self.project_cents["executed"] += executed
            outcome = spec.outcome
            if late:
                outcome = "项目前期手续办理时间较长，开工较晚，年末仍在实施，部分资金未能支付"
            row = {
                "project_id": pid, "project_name": spec.name, "fund_source": "一般公共预算",
                "implementer": self.unit.name, "initial_budget": _wan(initial),
                "full_year_budget": _wan(full_year), "executed": _wan(executed),
                "self_evaluated": "是" if evaluated else "否", "goal": spec.goal, "outcome": outcome,
                "weight_execution": "", "weight_output": "", "weight_effect": "", "weight_satisfaction": "",
                "reported_score": "", "source": SOURCE,
            }  # fmt: skip
            if _has("projects", "not_evaluated_reason"):
                row["not_evaluated_reason"] = "" if evaluated else "项目为年中追加的一次性补助，纳入下年度重点评价计划"
            projects.append(row)
            if not evaluated:
                continue
            count = max(1, round(spec.count * self.size * self.growth))
            reached = self.rng.choice((1.0, 1.0, 1.02, 1.05, self.rng.uniform(0.9, 1.0)))
            timely = round(self.rng.uniform(62, 78)) if late else 100
            satisfaction = self.rng.randint(88, 98)
            reason = "项目开工较晚，年末工程仍在实施，资金按进度支付；下年度将提前开展前期工作" if late else ""
            rows_i = [
                ("产出指标", "数量指标", spec.count_label, "≥", count, max(0, round(count * reached)),
                 spec.count_unit, 20),
                ("产出指标", "质量指标", "任务完成合格率", "≥", 100, 100, "%", 15),
                ("产出指标", "时效指标", "按时完成率", "≥", 100, timely, "%", 15),
                ("效益指标", "社会效益指标", spec.effect, "定性", None, None, "", 30),
                ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥", 90, satisfaction, "%", 10),
            ]  # fmt: skip
            for k, (l1, l2, l3, direction, target, actual, unit, weight) in enumerate(rows_i, start=1):
                qualitative = direction == "定性"
                grade = ("部分达成" if late else "达成") if qualitative else ""
                indicators.append({
                    "indicator_id": f"{pid}-{k:02d}", "scope": pid, "level1": l1, "level2": l2, "level3": l3,
                    "direction": direction, "target": "" if target is None else str(target),
                    "target_text": spec.effect_target if qualitative else "",
                    "actual": "" if actual is None else str(actual), "actual_grade": grade,
                    "measure_unit": unit, "weight": str(weight), "reported_score": "",
                    "deviation_reason": reason if l2 == "时效指标" else "", "source": SOURCE,
                })  # fmt: skip
        import pandas as pd

        frame = pd.DataFrame(indicators)
        for k, column in (("target", "target"), ("actual", "actual"), ("weight", "weight")):
            frame[k] = pd.to_numeric(frame[column], errors="coerce")
        frame["reported_score"] = None
        mismatched = False
        for row in projects:
            if row["self_evaluated"] != "是":
                continue
            score = scoring.score_project(
                {**row, "full_year_budget": float(row["full_year_budget"]), "executed": float(row["executed"])},
                frame[frame["scope"] == row["project_id"]],
            )  # fmt: skip
            reported = score.computed_total
            if "mismatch" in self.faults and not mismatched:
                reported = reported + 6 if reported <= 94 else reported - 6
                mismatched = True
            row["reported_score"] = _num(reported, 2)
        self.tables.update(projects=projects, project_funds=funds, indicators=indicators)

    def _amounts(self, year: int, index: int, late: bool = False) -> tuple[int, int, int, int]:
        """A project's initial and full-year budget, the part carried over from last year, and
        what was executed, in cents: the same whichever year asks. The carry-over never exceeds
        what the project left unspent last year, when last year is written too."""
        if (year, index, late) in self._amounts_of:
            return self._amounts_of[(year, index, late)]
        rng = random.Random(f"jixiao-synth:{self.seed}:{self.unit.number}:{year}:project:{index}")
        growth = (1 + self.growth_rate) ** (year - self.first_year)
        scale = self.size * self.project_size[index] * growth
        amount = self.kind.projects[index].base_amount * scale * rng.uniform(0.97, 1.03)
        initial = _cents(amount)
        added = _cents(amount * rng.choice((0, 0, 0.02, 0.05)))
        carried = _cents(amount * 0.04) if rng.random() < 0.3 else 0
        rate = rng.uniform(0.62, 0.78) if late else rng.choice((1.0, 1.0, rng.uniform(0.93, 1.0)))
        if carried and year - 1 in self.years:
            _, full, _, spent = self._amounts(year - 1, index)
            carried = min(carried, full - spent)
        full_year = initial + added + carried
        executed = min(full_year, _cents(full_year / 100 * rate))
        self._amounts_of[(year, index, late)] = (initial, full_year, carried, executed)
        return self._amounts_of[(year, index, late)]

    def _budget(self) -> None:
        basic = _cents(self.kind.scale * self.size * self.growth * self.rng.uniform(0.9, 1.1))
        basic_full = basic + _cents(basic / 100 * self.rng.uniform(0, 0.04))
        basic_exec = basic_full if self.rng.random() < 0.7 else _cents(basic_full / 100 * self.rng.uniform(0.96, 1))
        other = _cents(self.kind.scale * 0.3 * self.size * self.growth * self.rng.uniform(0.5, 1.5))
        other_exec = _cents(other / 100 * self.rng.uniform(0.9, 1.0))
        project_initial = _cents(self.project_cents["budget"] / 100 * 0.95) + other
        rows = []
        if self.split_basic:
            people = round(basic_full * 0.78)
            people_exec = min(people, round(basic_exec * 0.78))
            people_initial = round(basic * 0.78)
            rows.append(("人员经费", people_initial, people, people_exec))
            rows.append(("公用经费", basic - people_initial, basic_full - people, basic_exec - people_exec))
        else:
            rows.append(("基本支出", basic, basic_full, basic_exec))
        rows.append(("项目支出", project_initial, self.project_cents["budget"] + other,
                     self.project_cents["executed"] + other_exec))  # fmt: skip
        self.budget_total = sum(r[2] for r in rows)
        self.budget_executed = sum(r[3] for r in rows)
        self.tables["budget"] = [
            {"line_id": f"B{n:02d}", "fund_source": "一般公共预算", "kind": kind, "initial_budget": _wan(init),
             "full_year_budget": _wan(full), "executed": _wan(done), "source": SOURCE}
            for n, (kind, init, full, done) in enumerate(rows, start=1)
        ]  # fmt: skip

    def _department(self) -> None:
        from jixiao import scoring

        rate = round(self.budget_executed / self.budget_total * 100, 1)
        key_done = round(100 * self.quality * self.rng.uniform(0.98, 1.0))
        if "late" in self.faults:
            key_done = min(key_done, round(self.rng.uniform(85, 95)))
        satisfaction = round(self.rng.randint(88, 98) * self.quality**0.5)
        control = "达成" if self.quality >= 0.9 else "部分达成" if self.quality >= 0.7 else "未达成"
        sangong_change = self._sangong_change()
        rows = [
            ("预算执行", "预算完成", "预算完成率", "≥", 100, rate, "%", 20, ""),
            ("预算执行", "支出控制", "三公经费变动率", "≤", 0, sangong_change, "%", 10, ""),
            ("履职效能", "重点工作", self.kind.key_work, "≥", 100, key_done, "%", 30,
             "个别项目开工较晚，年末仍在实施" if key_done < 100 else ""),
            ("履职效能", "制度建设", "内控制度健全性", "定性", None, None, "", 20, ""),
            ("社会效应", "满意度", "服务对象满意度", "≥", 90, satisfaction, "%", 20, ""),
        ]  # fmt: skip
        department = []
        for k, (l1, l2, l3, direction, target, actual, unit, weight, reason) in enumerate(rows, start=1):
            qualitative = direction == "定性"
            department.append({
                "indicator_id": f"BM-{k:02d}", "scope": "department", "level1": l1, "level2": l2, "level3": l3,
                "direction": direction, "target": "" if target is None else _num(target, 1),
                "target_text": "内部控制制度健全并有效执行" if qualitative else "",
                "actual": "" if actual is None else _num(actual, 1), "actual_grade": control if qualitative else "",
                "measure_unit": unit, "weight": str(weight), "reported_score": "", "deviation_reason": reason,
                "source": SOURCE,
            })  # fmt: skip
        import pandas as pd

        frame = pd.DataFrame(department)
        for column in ("target", "actual", "weight"):
            frame[column] = pd.to_numeric(frame[column], errors="coerce")
        frame["reported_score"] = None
        total = scoring.score_department(frame).computed_total
        self.department_reported = total
        if "mismatch" in self.faults:
            self.department_reported = total + 5 if total <= 95 else total - 5
        self.tables["indicators"] += department

    def _stats_narrative(self) -> None:
        stats, narrative = [], []
        for theme in self.kind.themes:
            narrative.append({"section": theme.key, "order": "0", "kind": "title", "text": theme.title,
                              "source": SOURCE})  # fmt: skip
            for stat in theme.stats:
                value = stat.base * self.size * self.growth * self.rng.uniform(0.9, 1.1)
                if stat.unit == "所" or stat.unit == "座" or stat.unit == "条" or stat.unit == "个":
                    value = max(1, round(stat.base * self.size * self.rng.uniform(0.9, 1.1)))
                stats.append({"section": theme.key, "key": stat.key, "label": stat.label,
                              "value": _num(value, stat.decimals), "unit": stat.unit, "qualifier": "",
                              "numerals": "", "source": SOURCE, "note": ""})  # fmt: skip
            for n, item in enumerate(theme.items, start=1):
                narrative.append({"section": theme.key, "order": str(n), "kind": "item", "text": item,
                                  "source": SOURCE})  # fmt: skip
        blocks = [("problems", self.kind.problems), ("improvements", self.kind.improvements)]
        evaluation = ("{unit_name}成立绩效自评工作领导小组，由财务股牵头、各业务股室配合，对照年初绩效目标逐项核实"
                      "完成情况；服务对象满意度通过随机电话回访和问卷调查取得。")  # fmt: skip
        blocks += [
            ("evaluation", (evaluation,)),
            ("application", ("自评结果作为下年度预算安排和项目立项的重要参考，对执行偏慢的项目约谈实施股室。",)),
            ("disclosure", ("部门整体支出和项目支出自评结果随部门决算在{unit_name}门户网站公开。",)),
        ]
        if "late" in self.faults:
            late = self.kind.projects[self.late_project].name
            blocks[0] = ("problems", (*self.kind.problems, f"{late}项目开工较晚，预算执行进度滞后。"))
        for section, texts in blocks:
            kind = "item" if section in ("problems", "improvements") else "paragraph"
            for n, text in enumerate(texts, start=1):
                narrative.append({"section": section, "order": str(n), "kind": kind, "text": text,
                                  "source": SOURCE})  # fmt: skip
        self.tables.update(stats=stats, narrative=narrative)

    def _sangong_amounts(self, year: int) -> list[tuple[int, int]]:
        """(full-year budget, executed) of each 三公经费 item in ``year``, in cents: the same for a
        unit-year whichever year asks (this year's table, next year's 上年执行数)."""
        rng = random.Random(f"jixiao-synth:{self.seed}:{self.unit.number}:{year}:sangong")
        amounts = []
        for base, chance in ((3, 0.15), (25, 0.2), (18, 1), (9, 1)):  # abroad, car purchase rare
            budget = _cents(base * self.size * rng.uniform(0.8, 1.2)) if rng.random() < chance else 0
            amounts.append((budget, _cents(budget / 100 * rng.uniform(0.8, 1.0))))
        return amounts

    def _sangong_change(self) -> float:
        """三公经费变动率 (%): this year's executed total against last year's."""
        now = sum(e for _, e in self._sangong_amounts(self.year))
        last = sum(e for _, e in self._sangong_amounts(self.year - 1))
        return round((now - last) / last * 100, 1) if last else 0.0

    def _sangong(self) -> None:
        last = self._sangong_amounts(self.year - 1)
        rows = []
        for (budget, executed), (_, before), item in zip(self._sangong_amounts(self.year), last, SANGONG_ITEMS,
                                                          strict=True):  # fmt: skip
            rows.append({"item": item, "full_year_budget": _wan(budget), "executed": _wan(executed),
                         "last_year_executed": _wan(before) if self.first else "", "source": SOURCE})  # fmt: skip
        self.tables["sangong"] = rows

    def _goals(self) -> None:
        rows = []
        for n, (goal, outcome) in enumerate(self.kind.goals, start=1):
            partly = "late" in self.faults and n == len(self.kind.goals)
            rows.append({
                "goal_id": f"G{n:02d}", "goal": goal,
                "completion": "部分完成" if partly else "完成",
                "outcome": "年末仍在实施，预计下年第一季度完成" if partly else outcome,
                "deviation_reason": "项目开工较晚；下年度提前开展前期工作" if partly else "",
                "source": SOURCE,
            })  # fmt: skip
        self.tables["goals"] = rows

    def _profile(self) -> None:
        staff = max(8, round(40 * self.size))
        row = {
            "unit_id": self.unit.id, "unit_name": self.unit.name, "year": str(self.year),
            "region": f"示例省示例市{self.unit.county}", "supervisor": f"{self.unit.county}人民政府",
            "staff_quota": str(staff), "staff_active": str(staff - self.rng.randint(0, 3)),
            "staff_retired": str(self.rng.randint(3, 30)), "duties": self.kind.duties, "source": SOURCE,
        }  # fmt: skip
        extra = {
            "institutions": self.kind.institutions, "preparer": "",
            "report_date": f"{self.year + 1}-03-{self.rng.randint(10, 28)}",
            "contact_person": self.contact, "contact_phone": self.phone,
            "reported_total_score": _num(self.department_reported, 2),
        }  # fmt: skip
        row.update({k: v for k, v in extra.items() if _has("profile", k)})
        self.tables["profile"] = [row]


def _csv(rows: list[dict[str, str]], table: str) -> str:
    keys = [k for k in schema.TABLES[table].keys if any(k in r for r in rows)] if rows else []
    if not rows:
        keys = [c.key for c in schema.TABLES[table].columns if c.required] + ["source"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=keys, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _unit_yaml(unit: Unit) -> str:
    from jixiao.inputs import settings

    themes = [f"theme:{t.key}" for t in unit.kind.themes]
    known = set(settings.NOTEBOOKS)
    before = [k for k in ("profile", "budget", "goals", "conclusion", "evaluation") if k in known]
    after = [k for k in ("unevaluated",) if k in known]
    closing = [k for k in ("problems", "improvements", "application", "review") if k in known]
    order = before or ["overview"]
    sections = [*order, "projects", *after, *themes, *closing]
    lines = [
        f"# Settings of the synthetic unit {unit.name} (jixiao synth: illustrative data, not a real department).",
        f"unit_name: {unit.name}",
        "sections:",
        *[f"  - {s}" for s in sections],
        "themes:",
    ]
    for theme in unit.kind.themes:
        title, keys = theme.chart
        lines += [f"  {theme.key}:", "    charts:", "      - kind: grouped_bar", f"        title: {title}",
                  f"        keys: [{', '.join(keys)}]"]  # fmt: skip
    return "\n".join(lines) + "\n"


def _datalog(unit: Unit, years: list[int]) -> str:
    planted = {
        "bad": f"{years[-1]}年预算表第一行的全年执行数带单位（“…万元”），输入校验应拒绝",
        "mismatch": f"{years[-1]}年一个项目和部门整体的填报得分与规则得分相差 5～6 分",
        "late": f"{years[-1]}年一个项目开工较晚：执行率低于 90%，时效指标未达标",
    }
    lines = [
        f"# {unit.name}（{unit.id}）",
        "",
        "合成数据（jixiao synth）：全部行 source = illustrative，不是任何真实部门的数字。",
        "",
        f"- 部门类别：{unit.kind.name}",
        f"- 年度：{'、'.join(str(y) for y in years)}",
        f"- 埋设的问题：{'；'.join(planted[f] for f in FAULTS if f in unit.faults) or '无'}",
    ]
    return "\n".join(lines) + "\n"


MAX_UNITS = 10_000
"""The most units ``jixiao synth`` writes at once: room for a province (5,000 units) and for the
10,000-form benchmark, not a typo's hundred thousand folders."""
PROGRESS_EVERY = 500
"""Units between two progress lines of a long run (about six seconds of writing)."""


def write(n: int, years: list[int], seed: int, *, root: Path | None = None,
          shares: dict[str, float] | None = None,
          progress: Callable[[int, int], None] | None = None, every: int = PROGRESS_EVERY) -> list[Unit]:  # fmt: skip
    """Write ``n`` synthetic units for ``years`` under ``root`` (default: the project root);
    ``progress(done, n)`` after every ``every`` units when ``n`` is more than ``every``.

    Existing ``synth-`` folders of the same ids are replaced; nothing else is touched."""
    if not 1 <= n <= MAX_UNITS:
        raise ValueError(f"n must be 1 to {MAX_UNITS}, not {n}")
    root = Path(root) if root is not None else paths.root()
    years = sorted(set(years))
    units = plan(n, seed, shares)
    for done, unit in enumerate(units, 1):
        if progress is not None and n > every and done > 1 and (done - 1) % every == 0:
            progress(done - 1, n)
        data, params = root / "data" / unit.id, root / "params" / unit.id
        for folder in (data, params):
            if folder.exists():
                shutil.rmtree(folder)
        params.mkdir(parents=True)
        (params / "unit.yaml").write_text(_unit_yaml(unit), encoding="utf-8")
        for year in years:
            maker = _Year(unit, year, years, seed)
            tables = maker.build()
            folder = data / str(year)
            folder.mkdir(parents=True)
            for table, rows in tables.items():
                (folder / f"{table}.csv").write_text(_csv(rows, table), encoding="utf-8")
            (params / f"{year}.yaml").write_text(
                f"# papermill parameters of {unit.id}, {year}\nunit: {unit.id}\nyear: {year}\n", encoding="utf-8"
            )
        (data / "DATALOG.md").write_text(_datalog(unit, years), encoding="utf-8")
    return units


# -- the forms a department submits (``jixiao synth --forms``) --------------------------------

FORMS_FOLDER = "forms"
"""Each unit-year's submitted forms: ``data/<unit>/<year>/forms/*.xlsx``, with ``forms-key.json``."""
KEY_FILE = "forms-key.json"
FORM_FAULTS = (
    "over_weight",
    "execution_rate",
    "execution_score",
    "funds_sum",
    "total_sum",
    "score_difference",
    "no_reason",
    "over_budget",
    "weights",
)
"""The faults planted on a project form (named by the flag ``jixiao check`` must raise), in turn
on every third project form of the units written (in their order). ``target_equals_actual`` is
planted on a whole unit (every seventh: its every quantitative actual equal to its target), and a
corrupt file and a workbook that is not a 自评表 beside the forms of every tenth unit each."""
FAULT_FLAGS = {
    "over_weight": ("over_weight", "score_difference"),
    "execution_rate": ("execution_rate",),
    "execution_score": ("execution_score", "score_difference"),
    "funds_sum": ("funds_sum",),
    "total_sum": ("total_sum", "score_difference"),
    "score_difference": ("score_difference",),
    "no_reason": ("no_reason",),
    "over_budget": ("over_budget",),
    "weights": ("weights",),
    "target_equals_actual": ("target_equals_actual",),
    "corrupt": ("unread",),
    "not_a_form": ("unread",),
}
"""Every flag a fault raises: its own, and the reported total that then differs from the rules'
(``score_difference``) where the fault moves a printed score. ``unread``: the file is listed among
the forms that could not be read."""
BUNDLES = ("sheets", "stacked")
"""Every sixth unit sends its project forms in one workbook: a sheet each, or (every other such
unit) stacked down one sheet."""
SCORED_LAYOUTS = ("central", "combined", "weighted", "starred")
"""The project layouts that print 分值 and 得分 (the Sichuan ``transfer`` form prints neither)."""
NEEDS_SCORES = {"over_weight", "execution_score", "total_sum", "score_difference", "weights"}
FORM_QUIRKS = ("spaced_labels", "no_unit_suffix", "text_numbers", "yuan", "hidden", "spacers", "reordered",
               "two_row_header")  # fmt: skip
"""The quirks of ``jixiao.forms.samples`` drawn for a form (none to two of them), besides an empty
leading row and column on about one form in four (drawn from the seed)."""


def _scored(direction: str, target, actual, weight: float, rules, grade: str | None = None,
            reported: float | None = None) -> float:  # fmt: skip
    from jixiao import scoring

    if direction == "定性":
        return scoring.score_indicator("定性", None, None, weight, actual_grade=grade, reported=reported,
                                       rules=rules).computed  # fmt: skip
    return scoring.score_indicator(direction, target, actual, weight, rules=rules).computed


def _project_form(unit: Unit, year: int, index: int, rng: random.Random, fault: str | None, equal: bool,
                  layout: str):  # fmt: skip
    """One evaluated project's form, with ``fault`` planted (or none); scores by the national rules."""
    from jixiao import scoring
    from jixiao.forms.samples import SampleForm, SampleFund, SampleIndicator

    rules = scoring.DEFAULT_RULES
    spec = unit.kind.projects[index]
    full = _cents(spec.base_amount * rng.uniform(0.7, 1.4))
    carried = full * 15 // 100
    initial = full - _cents(spec.base_amount * rng.uniform(0.0, 0.08))
    executed = full * rng.randint(9200, 9950) // 10000
    if fault == "over_budget":
        executed = full * rng.randint(10200, 10800) // 10000
    funds = [
        SampleFund("年度资金总额", initial / 100, full / 100, executed / 100),
        SampleFund("当年财政拨款", (initial - carried) / 100, (full - carried) / 100, (executed - carried) / 100),
        SampleFund("上年结转资金", carried / 100, carried / 100, carried / 100),
        SampleFund("其他资金", 0, 0, 0),
    ]
    if fault == "funds_sum":
        funds[1].full_year = round(funds[1].full_year + rng.randint(5, 50), 2)
    count = spec.count + rng.randint(1, max(1, spec.count // 10))
    quality = 95.0 if equal else rng.choice((92.5, 93.0, 93.5, 94.0))
    timely = 90.0 if equal else float(rng.randint(92, 99))
    satisfied = 90.0 if equal else float(rng.randint(91, 98))
    reason = "个别项目验收资料不全，下年度加强过程管理" if fault != "no_reason" else ""
    transfer = layout == "transfer"
    w = rules.weights
    out_w = scoring.weights.shares(w["output"], 3) if transfer else [20.0, 15.0, 15.0]
    eff_w, sat_w = (w["effect"], w["satisfaction"]) if transfer else (30.0, 10.0)
    if fault == "weights":
        sat_w = 15.0
    rows = [
        ("产出指标", "数量指标", spec.count_label, "≥", float(spec.count), spec.count_unit,
         float(spec.count) if equal else float(count), out_w[0]),
        ("产出指标", "质量指标", "验收合格率", "≥", 95.0, "%", quality, out_w[1]),
        ("产出指标", "时效指标", "资金拨付及时率", "≥", 90.0, "%", timely, out_w[2]),
        ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥", 90.0, "%", satisfied, sat_w),
    ]  # fmt: skip
    indicators = []
    for level1, level2, name, direction, target, unit_, actual, weight in rows:
        score = _scored(direction, target, actual, weight, rules)
        indicators.append(SampleIndicator(level1, level2, name, direction, target, unit_, actual, weight, score,
                                          reason if actual < target else ""))  # fmt: skip
    effect_score = None if transfer else float(rng.choice((27, 28, 29, 30)))
    effect = SampleIndicator("效益指标", "社会效益指标", spec.effect, "定性", spec.effect_target, "", "达成", eff_w,
                             _scored("定性", None, None, eff_w, rules, "达成", effect_score))  # fmt: skip
    indicators.insert(3, effect)
    execution = scoring.execution_score(full / 100, executed / 100, w["execution"]).score
    if fault == "over_weight":
        indicators[-1].score = indicators[-1].weight + 1
    if fault == "score_difference":
        indicators[1].score = indicators[1].weight  # a missed target printed at full marks
    if fault == "execution_score":
        execution = w["execution"]  # full marks for a rate below 100%
    total = scoring.round2(sum(Decimal(repr(x)) for x in [execution, *(i.score for i in indicators)]))
    if fault == "total_sum":
        total = scoring.round2(Decimal(repr(total)) + rng.randint(2, 5))
    form = SampleForm(
        project=spec.name, department=unit.name, unit=unit.name, year=year, funds=funds,
        goal_expected=spec.goal, goal_actual=spec.outcome, indicators=indicators,
        execution_weight=w["execution"], execution_score=None if transfer else execution,
        total=total, grade=scoring.grade(total, rules),
    )  # fmt: skip
    if fault == "execution_rate":
        form.printed_rate = round(executed / full - 0.05, 4)
    return form


def _department_form(unit: Unit, year: int, rng: random.Random, equal: bool):
    """The unit's 部门整体 form: 投入/过程/产出/效果, one key-work target missed with its reason."""
    from jixiao import scoring
    from jixiao.forms.samples import SampleForm, SampleFund, SampleIndicator

    rules = scoring.DEFAULT_RULES
    basic = _cents(unit.kind.scale * rng.uniform(0.8, 1.2))
    project = _cents(unit.kind.scale * rng.uniform(1.5, 3.0))
    spent_basic, spent_project = basic, project * rng.randint(9300, 9900) // 10000
    rate = Decimal(spent_basic + spent_project) / Decimal(basic + project) * 100
    completion = float(rate.quantize(Decimal("0.01"), ROUND_HALF_UP))
    rows = [
        ("投入", "预算配置", "三公经费变动率", "≤", -2.0, "%", -2.0 if equal else -float(rng.randint(3, 9)), 10.0),
        ("过程", "预算执行", "预算完成率", "≥", 90.0, "%", 90.0 if equal else completion, 20.0),
        ("产出", "重点工作", unit.kind.key_work, "≥", 98.0, "%", 98.0 if equal else 96.5, 30.0),
        ("效果", "满意度", "服务对象满意度", "≥", 90.0, "%", 90.0 if equal else float(rng.randint(91, 98)), 30.0),
    ]  # fmt: skip
    indicators = [SampleIndicator("投入", "目标设定", "绩效目标合理性", "定性", "合理", "", "达成", 10.0, 10.0)]
    for level1, level2, name, direction, target, unit_, actual, weight in rows:
        score = _scored(direction, target, actual, weight, rules)
        missed = actual < target if direction == "≥" else actual > target
        indicators.append(SampleIndicator(level1, level2, name, direction, target, unit_, actual, weight, score,
                                          "部分工作受上级政策调整影响，下年度提前谋划" if missed else ""))  # fmt: skip
    total = scoring.round2(sum(Decimal(repr(i.score)) for i in indicators))
    return SampleForm(
        project="", department=unit.name, unit="", year=year, kind="department",
        funds=[
            SampleFund("年度资金总额", (basic + project) / 100, (basic + project) / 100,
                       (spent_basic + spent_project) / 100),
            SampleFund("基本支出", basic / 100, basic / 100, spent_basic / 100),
            SampleFund("项目支出", project / 100, project / 100, spent_project / 100),
        ],
        goal_expected=unit.kind.goals[0][0], goal_actual=unit.kind.goals[0][1], indicators=indicators,
        execution_weight=0, total=total, grade=scoring.grade(total, rules),
    )  # fmt: skip


def _cell_of(sheet, text: str, first: int = 1) -> str:
    """The first cell of ``sheet`` from row ``first`` whose text (spaces and line breaks dropped)
    ends with ``text``."""
    want = "".join(text.split())
    for row in sheet.iter_rows(min_row=first):
        for cell in row:
            if isinstance(cell.value, str) and "".join(cell.value.split()).rstrip("：:").endswith(want):
                return cell.coordinate
    return ""


def _fault_cell(sheet, fault: str, form, first: int) -> str:
    """Where a fault sits: the label cell of its row (the indicator's name, the fund's, 总分), in the
    form that starts at row ``first``."""
    if fault in ("over_weight", "weights"):
        return _cell_of(sheet, form.indicators[-1].name, first)
    if fault in ("score_difference", "no_reason"):
        return _cell_of(sheet, form.indicators[1].name, first)
    if fault == "funds_sum":
        return _cell_of(sheet, "当年财政拨款", first)
    if fault in ("execution_rate", "execution_score", "over_budget"):
        return _cell_of(sheet, "年度资金总额", first)
    if fault == "total_sum":
        return _cell_of(sheet, "总分", first)
    return ""


def write_forms(units: list[Unit], years: list[int], seed: int, *, root: Path | None = None) -> list[Path]:
    """Write each unit-year's submitted forms under ``data/<unit>/<year>/forms/`` (one workbook per
    evaluated project and the 部门整体 form, layouts and quirks drawn from the seed) with
    ``forms-key.json``: every planted fault (file, sheet, cell, kind, the flags ``jixiao check``
    must raise) and every form's layout and quirks. Returns the key files written."""
    import json

    root = Path(root) if root is not None else paths.root()
    keys = []
    slot = 0
    for unit in units:
        equal = unit.number % 7 == 3
        for year in sorted(set(years)):
            rng = random.Random(f"jixiao-synth:{seed}:{unit.number}:{year}:forms")
            maker = _Year(unit, year, sorted(set(years)), seed)
            folder = root / "data" / unit.id / str(year) / FORMS_FOLDER
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
            faults, written = [], []
            drawn = []  # (form, layout, fault, quirks, leading, file name alone)
            made = [(None, n, index) for n, index in enumerate(maker.fund_projects, start=1)] + [("department", 0, 0)]
            for kind, n, index in made:
                quirks = tuple(sorted(rng.sample(FORM_QUIRKS, rng.randint(0, 2))))
                leading = rng.random() < 0.25
                if kind == "department":
                    layout, fault = "department", None
                    form = _department_form(unit, year, rng, equal)
                    name = f"{unit.name}-部门整体.xlsx"
                else:
                    fault = None
                    if not equal:  # every third project form of the units written, the faults in turn
                        fault = None if slot % 3 else FORM_FAULTS[(slot // 3) % len(FORM_FAULTS)]
                        slot += 1
                    layouts = SCORED_LAYOUTS if fault in NEEDS_SCORES else (*SCORED_LAYOUTS, "transfer")
                    layout = layouts[rng.randrange(len(layouts))]
                    form = _project_form(unit, year, index, rng, fault, equal, layout)
                    name = f"{unit.name}-P{n:02d}-{form.project}.xlsx"
                drawn.append((form, layout, fault, quirks, leading, name))
            bundle = BUNDLES[(unit.number // 6) % 2] if unit.number % 6 == 5 else None
            for name, sheet, top, (form, layout, fault, quirks, leading, _) in _write_books(folder, drawn, bundle,
                                                                                           unit, year):  # fmt: skip
                flags = list(FAULT_FLAGS[fault]) if fault else []
                if equal:
                    flags.append("target_equals_actual")
                if layout == "transfer":
                    flags.append("default_weights")  # a note: the form prints no 分值
                written.append(
                    {
                        "file": name,
                        "sheet": sheet.title,
                        "top": top,
                        "layout": layout,
                        "quirks": [*quirks, *(["leading"] if leading else [])],
                        "flags": sorted(set(flags)),
                    }
                )
                at = {"file": name, "sheet": sheet.title, "top": top}
                if fault:
                    cell = _fault_cell(sheet, fault, form, int(re.sub(r"\D", "", top)))
                    faults.append({**at, "cell": cell, "kind": fault, "flags": list(FAULT_FLAGS[fault])})
                if equal:
                    faults.append({**at, "cell": "", "kind": "target_equals_actual", "flags": ["target_equals_actual"]})
            if unit.number % 10 == 4:
                data = (folder / written[0]["file"]).read_bytes()
                (folder / f"{unit.name}-损坏.xlsx").write_bytes(data[: len(data) // 2])
                faults.append({"file": f"{unit.name}-损坏.xlsx", "sheet": "", "top": "", "cell": "", "kind": "corrupt",
                               "flags": ["unread"]})  # fmt: skip
            if unit.number % 10 == 7:
                _not_a_form(folder / f"{unit.name}-资产清单.xlsx", rng, year)
                faults.append({"file": f"{unit.name}-资产清单.xlsx", "sheet": "资产清单", "top": "", "cell": "",
                               "kind": "not_a_form", "flags": ["unread"]})  # fmt: skip
            key = {"unit": unit.id, "year": year, "seed": seed, "forms": written, "faults": faults}
            path = folder / KEY_FILE
            path.write_text(json.dumps(key, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            keys.append(path)
    return keys


def _write_books(folder: Path, drawn: list[tuple], bundle: str | None, unit: Unit, year: int):
    """Write the drawn forms: a workbook each, or (``bundle``) the project forms in one workbook,
    a sheet each (``sheets``) or stacked down one sheet two rows apart (``stacked``), with the first
    form's quirks. Yields (file name, sheet, the form's top-left cell, the drawn form)."""
    import openpyxl

    from jixiao.forms import samples

    projects = [d for d in drawn if d[1] != "department"] if bundle else []
    placed: dict[int, tuple] = {}  # index in drawn -> (file name, sheet, top, drawn form)
    if projects:
        name = f"{unit.name}-项目支出绩效自评表.xlsx"
        quirks, leading = projects[0][3], projects[0][4]
        offset = 1 if leading else 0
        if bundle == "sheets":
            book = samples.workbook([(d[0], d[1]) for d in projects], quirks=quirks, leading=leading)
            sheets = book.worksheets
            tops = ["B2" if leading else "A1"] * len(projects)
        else:
            book = openpyxl.Workbook()
            sheets = [book.active] * len(projects)
            sheets[0].title = "自评表"
            row, tops = offset, []
            for d in projects:
                tops.append(f"{openpyxl.utils.get_column_letter(offset + 1)}{row + 1}")
                row = samples.write_form(sheets[0], d[0], d[1], top=row, left=offset, quirks=quirks) + 2
        _save(book, folder / name, year)
        for i, (sheet, top) in enumerate(zip(sheets, tops, strict=True)):
            placed[i] = (name, sheet, top, (*projects[i][:3], quirks, leading, name))
    for i, d in enumerate(drawn):
        if i in placed:
            yield placed[i]
            continue
        form, layout, _fault, quirks, leading, name = d
        book = samples.workbook([(form, layout)], quirks=quirks, leading=leading)
        _save(book, folder / name, year)
        yield name, book.worksheets[0], "B2" if leading else "A1", d


def _save(book, path: Path, year: int) -> None:
    """Save an openpyxl workbook with the same bytes for the same content: the archive's dates and
    the document's created/modified times set to the form's year end (openpyxl writes the time now)."""
    import re
    import zipfile

    buffer = io.BytesIO()
    book.save(buffer)
    stamp = f"{year}-12-31T00:00:00Z"
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = re.sub(r"(<dcterms:(created|modified)[^>]*>)[^<]*", rf"\g<1>{stamp}", data.decode("utf-8"))
                data = text.encode("utf-8")
            target.writestr(zipfile.ZipInfo(info.filename, date_time=(year, 12, 31, 0, 0, 0)), data,
                            compress_type=zipfile.ZIP_DEFLATED)  # fmt: skip
    path.write_bytes(out.getvalue())


def _not_a_form(path: Path, rng: random.Random, year: int) -> None:
    """A workbook a department sends by mistake: an asset list, no 自评表 in it."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "资产清单"
    sheet.append(["序号", "资产名称", "数量", "原值（元）"])
    for n, item in enumerate(("办公桌", "计算机", "打印机", "档案柜"), start=1):
        sheet.append([n, item, rng.randint(1, 30), rng.randint(800, 9000)])
    _save(book, path, year)
