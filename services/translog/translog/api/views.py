"""Public, read-only endpoints an outsider needs to check the log without trusting us: the
latest signed checkpoint (or one of a given size), entries with their records while public,
inclusion and consistency proofs."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from translog.app import log as uc

EXTENSION = "translog"
blp = Blueprint("log", __name__, url_prefix="/api/v1/log",
                description="公开信息透明日志：检查点、条目、收录证明、一致性证明（公开，无需令牌）")
NOTE_DOC = {"200": {"description": "C2SP 签名检查点（文本）",
                    "content": {"text/plain": {"schema": {"type": "string"}}}}}


def _log() -> uc.LogStore:
    return current_app.extensions[EXTENSION]  # type: ignore[no-any-return]


class SizeArgs(Schema):
    size = fields.Integer(load_default=None, validate=validate.Range(min=1))


class InclusionArgs(Schema):
    index = fields.Integer(required=True, validate=validate.Range(min=0))
    size = fields.Integer(required=True, validate=validate.Range(min=1))


class ConsistencyArgs(Schema):
    first = fields.Integer(required=True, validate=validate.Range(min=1))
    second = fields.Integer(required=True, validate=validate.Range(min=1))


class ProofSchema(Schema):
    proof = fields.List(fields.String(), metadata={"description": "十六进制哈希，RFC 9162 顺序"})


class EntrySchema(Schema):
    index = fields.Integer()
    leaf = fields.String(metadata={"description": "SHA-256(盐 || 规范化记录)，十六进制"})
    public = fields.Boolean(metadata={"description": "记录是否仍公开（撤下后只留哈希）"})
    record = fields.Dict(allow_none=True)
    salt = fields.String(allow_none=True)
    event_id = fields.String()


@blp.route("/checkpoint", methods=["GET"])
@blp.arguments(SizeArgs, location="query")
@blp.doc(responses=NOTE_DOC)
def checkpoint(args: dict[str, Any]) -> Response:
    """The latest signed checkpoint, or the one signed at ``size``."""
    log = _log()
    found = log.latest_checkpoint() if args["size"] is None else \
        log.checkpoint(args["size"])
    if found is None:
        return Response("没有该检查点\n", status=404, mimetype="text/plain")
    return Response(found["note"], mimetype="text/plain",
                    headers={"Cache-Control": "no-cache"})


class RangeArgs(Schema):
    start = fields.Integer(load_default=0, validate=validate.Range(min=0))
    end = fields.Integer(load_default=None, validate=validate.Range(min=1), metadata={
        "description": "不含；缺省为 start + 100，每次至多 100 条"})


@blp.route("/entries", methods=["GET"])
@blp.arguments(RangeArgs, location="query")
@blp.response(200, EntrySchema(many=True))
def entries(args: dict[str, Any]) -> list[dict[str, Any]]:
    """Entries start..end-1 (at most 100), as monitors read a log."""
    start = args["start"]
    end = min(args["end"] or start + 100, start + 100)
    return uc.entries(_log(), start, end)


@blp.route("/entries/<int:index>", methods=["GET"])
@blp.response(200, EntrySchema)
def entry(index: int) -> dict[str, Any]:
    """One leaf: its hash, and its record and salt while the record is public."""
    return uc.entry(_log(), index)


@blp.route("/proofs/inclusion", methods=["GET"])
@blp.arguments(InclusionArgs, location="query")
@blp.response(200, ProofSchema)
def inclusion(args: dict[str, Any]) -> dict[str, Any]:
    """The audit path of leaf ``index`` in the tree of ``size`` leaves."""
    return {"proof": uc.inclusion(_log(), args["index"], args["size"])}


@blp.route("/proofs/consistency", methods=["GET"])
@blp.arguments(ConsistencyArgs, location="query")
@blp.response(200, ProofSchema)
def consistency(args: dict[str, Any]) -> dict[str, Any]:
    """Proof that the tree of ``first`` leaves is a prefix of the tree of ``second``."""
    return {"proof": uc.consistency(_log(), args["first"], args["second"])}


class LookupArgs(Schema):
    key = fields.String(required=True, validate=validate.Length(min=1, max=200), metadata={
        "description": "公开事项，如 penalty:<处罚编号>、filing:<统一社会信用代码>"})


class FoundSchema(Schema):
    index = fields.Integer()
    public = fields.Boolean()
    kind = fields.String(allow_none=True)
    event_id = fields.String()


@blp.route("/lookup", methods=["GET"])
@blp.arguments(LookupArgs, location="query")
@blp.response(200, FoundSchema(many=True))
def lookup(args: dict[str, Any]) -> list[dict[str, Any]]:
    """The leaves about one public thing (its disclosure, and a withdrawal of it)."""
    return uc.lookup(_log(), args["key"])


class BeaconSchema(Schema):
    key = fields.String()
    index = fields.Integer(metadata={"description": "该记录的第一个叶子的序号"})
    checkpoint = fields.String(metadata={"description": "第一个包含该叶子的签名检查点"})
    previous = fields.String(allow_none=True, metadata={
        "description": "紧挨着它之前签发的检查点（不包含该叶子）"})
    consistency = fields.List(fields.String(), metadata={
        "description": "previous 到 checkpoint 的一致性证明"})


@blp.route("/beacon", methods=["GET"])
@blp.arguments(LookupArgs, location="query")
@blp.response(200, BeaconSchema)
def beacon(args: dict[str, Any]) -> dict[str, Any]:
    """The public random value of a draw: the first checkpoint that holds the record that
    opened the draw (a plan's publication, or the end of its previous attempt)."""
    return uc.beacon(_log(), args["key"])


class ManyArgs(Schema):
    key = fields.List(fields.String(validate=validate.Length(min=1, max=200)), required=True,
                      validate=validate.Length(min=1, max=50))


class LookupsSchema(Schema):
    found = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(FoundSchema)))


@blp.route("/lookups", methods=["GET"])
@blp.arguments(ManyArgs, location="query")
@blp.response(200, LookupsSchema)
def lookups(args: dict[str, Any]) -> dict[str, Any]:
    """Several public things at once (``key`` repeated, at most 50): a page of disclosures
    shows each one's leaf."""
    return {"found": {k: uc.lookup(_log(), k) for k in dict.fromkeys(args["key"])}}
