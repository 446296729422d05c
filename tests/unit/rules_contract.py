"""One suite every service's rules run (tests/unit/<svc>/test_rules.py subclasses it).

A Rules field without a basis, a variable without a field (or the reverse), a README that
does not list a variable, or an error that does not name the variable fails here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.config import EnvVar, Settings
from shared.rules import TAGS, confirmed, default_of, leaf_fields

ROOT = Path(__file__).resolve().parents[2]
GARBAGE = "not-a-value{"


class RulesContract:
    service: ClassVar[str]
    rules: ClassVar[type]
    env: ClassVar[Sequence[EnvVar]]
    load: ClassVar[Callable[[Settings], Any]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # one property test per service (hypothesis wants a function per executor)
        cls.test_any_value_is_applied_to_its_field_or_refused_naming_a_variable = (  # type: ignore[attr-defined]
            _applied_or_refused())

    def _load(self, **extra: str) -> Any:
        return type(self).load(Settings(service=self.service, extra=extra))

    def test_every_rule_field_has_a_basis_and_a_domain_md_tag(self) -> None:
        for path, f in leaf_fields(self.rules):
            assert f.metadata.get("basis", "").strip(), f"{path} has no basis"
            assert f.metadata.get("tag") in TAGS, f"{path} has no domain.md tag"
            assert confirmed(f) == (f.metadata["tag"] in ("PUB", "PUB-2nd"))
            default_of(f)  # every field has its default

    def test_every_field_has_one_variable_and_every_variable_one_field(self) -> None:
        fields = [path for path, _ in leaf_fields(self.rules)]
        by_field = [v.field for v in self.env]
        assert sorted(by_field) == sorted(fields)
        names = [v.name for v in self.env]
        assert len(set(names)) == len(names)
        assert all(n.startswith("ELDERCARE_") for n in names)

    def test_without_variables_the_rules_are_the_documented_defaults(self) -> None:
        assert self._load() == self.rules()
        assert self._load(**{v.name: "  " for v in self.env}) == self.rules()  # blank = unset

    def test_a_bad_value_fails_with_the_variable_named(self) -> None:
        for var in self.env:
            try:
                var.parse(GARBAGE)
            except ValueError:
                pass
            else:
                continue  # free text (a salt): nothing is bad
            with pytest.raises(ValueError, match=f"^{var.name} "):
                self._load(**{var.name: GARBAGE})

    def test_the_readme_lists_every_variable_and_marks_the_unconfirmed(self) -> None:
        readme = (ROOT / "services" / self.service / "README.md").read_text(encoding="utf-8")
        fields = dict(leaf_fields(self.rules))
        for var in self.env:
            lines = [ln for ln in readme.splitlines() if f"`{var.name}`" in ln]
            assert lines, f"README of {self.service} does not list {var.name}"
            if fields[var.field].metadata["tag"] == "UNCONFIRMED":
                assert any("unconfirmed" in ln.lower() for ln in lines), var.name


SAMPLES = ["A", "c", "E", "[]", "{}", '["x"]', '{"A": 1}', "A=5,B=10,C=30,D=70", "A=0,B=1,C=1,D=1"]


def _applied_or_refused() -> Callable[..., None]:
    @settings(max_examples=150, deadline=None)
    @given(data=st.data())
    def test(self: RulesContract, data: st.DataObject) -> None:
        """Any text for any variable: its field takes the parsed value, or the load fails with
        a message that starts with a variable's name."""
        var = data.draw(st.sampled_from(list(self.env)))
        raw = data.draw(st.one_of(st.integers(-5, 200).map(str), st.sampled_from(SAMPLES),
                                  st.text(max_size=8)))
        try:
            loaded = self._load(**{var.name: raw})
        except ValueError as exc:
            assert str(exc).split(" ", 1)[0] in {v.name for v in self.env}, str(exc)
            return
        if raw.strip():
            value = loaded
            for part in var.field.split("."):
                value = getattr(value, part)
            assert value == var.parse(raw.strip())

    return test
