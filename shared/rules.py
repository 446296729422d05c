"""Rule fields that carry their legal basis (standard library only; domain packages use it).

Every field of a service's ``Rules`` dataclass is declared with ``rule(default, basis, tag)``:
the default, the citation it rests on and how sure /work/shared/domain.md is of it. The tag
is domain.md's own vocabulary, so a reader sees at once which numbers are law and which are
placeholders to configure.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator
from typing import Any, TypeVar

T = TypeVar("T")

# domain.md tags: PUB = public rule, text read; PUB-2nd = public rule seen in a secondary copy;
# RECALLED = from memory; UNCONFIRMED = not found. Two more for numbers that are no national
# rule: LOCAL = a local example or practice; OPERATIONAL = how the software runs (no rule).
CONFIRMED = ("PUB", "PUB-2nd")
TAGS = (*CONFIRMED, "RECALLED", "UNCONFIRMED", "LOCAL", "OPERATIONAL")


class RuleError(ValueError):
    """A rule value (or combination) that breaks an invariant; ``field`` names the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field} {message}")
        self.field = field
        self.message = message


def rule(default: T, basis: str, tag: str) -> T:
    """A Rules field: its default, its legal basis and its domain.md tag (see TAGS)."""
    if tag not in TAGS:
        raise ValueError(f"unknown tag {tag!r}; one of {TAGS}")
    if not basis.strip():
        raise ValueError("a rule needs its basis")
    meta = {"basis": basis, "tag": tag}
    if isinstance(default, dict | list | set):
        return dataclasses.field(default_factory=lambda: copy.deepcopy(default),  # type: ignore[return-value]
                                 metadata=meta)
    return dataclasses.field(default=default, metadata=meta)  # type: ignore[return-value]


def group(cls: type[T], basis: str) -> T:
    """A field holding a nested rules dataclass (its own fields carry their bases)."""
    return dataclasses.field(default_factory=cls, metadata={"basis": basis, "tag": "group"})  # type: ignore[return-value]


def is_group(f: dataclasses.Field[Any]) -> bool:
    return f.metadata.get("tag") == "group"


def leaf_fields(cls: type, prefix: str = "") -> Iterator[tuple[str, dataclasses.Field[Any]]]:
    """Every rule field as (dotted path, field), nested groups flattened."""
    for f in dataclasses.fields(cls):
        if is_group(f):
            yield from leaf_fields(f.default_factory, f"{prefix}{f.name}.")  # type: ignore[arg-type]
        else:
            yield f"{prefix}{f.name}", f


def confirmed(f: dataclasses.Field[Any]) -> bool:
    """Whether domain.md marks the field's rule as a public rule (PUB or PUB-2nd)."""
    return f.metadata.get("tag") in CONFIRMED


def default_of(f: dataclasses.Field[Any]) -> Any:
    """The field's default value."""
    if f.default is not dataclasses.MISSING:
        return f.default
    return f.default_factory()  # type: ignore[operator]
