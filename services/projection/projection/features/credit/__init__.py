"""Credit read models: public penalties and the serious-dishonesty list, joint-enforcement views.

Consumes eldercare.credit.events (group projection.credit); see store.py for the collections.
"""

from __future__ import annotations

from projection.features import ConsumerSpec, Feature
from projection.features.credit import pages, store
from shared.config import topic_for

GROUP = "projection.credit"

FEATURE = Feature(
    name="credit",
    page_blueprints=(pages.bp,),
    nav=(("行政处罚公示", "credit_pages.penalties"), ("严重失信名单", "credit_pages.dishonesty"),
         ("联合惩戒", "credit_pages.joint")),
    institution_links=(("信用信息（行政处罚、失信名单）", "credit_pages.institution"),),
    consumers=(ConsumerSpec(group=GROUP, topics=(topic_for("credit"),),
                            build_handler=lambda db: store.CreditHandler(db, GROUP),
                            prepare=store.ensure_indexes),),
    rebuild=store.rebuild,
)
