"""Which Kafka and MongoDB the tests use: testcontainers only when a Docker engine answers AND
holds the images (an engine that cannot pull must not break the suite), with the reason."""

from __future__ import annotations

import sys
import types

import pytest

from devtools.devstack import infra


class _Images:
    def __init__(self, present: set[str]) -> None:
        self.present = present

    def get(self, name: str) -> str:
        if name not in self.present:
            raise LookupError(name)
        return name


class _Client:
    def __init__(self, present: set[str]) -> None:
        self.images = _Images(present)

    def close(self) -> None:
        pass


@pytest.fixture()
def engine(monkeypatch):
    """A Docker engine that answers and holds the images given."""
    def with_images(*present: str) -> None:
        fake = types.SimpleNamespace(from_env=lambda timeout: _Client(set(present)))
        monkeypatch.setitem(sys.modules, "docker", fake)
        monkeypatch.setattr(infra, "docker_available", lambda: True)
        infra.container_images.cache_clear()

    yield with_images
    infra.container_images.cache_clear()


def test_an_engine_without_the_images_falls_back_and_says_why(engine, monkeypatch):
    monkeypatch.delenv("ELDERCARE_TEST_PULL", raising=False)
    engine(infra.MONGO_IMAGE)
    usable, why = infra.container_images()
    assert not usable and infra.KAFKA_IMAGE in why and "not on it" in why


def test_an_engine_with_both_images_is_used(engine, monkeypatch):
    monkeypatch.delenv("ELDERCARE_TEST_PULL", raising=False)
    engine(infra.MONGO_IMAGE, infra.KAFKA_IMAGE)
    assert infra.container_images()[0]


def test_pulling_only_when_allowed(engine, monkeypatch):
    engine()
    monkeypatch.setenv("ELDERCARE_TEST_PULL", "1")
    assert infra.container_images()[0]


def test_no_engine_no_containers(monkeypatch):
    monkeypatch.setattr(infra, "docker_available", lambda: False)
    infra.container_images.cache_clear()
    try:
        assert infra.container_images() == (False, "no Docker engine answers on this machine")
    finally:
        infra.container_images.cache_clear()
