"""Escrow read model: regulator view per institution and the public compliance pages."""

from __future__ import annotations

from projection.features import Feature
from projection.features.escrow import pages

FEATURE = Feature(
    name="escrow",
    page_blueprints=(pages.bp,),
    nav=(("预收费资金监管", "escrow_pages.public_index"),),
    institution_links=(("预收费资金监管", "escrow_pages.public_detail"),),
)
