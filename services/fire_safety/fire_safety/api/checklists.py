"""Checklist templates: publish a version, read all versions."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from fire_safety.api.common import deps, path_id, problems, today
from fire_safety.api.fields import ID
from fire_safety.api.schemas import TemplatePublishSchema, TemplateSchema
from fire_safety.app.checklists import get_checklist, publish_template
from fire_safety.domain.checklist import Checklist, PublishTemplate
from fire_safety.domain.model import ChecklistItem
from shared.authority import WRITE_DUTIES
from shared.http.auth import ROLES, roles_required
from shared.http.idempotency import IDEMPOTENCY_KEY
from shared.http.requests import commit_meta

blp = Blueprint("checklists", __name__, url_prefix="/api/v1/checklist-templates",
                description="消防检查表模板（版本化）")
TEMPLATE_ID = ID.regex


def _view(c: Checklist) -> dict[str, Any]:
    versions = [{"template_id": t.template_id, "version": t.version, "title": t.title,
                 "items": [i.to_data() for i in t.items]} for t in c.versions.values()]
    return {"template_id": c.template_id, "latest_version": max(c.versions),
            "versions": versions}


@blp.route("/<template_id>/versions", methods=["POST"])
@roles_required("fire_rescue", duties=WRITE_DUTIES)
@blp.arguments(TemplatePublishSchema)
@blp.response(201, TemplateSchema, description="已发布新版本（与最新版相同则 200，不重复记录）")
@problems(blp, 422)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def publish(body: dict[str, Any], template_id: str) -> tuple[dict[str, Any], int]:
    """Publish a new version of a checklist template."""
    template_id = path_id(template_id, TEMPLATE_ID, "template_id")
    items = tuple(ChecklistItem(**i) for i in body["items"])
    cmd = PublishTemplate(template_id, body["title"].strip(), items, today())
    handled = publish_template(cmd, store=deps().store, meta=commit_meta())
    return _view(handled.state), 201 if handled.events else 200


@blp.route("/<template_id>", methods=["GET"])
@roles_required(*ROLES)
@blp.response(200, TemplateSchema)
@problems(blp, 404)
def get_one(template_id: str) -> dict[str, Any]:
    """Every version of a template (the default, fire-default, is seeded on first use)."""
    template_id = path_id(template_id, TEMPLATE_ID, "template_id")
    return _view(get_checklist(template_id, store=deps().store))
