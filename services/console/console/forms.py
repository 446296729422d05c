"""Forms drawn from the services' published OpenAPI documents (contracts/openapi/).

A field's type, choices, limits and whether it is required come from the request schema the
service itself validates with, so the console keeps no second copy of the rules: it only
turns the typed text into JSON of the right shape and shows the service's problem+json
field errors next to the fields they name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from shared.contracts import contracts_dir

TEXTAREA_OVER = 200  # characters: a longer limit gets a multi-line box
# the marshmallow messages a service may send in English, in plain Chinese
MESSAGES = {
    "Missing data for required field.": "必填",
    "Not a valid integer.": "请填写整数",
    "Not a valid number.": "请填写数字",
    "Not a valid date.": "请按 年-月-日 填写日期，例如 2026-12-04",
    "Not a valid boolean.": "请选择是或否",
    "Field may not be null.": "必填",
    "Not a valid string.": "请填写文字",
    "Not a valid list.": "格式不正确",
    "Invalid input type.": "格式不正确",
    "Unknown field.": "不接受此项",
}
_LENGTH = re.compile(r"Longer than maximum length (\d+)\.")
_RANGE = re.compile(r"Must be greater than or equal to (\S+) and less than or equal to (\S+)\.")
_CHOICE = re.compile(r"^(\w+)=(.+)$")


@dataclass(frozen=True)
class Field:
    name: str  # dotted path into the JSON body
    label: str
    kind: str  # text | textarea | integer | number | date | select | lines | json
    required: bool = False
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    maxlength: int | None = None
    in_path: bool = False
    columns: tuple[Field, ...] = ()  # a group: one row per item of a list of objects

    def cell(self, row: int, column: Field) -> str:
        """The form name of one cell of a group."""
        return f"{self.name}.{row}.{column.name}"

    @property
    def html_id(self) -> str:
        return "f-" + self.name.replace(".", "-")


@cache
def spec(service: str) -> dict[str, Any]:
    path = Path(contracts_dir()) / "openapi" / f"{service}.json"
    return dict(json.loads(path.read_text(encoding="utf-8")))


def _resolve(doc: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """The schema behind a $ref; of an optional one (anyOf: [schema, null]) the schema, with
    the option's description."""
    while "$ref" in node or "anyOf" in node:
        if "anyOf" in node:
            options = [o for o in node["anyOf"] if o.get("type") != "null"]
            described = {"description": node["description"]} if "description" in node else {}
            node = {**options[0], **described} if options else {}
            continue
        name = node["$ref"].rsplit("/", 1)[-1]
        node = {**doc["components"]["schemas"][name],
                **({"description": node["description"]} if "description" in node else {})}
    return node


def request_schema(service: str, method: str, path: str) -> dict[str, Any]:
    """The JSON request body schema of one operation ({} when it takes no body)."""
    doc = spec(service)
    op = doc["paths"][path][method.lower()]
    content = (op.get("requestBody") or {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    return _resolve(doc, schema) if schema else {}


def _choices(prop: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """Enum values with the Chinese names the description gives ("a=甲, b=乙")."""
    names = {}
    for part in re.split(r"[,，;；]\s*", prop.get("description", "")):
        m = _CHOICE.match(part.strip())
        if m:
            names[m.group(1)] = m.group(2).strip()
    return tuple((str(v), names.get(str(v), str(v))) for v in prop["enum"] if v is not None)


def _kind(prop: dict[str, Any], doc: dict[str, Any]) -> str:
    types = prop.get("type")
    types = [t for t in (types if isinstance(types, list) else [types]) if t != "null"]
    main = types[0] if types else "string"
    if "enum" in prop:
        return "select"
    if main == "boolean":
        return "select"
    if main == "array":
        items = _resolve(doc, prop.get("items", {}))
        if items.get("type", "string") == "string":
            return "lines"
        flat = all(_kind(_resolve(doc, p), doc) not in ("json", "group")
                   for p in items.get("properties", {}).values())
        return "group" if items.get("properties") and flat else "json"
    if main == "object":
        return "json"
    if main in ("integer", "number"):
        return main
    if prop.get("format") == "date":
        return "date"
    if (prop.get("maxLength") or 0) > TEXTAREA_OVER:
        return "textarea"
    return "text"


def fields_of(service: str, method: str, path: str, labels: Mapping[str, str],
              order: tuple[str, ...] = ()) -> list[Field]:
    """The form of one operation: its path parameters, then the body's fields (nested
    objects flattened to dotted names), in ``order`` first and the document's order after."""
    doc = spec(service)
    out = [Field(p, labels.get(p, p), "text", True, in_path=True)
           for p in re.findall(r"{(\w+)}", path)]
    out += _body_fields(doc, request_schema(service, method, path), labels, "")
    rank = {name: i for i, name in enumerate(order)}
    body = sorted((f for f in out if not f.in_path),
                  key=lambda f: rank.get(f.name, len(rank)))
    return [f for f in out if f.in_path] + body


def _body_fields(doc: dict[str, Any], schema: dict[str, Any], labels: Mapping[str, str],
                 prefix: str, within_required: bool = True) -> list[Field]:
    """``within_required``: the enclosing object must be sent (an optional object's fields
    are not marked required, though they are once any is given)."""
    out = []
    required = set(schema.get("required", [])) if within_required else set()
    for name, raw in schema.get("properties", {}).items():
        prop = _resolve(doc, raw)
        dotted = f"{prefix}{name}"
        if prop.get("type") == "object" and prop.get("properties"):
            out += _body_fields(doc, prop, labels, dotted + ".", name in required)
            continue
        kind = _kind(prop, doc)
        choices = _choices(prop) if "enum" in prop else ()
        if kind == "select" and not choices:
            choices = (("true", "是"), ("false", "否"))
        hint = prop.get("description", "") if kind != "select" else ""
        if kind == "lines":
            hint = (hint + "（每行一项）").strip()
        if kind == "json":
            hint = (hint + "（JSON 格式）").strip()
        columns: tuple[Field, ...] = ()
        if kind == "group":
            columns = tuple(_body_fields(doc, _resolve(doc, prop["items"]), labels, ""))
        label = labels.get(dotted, labels.get(name, prop.get("title", name)))
        out.append(Field(dotted, label, kind, name in required,
                         "" if hint.strip() == label else hint, choices, prop.get("maxLength"),
                         columns=columns))
    return out


ROW = re.compile(r"^(.+)\.(\d+)\.[^.]+$")


def rows_in(form: Mapping[str, str], f: Field, least: int = 1) -> int:
    """How many rows of group ``f`` to show: the highest row typed in, at least ``least``."""
    typed = [int(m.group(2)) for k in form if (m := ROW.match(k)) and m.group(1) == f.name]
    return max([least, *(n + 1 for n in typed)])


def body_from(form: Mapping[str, str], fields: list[Field]) -> tuple[dict[str, Any], dict]:
    """(JSON body, path parameters) from the submitted text. Text that does not parse is
    passed on as text, so the service's own message reaches the field; empty optional
    fields are left out (the service's default applies)."""
    body: dict[str, Any] = {}
    params: dict[str, str] = {}
    for f in fields:
        if f.kind == "group":
            rows = _rows(form, f)
            if rows:
                _put(body, f.name, rows)
            continue
        raw = (form.get(f.name) or "").strip()
        if f.in_path:
            params[f.name] = raw
            continue
        if raw == "":
            continue
        _put(body, f.name, _value(f, raw))
    return body, params


def _rows(form: Mapping[str, str], f: Field) -> list[dict[str, Any]]:
    """The rows of a group that have anything typed in, in order."""
    out = []
    for i in range(rows_in(form, f, 0)):
        row: dict[str, Any] = {}
        for c in f.columns:
            raw = (form.get(f.cell(i, c)) or "").strip()
            if raw:
                _put(row, c.name, _value(c, raw))
        if row:
            out.append(row)
    return out


def _value(f: Field, raw: str) -> Any:
    try:
        if f.kind == "integer":
            return int(raw)
        if f.kind == "number":
            return float(raw)
        if f.kind == "json":
            return json.loads(raw)
    except ValueError:
        return raw
    if f.kind == "select" and f.choices == (("true", "是"), ("false", "否")):
        return raw == "true"
    if f.kind == "lines":
        return [x.strip() for x in re.split(r"[\n,，、;；]", raw) if x.strip()]
    return raw


def _put(body: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    node = body
    for p in parents:
        node = node.setdefault(p, {})
    node[last] = value


def field_errors(errors: Mapping[str, Any], prefix: str = "") -> dict[str, list[str]]:
    """A problem+json ``errors`` object flattened to dotted names (a list's items by their
    index: ``items.0.level``), in Chinese where the service answered in marshmallow's
    English."""
    out: dict[str, list[str]] = {}
    for key, value in errors.items():
        name = prefix + str(key)
        if isinstance(value, Mapping):
            for sub, msgs in field_errors(value, name + ".").items():
                out.setdefault(sub, []).extend(msgs)
            continue
        msgs = value if isinstance(value, list) else [value]
        out.setdefault(name, []).extend(translate(str(m)) for m in msgs)
    return out


def attach(flat: Mapping[str, list[str]], names: set[str]) -> dict[str, list[str]]:
    """Errors by the form field that shows them: a name the form has keeps its messages; any
    other goes to the nearest enclosing field, saying which item (第 n 项) or part it is
    about; what has no field at all goes under ""."""
    out: dict[str, list[str]] = {}
    for key, msgs in flat.items():
        parts = key.split(".")
        for j in range(len(parts), 0, -1):
            found = ".".join(parts[:j])
            if found in names:
                rest = parts[j:]
                where = "".join(f"第 {int(p) + 1} 项 " if p.isdigit() else f"{p} "
                                for p in rest).strip()
                out.setdefault(found, []).extend(f"{where}：{m}" if where else m for m in msgs)
                break
        else:
            out.setdefault("", []).extend(f"{key}：{m}" for m in msgs)
    return out


def names_of(fields: list[Field], form: Mapping[str, str]) -> set[str]:
    """Every name the drawn form shows an error at (a group's cells included)."""
    out = set()
    for f in fields:
        out.add(f.name)
        for i in range(rows_in(form, f) if f.kind == "group" else 0):
            out.update(f.cell(i, c) for c in f.columns)
    return out


def translate(message: str) -> str:
    if message in MESSAGES:
        return MESSAGES[message]
    m = _LENGTH.match(message)
    if m:
        return f"不能超过 {m.group(1)} 个字"
    m = _RANGE.match(message)
    if m:
        return f"须在 {m.group(1)} 到 {m.group(2)} 之间"
    if message.startswith("Must be one of"):
        return "请从列表中选择"
    if message.startswith("String does not match expected pattern"):
        return "格式不正确"
    return message
