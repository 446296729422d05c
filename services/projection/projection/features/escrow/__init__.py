"""Escrow read model: regulator view per institution and the public compliance pages."""

from __future__ import annotations

from projection.features import ConsumerSpec, Feature
from projection.features.escrow import pages, store
from shared.config import topic_for


def _rebuild(db, progress):  # type: ignore[no-untyped-def]
    store.rebuild(db, progress)


FEATURE = Feature(
    name="escrow",
    page_blueprints=(pages.bp,),
    nav=(("预收费资金监管", "escrow_pages.public_index"),),
    institution_links=(("预收费资金监管", "escrow_pages.public_detail"),),
    consumers=(ConsumerSpec(group=store.GROUP, topics=(topic_for("escrow"),),
                            build_handler=store.EscrowHandler, prepare=store.prepare),),
    rebuild=_rebuild,
)
