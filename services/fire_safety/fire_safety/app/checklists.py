"""Use cases: publish a checklist template version; seed the default on first use."""

from __future__ import annotations

from fire_safety.app.common import CHECKLISTS, Handled, checklist_stream, run_checklist
from fire_safety.domain.checklist import (
    DEFAULT_TEMPLATE_ID,
    Checklist,
    PublishTemplate,
    Template,
    decide_publish,
    default_template_command,
    require_version,
)
from fire_safety.domain.errors import InvalidCommand, NotFound
from shared.authority import WRITE_DUTIES, Scope
from shared.clock import Clock, china_today
from shared.commands import load_state
from shared.eventstore import CommitMeta, ConcurrencyConflict, EventStore


def publish_template(cmd: PublishTemplate, *, store: EventStore,
                     meta: CommitMeta) -> Handled[Checklist]:
    """A new version unless identical to the latest. Templates apply in every district: a
    national fire-rescue clerk or leader publishes them."""
    meta = meta.authorized(Scope(departments=("fire_rescue",), duties=WRITE_DUTIES,
                                 national=True))
    return run_checklist(store, cmd.template_id, lambda s: decide_publish(s, cmd), meta)


def get_checklist(template_id: str, *, store: EventStore) -> Checklist:
    """Every version of a template; NotFound when none was published."""
    found, version, _ = load_state(store, CHECKLISTS, checklist_stream(template_id))
    if version == 0:
        raise NotFound(f"检查表模板 {template_id} 不存在")
    return found


def seed_default(*, store: EventStore, clock: Clock, meta: CommitMeta) -> Checklist:
    """Publish the default template if it was never published (a racing seeder is fine)."""
    cmd = default_template_command(china_today(clock))
    try:
        run_checklist(store, DEFAULT_TEMPLATE_ID,
                      lambda s: [] if s.versions else decide_publish(s, cmd), meta)
    except ConcurrencyConflict:
        pass  # another request seeded it at the same moment
    return get_checklist(DEFAULT_TEMPLATE_ID, store=store)


def template_for(template_id: str, version: int | None, *, store: EventStore, clock: Clock,
                 meta: CommitMeta) -> Template:
    """The template version an inspection will use; the default is seeded on first use."""
    if template_id == DEFAULT_TEMPLATE_ID:
        found = seed_default(store=store, clock=clock, meta=meta)
    else:
        found, version, _ = load_state(store, CHECKLISTS, checklist_stream(template_id))
        if version == 0:
            raise InvalidCommand({"template_id": [f"检查表模板 {template_id} 不存在"]})
    return require_version(found, template_id, version)
