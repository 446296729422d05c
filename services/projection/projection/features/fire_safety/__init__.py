"""Fire-safety read model: public institution pages, supervised list, regulator view."""

from __future__ import annotations

from projection.features import Feature
from projection.features.fire_safety.pages import bp

FEATURE = Feature(
    name="fire_safety",
    page_blueprints=(bp,),
    nav=(("消防隐患挂牌督办", "fire_safety_pages.supervised"),),
    institution_links=(("消防安全检查", "fire_safety_pages.institution"),),
)
