"""Every public page that takes a USCC in its path answers a bad one without a 500."""

from __future__ import annotations

import pytest
from projection import features

BAD = ["9135010OM000100Y43", "91350100M000100Y4I", "%3Cscript%3E", "x" * 300, "123"]
PAGES = ["/institutions/{}"] + [
    f"{feature.name}:{endpoint}" for feature in features.discover()
    for _, endpoint in feature.institution_links]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("bad", BAD)
def test_a_malformed_uscc_is_a_clean_not_found_never_a_500(client, page, bad):
    if ":" in page:
        with client.application.test_request_context():
            from flask import url_for

            path = url_for(page.split(":", 1)[1], uscc=bad)
    else:
        path = page.format(bad)
    r = client.get(path)
    assert r.status_code in (404, 422), (path, r.status_code)
    assert "Traceback" not in r.get_data(as_text=True)
