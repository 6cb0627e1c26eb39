"""Checks of the profile row (单位概况):

- **body_count**: the 内设机构数 the unit gives (``profile.body_count``) against the number of
  internal bodies its ``institutions`` cell lists (a body's sub-offices in brackets being part of
  it). The report writes the given count; the reviewer is asked which is right.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from jixiao.checks.findings import WARNING, Finding, cell, derived, number
from jixiao.inputs.dataset import list_names

BODIES = "个"


def body_count(data: Any) -> list[Finding]:
    """The given 内设机构数 that is not the number of bodies listed in 内设机构."""
    profile = data.profile
    if not len(profile) or not {"body_count", "institutions"} <= set(profile.columns):
        return []
    i = profile.index[0]
    given, listed = profile.at[i, "body_count"], profile.at[i, "institutions"]
    if pd.isna(given) or not isinstance(listed, str) or not listed.strip():
        return []
    count = len(list_names(listed))
    if int(given) == count:
        return []
    stated = number("given", profile, "profile", i, "body_count", BODIES)
    names = derived("listed", count, "count(institutions)", unit=BODIES)
    return [
        Finding(
            "body_count", WARNING, ("profile",), (stated, names), rows=(cell(profile, "profile", i, "institutions"),)
        )
    ]
