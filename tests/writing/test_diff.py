"""Diffs of a post's text: only changed fields, line by line, line endings ignored."""

from posts.writing.diff import diff_states, diff_text, post_state


def test_only_changed_fields_in_a_fixed_order():
    old = post_state(title="A", body="one\ntwo\n", tags=["b", "A"])
    new = post_state(title="A", body="one\n2\n", tags=["A", "b", "c"])
    diffs = diff_states(old, new)
    assert [diff.field for diff in diffs] == ["body", "tags"]
    body = [(line.kind, line.text) for line in diffs[0].lines]
    assert ("removed", "-two") in body and ("added", "+2") in body
    assert body[0][0] == "hunk"
    assert [line.text for line in diffs[1].lines if line.kind != "hunk"] == ["-A, b", "+A, b, c"]


def test_windows_line_endings_from_browsers_are_not_a_change():
    assert diff_states(post_state(body="a\nb"), post_state(body="a\r\nb")) == []


def test_context_lines_are_limited():
    old = "\n".join(f"line {n}" for n in range(50))
    new = old.replace("line 25", "line twenty-five")
    lines = diff_text(old, new)
    assert len([line for line in lines if line.kind == "context"]) == 4
