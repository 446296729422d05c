"""Fire-safety read model: public institution pages, supervised list, regulator view."""

from __future__ import annotations

from pymongo.database import Database

from projection.features import ConsumerSpec, Feature
from projection.features.fire_safety.pages import bp
from projection.features.fire_safety.store import GROUP, Handler, prepare, rebuild
from shared.config import topic_for


def _rebuild(db: Database, progress: bool) -> None:
    rebuild(db, progress)


FEATURE = Feature(
    name="fire_safety",
    page_blueprints=(bp,),
    nav=(("消防隐患挂牌督办", "fire_safety_pages.supervised"),),
    institution_links=(("消防安全检查", "fire_safety_pages.institution"),),
    consumers=(ConsumerSpec(group=GROUP, topics=(topic_for("fire_safety"),),
                            build_handler=Handler, prepare=prepare),),
    rebuild=_rebuild,
)
