"""The production image's Dockerfile: every path it copies exists in the repository, and its
base image is a build argument (the official Python image by default)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
DOCKERFILES = (DOCKERFILE, *sorted((ROOT / "deploy" / "standins").glob("*.Dockerfile")))
CHECK = (ROOT / "devtools" / "deploy" / "check.py").read_text(encoding="utf-8")
MADE_BY_THE_BUILD = "build/"  # wheels and the broker binary: make deploy-check puts them there


def _instructions(path: Path = DOCKERFILE) -> list[str]:
    text = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: p.name)
def test_every_path_a_dockerfile_copies_exists(path: Path) -> None:
    copies = [line.split()[1:-1] for line in _instructions(path) if line.startswith("COPY ")]
    assert copies, f"{path.name} copies nothing"
    for sources in copies:
        for src in sources:
            if src.startswith("--"):
                continue
            src = re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", src)  # ${WHEELS:-x}: x without it
            if src.startswith(MADE_BY_THE_BUILD):
                assert src.split("/")[1] in CHECK, f"nothing makes {src}"
                continue
            assert (ROOT / src).exists(), f"{path.name} copies {src}, which does not exist"


def test_the_base_image_is_a_build_argument_defaulting_to_official_python() -> None:
    lines = _instructions()
    arg = next(line for line in lines if line.startswith("ARG BASE_IMAGE="))
    assert arg.split("=", 1)[1].startswith("python:3.11")
    assert lines.index(arg) < lines.index("FROM ${BASE_IMAGE}")
    gunicorn = [line for line in lines if "gunicorn.conf.py" in line and line.startswith("COPY")]
    assert gunicorn, "the gunicorn config every web container uses is not copied"
