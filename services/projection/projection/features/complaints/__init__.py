"""Complaints on the public site: the form, following a complaint, the statistics (open
data); the officials' side is the desk and the console."""

from __future__ import annotations

from projection.features import Feature
from projection.features.complaints import pages, stats

FEATURE = Feature(
    name="complaints",
    api_blueprints=(stats.blp,),
    page_blueprints=(pages.bp,),
    nav=(("投诉举报", "complaints_pages.home"),),
)
