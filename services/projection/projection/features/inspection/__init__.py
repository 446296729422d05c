"""Projection feature: public pages of random inspections (双随机一公开).

Consumes eldercare.inspection.events (group projection.inspection; see projector.py) and
serves the item list, plans with their commitment, draws with seed and verification link, and
published results per institution. Inspectors appear only as department and a masked
certificate number.
"""

from __future__ import annotations

from projection.features import Feature
from projection.features.inspection import pages

FEATURE = Feature(
    name="inspection",
    page_blueprints=(pages.bp,),
    nav=(("双随机抽查公开", "inspection_pages.index"),),
    institution_links=(("随机抽查结果", "inspection_pages.institution"),),
)
