"""The directory's order (name, then USCC) as one indexed field per filter combination.

nx-27017 serves a query from one single-field index, so "filed institutions of district D by
name" cannot use one index for the filter and another for the order. Each document therefore
carries, for each of the eight combinations of facets a query can fix (the count keys of
projection.domain.counts), a string that starts with that combination's count key and goes on
with the name and the USCC. The rows of a query are one range of one such field, already in
directory order: a page is an index range with skip and limit, on either server.

The name and the USCC are joined by a character below every printable one, so ordering the
joined strings orders by name first and by USCC among equal names (a missing name sorts first,
as null does in MongoDB).
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import product
from typing import Any

from projection.domain.counts import count_key, facet_keys

SEP, AFTER_SEP, NAME_END = "\x02", "\x03", "\x01"
FACETS = "sdo"  # filing status, district, operator type: the order of count_key's arguments
MASKS = list(product((True, False), repeat=3))  # the order facet_keys lists its keys in


def field_name(mask: tuple[bool, ...]) -> str:
    """The field of one combination, e.g. list_sd for status and district fixed."""
    fixed = "".join(f for f, keep in zip(FACETS, mask, strict=True) if keep)
    return f"list_{fixed or 'any'}"


FIELDS: tuple[str, ...] = tuple(field_name(m) for m in MASKS)


def sort_key(name: str | None, uscc: str) -> str:
    """Directory order as one string: by name, then by USCC."""
    return f"{name or ''}{NAME_END}{uscc}"


def order_fields(doc: Mapping[str, Any]) -> dict[str, str]:
    """The eight order fields of a document (a view with uscc, name and the facets)."""
    tail = SEP + sort_key(doc.get("name"), doc["uscc"])
    return {field: key + tail for field, key in zip(FIELDS, facet_keys(doc), strict=True)}


def query_range(status: str | None, district: str | None,
                operator_type: str | None) -> tuple[str, str, str]:
    """The field and the half-open range [low, high) holding a query's rows in order."""
    mask = (bool(status), bool(district), bool(operator_type))
    key = count_key(status, district, operator_type)
    return field_name(mask), key + SEP, key + AFTER_SEP
