"""Part of ``make lint``: the deployment files are current and Compose accepts them.

1. the rendered files equal what devtools/deploy/topology.py renders,
2. ``docker compose config`` (or Compose v1's ``docker-compose config``) accepts
   docker-compose.yml, alone and with the stand-in override, given every required variable,
3. leaving out any one required variable (every ``${VAR:?message}``) makes it refuse, and the
   refusal carries the message: a missing secret stops ``docker compose up``.

No Docker daemon is needed. Compose is installed from Debian when neither is present.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile

from devtools.deploy import render

ROOT = render.ROOT
REQUIRED = re.compile(r"\$\{([A-Z0-9_]+):\?([^}]*)\}")


def compose_cmd() -> list[str]:
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"],
                                                 capture_output=True).returncode == 0:
        return ["docker", "compose"]
    if not shutil.which("docker-compose"):
        if os.geteuid() != 0:
            raise SystemExit("deploy lint: neither `docker compose` nor docker-compose; install "
                             "one (apt-get install docker-compose)")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        for cmd in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q",
                                                   "docker-compose"]):
            subprocess.run(cmd, check=True, capture_output=True, env=env)
    return ["docker-compose"]


def required() -> dict[str, set[str]]:
    """Each required variable and its messages (compose names the first one it meets)."""
    found: dict[str, set[str]] = {}
    for m in REQUIRED.finditer((ROOT / "docker-compose.yml").read_text(encoding="utf-8")):
        found.setdefault(m.group(1), set()).add(m.group(2).strip())
    return found


def main() -> int:
    if render.main(["--check"]) != 0:
        return 1
    cmd = compose_cmd()
    with tempfile.TemporaryDirectory() as tmp:
        values = {name: f"{tmp}/secrets" if name.endswith("_DIR") else "1"
                  if "REPLICATION" in name or "INSYNC" in name else f"lint-{name.lower()}"
                  for name in required()}
        base = {k: v for k, v in os.environ.items() if k not in values}
        files = ["-f", str(ROOT / "docker-compose.yml")]
        override = files + ["-f", str(ROOT / "deploy/docker-compose.standins.yml")]

        def config(env: dict[str, str], which: list[str]) -> subprocess.CompletedProcess[str]:
            return subprocess.run([*cmd, "--project-directory", str(ROOT), *which, "config",
                                   "-q"], capture_output=True, text=True, env=env, cwd=tmp)

        for which in (files, override):
            out = config(base | values, which)
            if out.returncode != 0:
                print(f"deploy lint: compose rejects {' '.join(which[1::2])}:\n{out.stderr}",
                      file=sys.stderr)
                return 1
        for name, messages in required().items():
            out = config(base | {k: v for k, v in values.items() if k != name}, files)
            if out.returncode == 0 or not any(m and m in out.stderr for m in messages):
                print(f"deploy lint: without {name} compose did not stop with its message "
                      f"({sorted(messages)}):\n{out.stderr}", file=sys.stderr)
                return 1
    print(f"deploy lint: compose files valid ({' '.join(cmd)}); each of {len(values)} required "
          "variables stops compose with its message when missing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
