"""posts.template_versions: one hash of template sources for stored cards and page parts."""

import pytest

from posts import list_cards, page_parts, template_versions
from posts.template_versions import template_version


@pytest.fixture
def templates(settings, tmp_path):
    """A template directory of the test's own, searched first; versions are computed afresh."""
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    template_version.cache_clear()
    yield tmp_path
    template_version.cache_clear()


def test_the_version_follows_the_source_of_each_template(templates, settings):
    (templates / "a.html").write_text("A {{ x }}")
    (templates / "b.html").write_text("B")
    first = template_version(("a.html", "b.html"))
    assert len(first) == 16 and first != template_version(("a.html",))
    assert first != template_version(("b.html", "a.html"))
    (templates / "b.html").write_text("B, changed")
    assert template_version(("a.html", "b.html")) == first  # read once per process
    settings.TEMPLATES = settings.TEMPLATES  # a new process: templates loaded again
    template_version.cache_clear()
    assert template_version(("a.html", "b.html")) != first


def test_templates_are_read_once_per_set_of_names(templates, monkeypatch):
    (templates / "a.html").write_text("A")
    loaded = []
    real = template_versions.get_template
    monkeypatch.setattr(template_versions, "get_template", lambda n: loaded.append(n) or real(n))
    for _ in range(3):
        template_version(("a.html",))
    assert loaded == ["a.html"]


def test_cards_and_parts_are_versioned_by_their_own_templates(db, post):
    assert list_cards.card_version() == template_version(list_cards.CARD_TEMPLATES)
    assert page_parts.parts_key(post).split()[0] == template_version(page_parts.PART_TEMPLATES)
    assert list_cards.card_version() != template_version(page_parts.PART_TEMPLATES)
