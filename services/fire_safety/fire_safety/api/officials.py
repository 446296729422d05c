"""The register of named officials, maintained by each department (until identity exists)."""

from __future__ import annotations

import re
from typing import Any

from flask import g
from flask_smorest import Blueprint

from fire_safety.api.common import deps, path_id, problems
from fire_safety.api.schemas import DeactivationSchema, OfficialOutSchema, OfficialSchema
from fire_safety.app.officials import deactivate_official, officials_of, register_official
from fire_safety.domain.errors import Forbidden
from fire_safety.domain.model import INSPECTOR_DEPARTMENTS
from fire_safety.domain.officials import DeactivateOfficial, Official, RegisterOfficial
from shared.authority import WRITE_DUTIES
from shared.http.auth import readable_regions, roles_required
from shared.http.idempotency import IDEMPOTENCY_KEY
from shared.http.requests import commit_meta

blp = Blueprint("officials", __name__, url_prefix="/api/v1/departments",
                description="人员名录：各部门登记本部门在职账号（集体讨论、专家组、查封决定成员须为登记账号）")
DEPARTMENTS = tuple(sorted({d for ds in INSPECTOR_DEPARTMENTS.values() for d in ds}))
DEPARTMENT = re.compile(rf"^({'|'.join(DEPARTMENTS)})$")
LOGIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}$")


def _view(o: Official) -> dict[str, Any]:
    return {**o.to_data(), "active": o.active}


@blp.route("/<department>/officials", methods=["POST"])
@roles_required(*DEPARTMENTS, duties=WRITE_DUTIES)
@blp.arguments(OfficialSchema)
@blp.response(201, OfficialOutSchema, description="已登记（或停用后重新登记）")
@blp.alt_response(200, schema=OfficialOutSchema, description="相同信息已登记：不重复记录")
@problems(blp, 403, 409, 422)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def register(body: dict[str, Any], department: str) -> tuple[dict[str, Any], int]:
    """Register an account of the department (login = the official's token sub)."""
    dept = path_id(department, DEPARTMENT, "department")
    official = Official(body["login"], dept, body["region"], body["duty"],
                        tuple(body["conflicts"]))
    meta = commit_meta()
    handled = register_official(RegisterOfficial(official, meta.actor_dept),
                                store=deps().store, meta=meta)
    return _view(handled.state[official.login]), 201 if handled.events else 200


@blp.route("/<department>/officials/<login>/deactivation", methods=["POST"])
@roles_required(*DEPARTMENTS, duties=WRITE_DUTIES)
@blp.arguments(DeactivationSchema)
@blp.response(200, OfficialOutSchema, description="已停用（已停用的再次提交不重复记录）")
@problems(blp, 403, 404, 422)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
def deactivate(body: dict[str, Any], department: str, login: str) -> dict[str, Any]:
    """Deactivate an account: it can no longer be named as a member from now on."""
    dept = path_id(department, DEPARTMENT, "department")
    login = path_id(login, LOGIN, "login")
    meta = commit_meta()
    handled = deactivate_official(DeactivateOfficial(dept, login, body["reason"],
                                                     meta.actor_dept),
                                  store=deps().store, meta=meta)
    return _view(handled.state[login])


@blp.route("/<department>/officials", methods=["GET"])
@roles_required(*DEPARTMENTS)
@blp.response(200, OfficialOutSchema(many=True))
@problems(blp, 403, 422)
def list_officials(department: str) -> list[dict[str, Any]]:
    """The department's register (its own staff; never public)."""
    dept = path_id(department, DEPARTMENT, "department")
    if g.principal.role != dept:
        raise Forbidden(f"{g.principal.role} 不能查看 {dept} 的人员名录")
    # only those serving within the reader's regions (a region-level record: overlap)
    return [_view(o) for o in readable_regions(officials_of(dept, store=deps().store),
                                               lambda o: o.region)]
