"""The production image's Dockerfile: every path it copies exists in the repository, and its
base image is a build argument (the official Python image by default)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "deploy" / "Dockerfile"


def _instructions() -> list[str]:
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def test_every_path_the_dockerfile_copies_exists() -> None:
    copies = [line.split()[1:-1] for line in _instructions() if line.startswith("COPY ")]
    assert copies, "the Dockerfile copies nothing"
    for sources in copies:
        for src in sources:
            if src.startswith("--"):
                continue
            assert (ROOT / src).exists(), f"deploy/Dockerfile copies {src}, which does not exist"


def test_the_base_image_is_a_build_argument_defaulting_to_official_python() -> None:
    lines = _instructions()
    arg = next(line for line in lines if line.startswith("ARG BASE_IMAGE="))
    assert arg.split("=", 1)[1].startswith("python:3.11")
    assert lines.index(arg) < lines.index("FROM ${BASE_IMAGE}")
    gunicorn = [line for line in lines if "gunicorn.conf.py" in line and line.startswith("COPY")]
    assert gunicorn, "the gunicorn config every web container uses is not copied"
