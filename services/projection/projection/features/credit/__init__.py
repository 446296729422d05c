"""Credit read models: public penalties and the serious-dishonesty list, joint-enforcement views.

Consumes eldercare.credit.events (group projection.credit); see projector.py.
"""

from __future__ import annotations

from projection.features import Feature
from projection.features.credit import pages

FEATURE = Feature(
    name="credit",
    page_blueprints=(pages.bp,),
    nav=(("行政处罚公示", "credit_pages.penalties"), ("严重失信名单", "credit_pages.dishonesty"),
         ("联合惩戒", "credit_pages.joint")),
    institution_links=(("信用信息（行政处罚、失信名单）", "credit_pages.institution"),),
)
