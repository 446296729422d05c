"""A client that polls an institution's public JSON sends back its ETag: while the document is
unchanged the answer is 304 without a body (and without replaying the history); every change
of the public document, and a rebuild into a new generation, changes the tag."""

from __future__ import annotations

from projection.adapters import generations
from projection.adapters.directory import entity_tag

from tests.integration.projection.helpers import envelope
from tests.unit.projection import samples as s

CODE = s.uscc(101)
URL = f"/api/v1/institutions/{CODE}"


def test_an_unchanged_document_answers_304_until_its_next_public_event(apply_directly, client):
    events = [envelope(e) for e in s.lifecycle(CODE)]
    assert client.get(URL, headers={"If-None-Match": 'W/"1.0"'}).status_code == 404
    tags = []
    for n, env in enumerate(events, start=1):
        apply_directly(env)
        full = client.get(URL)
        assert full.status_code == 200 and full.get_json()["version"] == n
        tag = full.headers["ETag"]
        assert tag.startswith('W/"') and tag not in tags  # every version its own tag
        tags.append(tag)
        again = client.get(URL, headers={"If-None-Match": tag})
        assert again.status_code == 304 and again.get_data() == b""
        assert again.headers["ETag"] == tag
        for old in tags[:-1]:  # a tag of an earlier version gets the whole document
            assert client.get(URL, headers={"If-None-Match": old}).get_json() == full.get_json()
    many = client.get(URL, headers={"If-None-Match": f'"x", {tags[-1][2:]}'})
    assert many.status_code == 304  # any of a list; the strong form of the tag matches too


def test_a_past_day_ignores_the_tag(apply_directly, client):
    apply_directly(*[envelope(e) for e in s.lifecycle(CODE)])
    tag = client.get(URL).headers["ETag"]
    past = client.get(f"{URL}?as_of=2026-03-31", headers={"If-None-Match": tag})
    assert past.status_code == 200 and past.get_json()["version"] == 2
    assert "ETag" not in past.headers


def test_the_tag_names_the_generation(db, apply_directly, client):
    apply_directly(*[envelope(e) for e in s.lifecycle(CODE)])
    tag = client.get(URL).headers["ETag"]
    generation = generations.active_generation(db, fresh=True)
    assert tag == f'W/"{entity_tag(generation, {"public_version": 4})}"' == f'W/"{generation}.4"'
    assert entity_tag(generation + 1, {"public_version": 4}) != tag[3:-1]


def test_a_lead_changes_neither_the_tag_nor_the_answer(apply_directly, client):
    """The tag counts public versions only: a suspected unfiled operation (a lead for civil
    affairs, never public) must not show as a change."""
    apply_directly(envelope(s.event("EnterpriseRegistrationReceived",
                                    s.registration_received(CODE), 1, s.at("2026-01-06"))))
    before = client.get(URL)
    apply_directly(envelope(s.event("UnfiledOperationSuspected", s.suspected(CODE), 2,
                                    s.at("2026-02-04"))))
    assert client.get(URL, headers={"If-None-Match": before.headers["ETag"]}).status_code == 304
    after = client.get(URL)
    assert after.headers["ETag"] == before.headers["ETag"]
    assert after.get_json() == before.get_json()


def test_a_document_without_a_public_version_gets_no_tag_and_no_304(db, apply_directly,
                                                                     client):
    apply_directly(*[envelope(e) for e in s.lifecycle(CODE)])
    tag = client.get(URL).headers["ETag"]
    generations.active_collection(db).update_one({"_id": CODE},
                                                 {"$unset": {"public_version": ""}})
    old = client.get(URL, headers={"If-None-Match": tag})
    assert old.status_code == 200 and "ETag" not in old.headers
