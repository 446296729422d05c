"""The scale bench's CPU meter names each process's part and charges its CPU to it."""

from __future__ import annotations

import os
import time

from tests.bench.cpu import CpuMeter, processes, role


def test_roles_name_modules_web_services_and_programs():
    assert role(["/v/bin/python", "-m", "projection.consumer"]) == "projection.consumer"
    assert role(["/v/bin/python", "-m", "gunicorn", "registry.bootstrap:create_app()",
                 "--bind", "127.0.0.1:1"]) == "registry web"
    assert role(["/v/bin/python3", "/v/bin/nx-27017", "--data-dir", "/tmp/x"]) == "nx-27017"
    assert role(["/root/.calfkit/bin/tansu-v0.6.0-510f3e2", "broker"]) == "tansu"


def test_a_busy_process_is_charged_to_its_role_and_the_machine():
    meter = CpuMeter()
    meter.start()
    spent = time.process_time()
    while time.process_time() - spent < 0.3:  # burn 0.3 s of this process's CPU
        pass
    cores, by_role = meter.stop()
    mine = processes()[os.getpid()][0]
    assert by_role.get(mine, 0) > 0.1
    assert cores >= by_role[mine] * 0.8  # the machine was at least as busy as this process
