"""How tags are typed in the admin: names separated by commas, spaces allowed inside a name.

taggit's default parser splits on spaces when the text has no comma, so a lone
"reinforcement learning" would become two tags; here only commas separate names. Wired in through
the TAGGIT_TAGS_FROM_STRING and TAGGIT_STRING_FROM_TAGS settings.
"""


def parse_tag_string(text: str) -> list[str]:
    """Split "RL, meta learning, RL" into sorted unique names; quotes around a name are dropped."""
    names = {part.strip().strip('"').strip() for part in (text or "").split(",")}
    return sorted(name for name in names if name)


def format_tag_string(tags) -> str:
    """The text a writer sees in the tag box: names sorted and joined by commas."""
    return ", ".join(sorted(tag.name for tag in tags))
