"""Production static storage (`blogsite.static_storage`): fingerprinted URLs, each worked out
once per process."""

import json

import pytest

from blogsite.static_storage import StaticFilesStorage


@pytest.fixture
def storage(tmp_path, settings):
    settings.DEBUG = False
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"version": "1.1", "paths": {"css/site.css": "css/site.0123abcd.css"}})
    )
    return StaticFilesStorage(location=tmp_path, base_url="/static/")


def test_the_fingerprinted_url_is_worked_out_once(storage, monkeypatch):
    lookups = []
    stored_name = storage.stored_name
    monkeypatch.setattr(
        storage, "stored_name", lambda name: lookups.append(name) or stored_name(name)
    )
    assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"
    assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"
    assert lookups == ["css/site.css"]


def test_a_name_missing_from_the_manifest_still_raises_each_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/gone.css")


def test_debug_serves_names_as_they_are(storage, settings):
    settings.DEBUG = True
    assert storage.url("css/site.css") == "/static/css/site.css"
