from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from posts.transfer.front_matter import (
    BadSource,
    as_bool,
    as_list,
    first_text,
    parse_date,
    split_front_matter,
)

PARIS = ZoneInfo("Europe/Paris")


def test_yaml_front_matter_and_body():
    meta, body = split_front_matter("---\ntitle: Hello\ntags: [a, b]\n---\n\nBody text.\n")
    assert meta == {"title": "Hello", "tags": ["a", "b"]}
    assert body == "Body text.\n"


def test_toml_front_matter_with_native_dates():
    text = '+++\ntitle = "Hi"\ndate = 2021-07-11T09:30:00Z\n+++\nBody'
    meta, body = split_front_matter(text)
    assert meta["date"] == datetime(2021, 7, 11, 9, 30, tzinfo=UTC)
    assert body == "Body"


def test_no_front_matter_means_empty_metadata():
    assert split_front_matter("# Just Markdown\n") == ({}, "# Just Markdown\n")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('---\ntitle: "open\n---\nx', "broken YAML front matter"),
        ("+++\ntitle = \n+++\nx", "broken TOML front matter"),
        ("---\ntitle: x\nno end", "not closed with ---"),
        ("---\n- a\n- b\n---\nx", "not a set of key: value pairs"),
    ],
)
def test_broken_front_matter_says_why(text, reason):
    with pytest.raises(BadSource, match=reason):
        split_front_matter(text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-09-05", datetime(2019, 9, 5, tzinfo=PARIS)),
        ("2019-09-05 10:20", datetime(2019, 9, 5, 10, 20, tzinfo=PARIS)),
        (
            "2019-09-05 10:20:30 +0800",
            datetime(2019, 9, 5, 10, 20, 30, tzinfo=timezone(timedelta(hours=8))),
        ),
        ("2019-09-05T10:20:30Z", datetime(2019, 9, 5, 10, 20, 30, tzinfo=UTC)),
        ("2019-09-05 10:20:30 UTC", datetime(2019, 9, 5, 10, 20, 30, tzinfo=UTC)),
        ("2019-09-05T10:20:30.250000+00:00", datetime(2019, 9, 5, 10, 20, 30, 250000, tzinfo=UTC)),
        ("Sep 5, 2019", datetime(2019, 9, 5, tzinfo=PARIS)),
        ("5 September 2019", datetime(2019, 9, 5, tzinfo=PARIS)),
        ("2019/09/05", datetime(2019, 9, 5, tzinfo=PARIS)),
        (
            "Thu, 05 Sep 2019 10:20:30 +0200",
            datetime(2019, 9, 5, 10, 20, 30, tzinfo=timezone(timedelta(hours=2))),
        ),
        (datetime(2019, 9, 5, 8, 0), datetime(2019, 9, 5, 8, 0, tzinfo=PARIS)),
    ],
)
def test_dates_in_many_forms(value, expected):
    parsed = parse_date(value, PARIS)
    assert parsed == expected
    assert parsed.tzinfo is not None


@pytest.mark.parametrize("value", ["yesterday", "2019-13-45", "", 42])
def test_bad_dates_are_refused(value):
    with pytest.raises(BadSource, match="bad date"):
        parse_date(value, PARIS)


def test_tags_from_lists_and_strings():
    assert as_list(["ML", "nlp", "ml"]) == ["ML", "nlp"]
    assert as_list("math kramdown") == ["math", "kramdown"]
    assert as_list("machine learning, nlp") == ["machine learning", "nlp"]
    assert as_list(None) == []
    assert as_list(2019) == ["2019"]


def test_booleans_and_first_text():
    assert as_bool("true") and as_bool(True) and not as_bool("false") and not as_bool(None)
    assert first_text({"summary": " ", "description": "Desc"}, "summary", "description") == "Desc"
    assert first_text({"title": 2019}, "title") == "2019"
