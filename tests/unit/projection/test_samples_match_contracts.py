"""The sample data used by every projection test must match the published schemas."""

import pytest

from shared.contracts import validate_data
from shared.envelope import ce_type
from tests.unit.projection import samples as s

CODE = s.uscc(3)


@pytest.mark.parametrize(("name", "data"), [
    ("EnterpriseRegistrationReceived", s.registration_received(CODE)),
    ("EnterpriseRegistrationChanged", s.registration_changed(CODE, ["record.name"])),
    ("InstitutionFiled", s.filed(CODE)),
    ("InstitutionFilingChanged", s.filing_changed(CODE, ["beds"])),
    ("InstitutionCancelled", s.cancelled(CODE)),
    ("UnfiledOperationSuspected", s.suspected(CODE)),
    ("UnfiledOperationSuspected", s.suspected(CODE, basis="filing_cancelled",
                                               since="2026-06-30")),
])
def test_sample_matches_its_schema(name, data):
    validate_data(ce_type("registry", name), data)


def test_sample_codes_are_valid_uscc():
    from stdnum.cn import uscc

    assert all(uscc.is_valid(s.uscc(n)) for n in range(1, 50))
