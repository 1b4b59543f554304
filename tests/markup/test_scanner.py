"""posts.markup.scanner: code is found, hidden and restored exactly; rewrites never touch it."""

from posts.markup.scanner import protect_code, restore_code, rewrite_prose, split_code_blocks

TEXT = """Intro with `code $$x$$` inline.

```python
print("![not](an-image.png)")
```

![Alt](img/a.png "Title \\"quoted\\"") and <img alt="" src="/b.png">
"""


def test_code_is_protected_and_restored_exactly():
    protected, stash = protect_code(TEXT)
    assert "$$x$$" not in protected and "an-image" not in protected
    assert restore_code(protected, stash) == TEXT


def test_rewrite_prose_never_touches_code():
    assert rewrite_prose(TEXT, lambda t: t.replace("$$", "$")) == TEXT  # only code has $$
    assert "x = 1" in rewrite_prose("```\nx = 1\n```\nx = 1", lambda t: t.replace("x", "y"))


def test_indented_code_is_code_but_an_indented_list_continuation_is_prose():
    text = "Para.\n\n    indented $x$\n\n- item\n\n    continued $y$"
    runs = split_code_blocks(text)
    assert (True, "    indented $x$\n") in runs
    assert all("continued" not in segment for is_code, segment in runs if is_code)
    assert "".join(segment + "\n" for _, segment in runs).rstrip("\n") == text.rstrip("\n")


def test_importers_leave_indented_code_alone():
    text = "Prose $$a$$.\n\n    code $$b$$\n"
    assert rewrite_prose(text, lambda t: t.replace("$$", "$")) == "Prose $a$.\n\n    code $$b$$\n"
