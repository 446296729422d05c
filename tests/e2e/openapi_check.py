"""Every JSON answer of every API in the e2e suite is checked against its OpenAPI document.

The documents are the checked-in contracts/openapi/<service>.json (OpenAPI 3.1, whose schemas
are JSON Schema 2020-12). A response is matched to its path template and method, then to its
status code (or ``default``); its body must validate against the documented schema. An API
response with a status or content type the document does not list is a mismatch too.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema

ROOT = Path(__file__).resolve().parents[2]


def _pointer(*parts: str) -> str:
    return "#/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


@dataclass
class ServiceSpec:
    name: str
    doc: dict[str, Any]
    routes: list[tuple[re.Pattern[str], str]] = field(default_factory=list)

    @classmethod
    def load(cls, name: str) -> ServiceSpec:
        doc = json.loads((ROOT / "contracts" / "openapi" / f"{name}.json").read_text("utf-8"))
        spec = cls(name, doc)
        for template in doc.get("paths", {}):
            rx = re.escape(template)
            rx = re.sub(r"\\\{[^}]+\\\}", "[^/]+", rx)
            spec.routes.append((re.compile(f"^{rx}$"), template))
        # literal paths win over templated ones (/plans/new before /plans/{id})
        spec.routes.sort(key=lambda r: r[1].count("{"))
        return spec

    def check(self, method: str, path: str, status: int, content_type: str,
              body: bytes) -> str | None:
        """None when the answer matches the document, else what is wrong."""
        template = next((t for rx, t in self.routes if rx.match(path)), None)
        if template is None:
            return f"{self.name}: {method} {path} is not in the OpenAPI document"
        op = self.doc["paths"][template].get(method.lower())
        if op is None:
            return f"{self.name}: {method} {template} is not documented"
        responses = op.get("responses", {})
        code = str(status) if str(status) in responses else "default"
        if code not in responses:
            return f"{self.name}: {method} {template} answered {status}, not documented"
        media = content_type.split(";")[0].strip()
        content = responses[code].get("content")
        if not content:
            return None  # documented without a body (e.g. 204)
        if media not in content:
            return (f"{self.name}: {method} {template} {status} answered {media}, "
                    f"documented {sorted(content)}")
        schema = content[media].get("schema")
        if schema is None:
            return None
        if "json" not in media:  # a documented text answer (a signed note, CSV): its type
            return None if schema.get("type") == "string" else (
                f"{self.name}: {method} {template} {status}: {media} with a non-string schema")
        try:
            data = json.loads(body)
        except ValueError:
            return f"{self.name}: {method} {template} {status}: body is not JSON"
        root = {**self.doc, "$ref": _pointer("paths", template, method.lower(), "responses",
                                             code, "content", media, "schema")}
        errors = sorted(jsonschema.Draft202012Validator(root).iter_errors(data),
                        key=lambda e: list(e.absolute_path))
        if errors:
            e = errors[0]
            where = "/".join(str(p) for p in e.absolute_path) or "(body)"
            return (f"{self.name}: {method} {template} {status}: {where}: {e.message[:300]}"
                    f" ({len(errors)} error(s))")
        return None


class ResponseChecker:
    """Checks answers of the stack's services; records what it checked and what failed."""

    def __init__(self, urls: dict[str, str]) -> None:
        self.by_netloc = {urlsplit(u).netloc: ServiceSpec.load(name)
                          for name, u in urls.items()
                          if (ROOT / "contracts" / "openapi" / f"{name}.json").exists()}
        self.checked = 0
        self.failures: list[str] = []

    def check(self, method: str, url: str, status: int, content_type: str,
              body: bytes) -> str | None:
        parts = urlsplit(url)
        spec = self.by_netloc.get(parts.netloc)
        if spec is None or not parts.path.startswith("/api/"):
            return None  # pages and open-data files are checked by their own tests
        if "json" not in content_type and not body:
            return None
        self.checked += 1
        problem = spec.check(method, parts.path, status, content_type, body)
        if problem:
            self.failures.append(problem)
        return problem
