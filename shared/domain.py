"""Building blocks every service's pure domain may use (standard library only).

Domain packages may import this module and nothing else from the kernel's I/O side
(import-linter enforces it). The app factory maps the errors to problem+json statuses.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, ClassVar, Self

Json = dict[str, Any]
Upcaster = Callable[[Json], Json]


class Record:
    """A frozen dataclass that maps to JSON data and back, field by field.

    Field types drive the mapping: ``date``/``datetime`` <-> ISO text, ``tuple[X, ...]``
    <-> list, nested Records (or any class with to_data/from_data) <-> objects, ``X | None``
    keeps None; everything else is stored as it is. Fields named in ``omit_when_none`` are
    left out of the data while None (schema properties that are not required).
    """

    omit_when_none: ClassVar[frozenset[str]] = frozenset()

    def to_data(self) -> Json:
        data: Json = {}
        omit = self.omit_when_none
        for name, encode, _, _ in _codec(type(self)):
            value = getattr(self, name)
            if value is None:
                if name not in omit:
                    data[name] = None
            else:
                data[name] = value if encode is None else encode(value)
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        """The instance ``data`` describes; keys it does not know are ignored, a missing
        field takes its default (TypeError when it has none).

        Built like copy and pickle build instances (no __init__ call: the frozen
        dataclass's field-by-field setattr would make replaying a stream slower)."""
        values: dict[str, Any] = {}
        for name, _, decode, default in _codec(cls):
            if name in data:
                value = data[name]
                values[name] = value if decode is None or value is None else decode(value)
            elif default is not _REQUIRED:
                values[name] = default
            else:
                raise TypeError(f"{cls.__name__}: no value for {name!r}")
        instance = object.__new__(cls)
        instance.__dict__.update(values)
        return instance


class Event(Record):
    """A typed domain event: a frozen dataclass per event type (past-tense name).

    ``event_name`` defaults to the class name and ``schema_version`` to 1; set them with
    class keywords, e.g. ``class PenaltyDecided(Event, version=2)``. The data is published
    as contracts/events/<service>/<event_name>.v<schema_version>.json describes it.
    """

    event_name: ClassVar[str]
    schema_version: ClassVar[int]

    def __init_subclass__(cls, name: str | None = None, version: int = 1, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        cls.event_name = name or cls.__name__
        cls.schema_version = version


class EventCatalog:
    """The event types of one aggregate and the upcasters of their older versions.

    ``upcasters`` maps (event name, stored version) to a function from that version's data
    to the next version's; decode() applies them in turn, then builds the current type.
    """

    def __init__(self, *event_types: type[Event],
                 upcasters: Mapping[tuple[str, int], Upcaster] | None = None) -> None:
        self.types: dict[str, type[Event]] = {}
        for t in event_types:
            if t.event_name in self.types:
                raise ValueError(f"event type {t.event_name} listed twice")
            self.types[t.event_name] = t
        self.upcasters: dict[tuple[str, int], Upcaster] = dict(upcasters or {})
        for name, version in self.upcasters:
            current = self.types.get(name)
            if current is None or version >= current.schema_version:
                raise ValueError(f"upcaster {name} v{version} has no later version to reach")

    def version_of(self, name: str) -> int:
        return self.types[name].schema_version

    def upcast(self, name: str, version: int, data: Json) -> Json:
        """Data stored as ``version`` brought to the current version of ``name``."""
        current = self.types[name].schema_version
        while version < current:
            step = self.upcasters.get((name, version))
            if step is None:
                raise ValueError(f"no upcaster for {name} v{version}")
            data, version = step(data), version + 1
        if version > current:
            raise ValueError(f"{name} v{version} is newer than this code (v{current})")
        return data

    def decode(self, name: str, version: int, data: Json) -> Event | None:
        """The typed event; None for names this aggregate does not know (ignored)."""
        event_type = self.types.get(name)
        if event_type is None:
            return None
        return event_type.from_data(self.upcast(name, version, data))

    def __iter__(self) -> typing.Iterator[type[Event]]:
        return iter(self.types.values())


# -- the field-by-field JSON mapping, built once per class --------------------------------

# (name, encode, decode, default); None codecs: the value is stored as it is. None values
# are never passed to a codec (``X | None`` keeps None both ways).
Convert = Callable[[Any], Any] | None
_Field = tuple[str, Convert, Convert, Any]
_CODECS: dict[type, list[_Field]] = {}
_REQUIRED = object()


def _codec(cls: type) -> list[_Field]:
    found = _CODECS.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        found = [(f.name, *_mapping(hints[f.name]), _default(f))
                 for f in dataclasses.fields(cls)]
        _CODECS[cls] = found
    return found


def _default(f: dataclasses.Field[Any]) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        raise TypeError(f"{f.name}: event fields take plain defaults, not factories")
    return _REQUIRED


def _mapping(tp: Any) -> tuple[Convert, Convert]:
    """(encode, decode) for the non-None values of type ``tp``."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _mapping(inner[0]) if len(inner) == 1 else (None, None)
    if origin is tuple:
        args = typing.get_args(tp)
        enc, dec = _mapping(args[0]) if args else (None, None)
        if enc is None and dec is None:
            return list, tuple
        e, d = enc or _same, dec or _same
        return (lambda v: [e(x) for x in v]), (lambda v: tuple(d(x) for x in v))
    if tp is datetime:
        return datetime.isoformat, datetime.fromisoformat
    if tp is date:
        return date.isoformat, date.fromisoformat
    if isinstance(tp, type) and hasattr(tp, "to_data") and hasattr(tp, "from_data"):
        return tp.to_data, tp.from_data
    return None, None


def _same(value: Any) -> Any:
    return value


class DomainError(Exception):
    """A command the rules refuse; ``detail`` is shown to users (Chinese)."""

    status = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class InvalidCommand(DomainError):
    """Field-level rule violations (HTTP 422)."""

    status = 422

    def __init__(self, errors: dict[str, list[str]], detail: str = "请求数据未通过校验") -> None:
        super().__init__(detail)
        self.errors = errors


class NotFound(DomainError):
    """The thing the command names does not exist (HTTP 404)."""

    status = 404


class Conflict(DomainError):
    """The command contradicts the current state (HTTP 409)."""

    status = 409


def region_prefix(code: str) -> str:
    """The prefix an administrative division code stands for (GB/T 2260).

    '50' (province), '5001' (city) and '500103' (county) stand for themselves; full-length
    codes of a province or city drop their zero tail: '500000' -> '50', '500100' -> '5001'.
    """
    if len(code) == 6 and code.endswith("0000"):
        return code[:2]
    if len(code) == 6 and code.endswith("00"):
        return code[:4]
    return code


def within_region(region: str, district_code: str) -> bool:
    """Whether ``district_code`` lies in ``region`` (a 2/4/6-digit division code or prefix)."""
    prefix = region_prefix(region)
    return bool(prefix) and district_code.startswith(prefix)


def uscc_district(uscc: str) -> str:
    """An institution's district: characters 3–8 of its unified social credit code are the
    division code of the registering authority (GB 32100-2015, 4.3)."""
    return uscc[2:8]
