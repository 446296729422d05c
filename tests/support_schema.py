"""Hypothesis strategies for JSON data a (draft 2020-12) JSON Schema accepts.

Covers the keywords contracts/events uses: type (one or a list), enum, pattern, format date,
minLength/maxLength, minimum/maximum, items/minItems/maxItems/uniqueItems, properties/
required/additionalProperties and anyOf/oneOf.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st

Json = dict[str, Any]


def from_schema(schema: Json) -> st.SearchStrategy[Any]:
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "const" in schema:
        return st.just(schema["const"])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return st.one_of([from_schema({**_rest(schema, key), **s}) for s in schema[key]])
    kind = schema.get("type")
    if isinstance(kind, list):
        return st.one_of([from_schema({**schema, "type": k}) for k in kind])
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(schema.get("minimum", -(10**6)), schema.get("maximum", 10**9))
    if kind == "number":
        low, high = schema.get("minimum", -1e6), schema.get("maximum", 1e9)
        return st.one_of(st.integers(int(low) + 1, int(high) - 1),
                         st.floats(low, high, allow_nan=False, allow_infinity=False))
    if kind == "string":
        return _string(schema)
    if kind == "array":
        items = from_schema(schema.get("items", {"type": "string"}))
        size = {"min_size": schema.get("minItems", 0), "max_size": schema.get("maxItems", 3)}
        if schema.get("uniqueItems"):
            return st.lists(items, unique_by=repr, **size)
        return st.lists(items, **size)
    if kind == "object" or "properties" in schema:
        return _object(schema)
    return st.text(max_size=5)


def _rest(schema: Json, key: str) -> Json:
    return {k: v for k, v in schema.items() if k != key}


def _string(schema: Json) -> st.SearchStrategy[str]:
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    if schema.get("format") == "date":
        return st.dates(date(1990, 1, 1), date(2099, 12, 31)).map(date.isoformat)
    if "pattern" in schema:
        text = st.from_regex(schema["pattern"], fullmatch=True)
        return text.filter(lambda s: low <= len(s) and (high is None or len(s) <= high))
    return st.text(min_size=low, max_size=max(high or 20, low))


def _object(schema: Json) -> st.SearchStrategy[Json]:
    props = schema.get("properties", {})
    if not props:
        return st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=8), max_size=3)
    required = set(schema.get("required", []))
    fixed = {k: from_schema(v) for k, v in props.items() if k in required}
    optional = {k: from_schema(v) for k, v in props.items() if k not in required}
    return st.fixed_dictionaries(fixed, optional=optional)
