"""deploy/mongo/init-users.js run for real with node (mongosh runs the same JavaScript), the
database replaced by a recorder: one user per service with its own password file and exactly
the table's roles; the projection's extra role may only find, and only in the relay-state
collections of the services it shows; a second run updates instead of failing."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from devtools.deploy import topology as t

ROOT = Path(__file__).resolve().parents[2]
HARNESS = r"""
const vm = require('vm'), path = require('path');
const state = {users: {}, roles: {}, calls: []};
const admin = {
  getRole: (r) => state.roles[r] || null,
  createRole: (r) => { state.calls.push('createRole'); state.roles[r.role] = r; },
  updateRole: (n, r) => { state.calls.push('updateRole'); state.roles[n] = {role: n, ...r}; },
  getUser: (u) => state.users[u] || null,
  createUser: (u) => { state.calls.push('createUser'); state.users[u.user] = u; },
  updateUser: (n, u) => { state.calls.push('updateUser'); state.users[n] = {user: n, ...u}; },
};
const db = {getSiblingDB: (name) => { if (name !== 'admin') throw new Error(name); return admin; }};
const fs = {readFileSync: (p) => 'pw-' + path.basename(p) + '\n'};
const code = require('fs').readFileSync(process.argv[2], 'utf8');
for (let run = 0; run < 2; run++) {
  const only = (m) => { if (m !== 'fs') throw new Error(m); return fs; };
  vm.runInNewContext(code, {db, require: only});
}
console.log(JSON.stringify(state));
"""


def _run(tmp_path: Path) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (make test installs it with the a11y tools)")
    harness = tmp_path / "harness.js"
    harness.write_text(HARNESS)
    out = subprocess.run([node, str(harness), str(ROOT / "deploy/mongo/init-users.js")],
                         check=True, capture_output=True, text=True, timeout=60)
    return json.loads(out.stdout)


def test_the_init_script_makes_one_user_per_service_with_the_tables_roles(tmp_path) -> None:
    state = _run(tmp_path)
    assert set(state["users"]) == {s.name for s in t.SERVICES}
    for s in t.SERVICES:
        user = state["users"][s.name]
        assert user["pwd"] == f"pw-{s.name}"  # its own file, trimmed
        assert user["roles"] == t.mongo_roles(s.name)
    assert state["calls"].count("createUser") == len(t.SERVICES)
    assert state["calls"].count("updateUser") == len(t.SERVICES)  # the second run
    assert state["calls"].count("updateRole") == 1


def test_the_status_reader_only_finds_relay_state_of_the_services_shown(tmp_path) -> None:
    role = _run(tmp_path)["roles"]["opsStatusReader"]
    assert role["roles"] == []
    allowed = {(f"{t.DB_PREFIX}{svc}", c) for svc in t.ops_sources() for c in t.OPS_COLLECTIONS}
    got = {(p["resource"]["db"], p["resource"]["collection"]) for p in role["privileges"]}
    assert got == allowed
    assert all(p["actions"] == ["find"] for p in role["privileges"])
    assert not any("vault" in db or db.endswith("_identity") for db, _ in got)
