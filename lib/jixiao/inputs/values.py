"""The unit settings' fixed values and defaults, which the settings (:mod:`jixiao.inputs.settings`)
and their schema (:mod:`jixiao.inputs.unit_schema`) share."""

from __future__ import annotations

PROFILE_PARTS = ("duties", "bodies", "staff", "units")
"""The parts of the 部门概况 (settings key ``profile_parts``): 职能, 内设机构, 人员, 二级预算单位."""
PROFILE_TITLES = {"duties": "部门职能", "bodies": "机构设置", "staff": "人员情况", "units": "二级预算单位"}
"""Each part's sub-heading when the settings give none."""


LAST_YEAR_NOTES = ("once", "each", "never")
"""``last_year_note``: where the note 无{上一年}年数据，不作同比分析。 is written when last year's data
is missing: once in the report (default), after each theme, or never."""


NUMBERING = ("一、", "（一）", "1.", "（1）")
"""The number style of each heading depth (settings key ``numbering``)."""


NOTABLE_CHANGES = {"rate": 0.1, "amount": 1, "points": 5}
"""What a themed section's comparison with last year calls a notable change (增幅较大, 降幅较大),
settings key ``notable_changes``: a count or an amount that moved by at least ``rate`` of last
year's figure (10%, the share 部门决算 explain), an amount by at least ``amount`` 万元 too, a
percentage by at least ``points`` 百分点."""


# What a build makes (jixiao.render): editions, formats, where the 自评表 go
EDITIONS = ("filing", "review")
FORMATS = ("html", "pdf", "docx", "xlsx")


REVIEW_DEFAULTS = {
    "unit_costs.max_ratio": 3,
    "target_equals_actual.max_share": 0.5,
    "target_equals_actual.min_count": 5,
}
"""The review checks' settings that have a default (``review.<key>``): the checks (:mod:`jixiao.checks`)
apply them, the settings' schema documents them."""
