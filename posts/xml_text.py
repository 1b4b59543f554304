"""Text as XML character data, escaped once and ready to be written into an element as it is.

Feeds carry whole posts (~75 KB of HTML each, dense with `<` and `&`): escaping 20 of them on every
request cost more than everything else a feed does. `Post.save()` stores the feed's body and
summary already as character data (`xml_character_data`), and the feeds write them with
`write_character_data` instead of escaping them again.

What XML 1.0 forbids is found here too, with its place: the admin refuses it in whatever a writer
types (`reject_forbidden`), the importers in what they read (`forbidden_in`).
"""

from __future__ import annotations

import re
from xml.sax.saxutils import XMLGenerator, escape

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# What XML 1.0 forbids (its `Char` production): the C0 controls but tab, newline and CR, which
# Django's XML writer refuses with an error (a feed would be a 500); U+FFFE and U+FFFF, which it
# writes and no XML parser reads; lone surrogates, which it writes as character references that
# are no more allowed.
FORBIDDEN_IN_XML = re.compile(r"[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF\uD800-\uDFFF]")


def without_forbidden(text: str) -> str:
    """`text` without the characters XML 1.0 forbids (none of them shows as anything)."""
    return FORBIDDEN_IN_XML.sub("", text)


def first_forbidden(text: str) -> tuple[str, str] | None:
    """The first character XML 1.0 forbids in `text`, as its code point ("U+000B") and its place
    as a writer finds it: "character 6" in a text of one line, "line 3, column 5" in one of
    several; None if there is none."""
    match = FORBIDDEN_IN_XML.search(text)
    if match is None:
        return None
    position = match.start()
    if "\n" not in text:
        place = _("character %(number)d") % {"number": position + 1}
    else:
        line_start = text.rfind("\n", 0, position) + 1
        place = _("line %(line)d, column %(column)d") % {
            "line": text.count("\n", 0, position) + 1,
            "column": position - line_start + 1,
        }
    return f"U+{ord(match.group()):04X}", place


def forbidden_message(text: str) -> str | None:
    """What the writer is told about the first character XML 1.0 forbids in `text`, if any."""
    found = first_forbidden(text)
    if found is None:
        return None
    code, place = found
    return _(
        "Remove the invisible control character %(code)s (%(place)s): "
        "pages and feeds cannot carry it."
    ) % {"code": code, "place": place}


def reject_forbidden(value) -> None:
    """A form field's validator for anything a writer types (it all reaches pages, feeds or
    exports): refuses a character XML 1.0 forbids, saying which and where, so the writer can find
    it (none of them shows) and the form keeps everything else that was typed."""
    message = forbidden_message(value) if isinstance(value, str) else None
    if message is not None:
        raise ValidationError(message, code="forbidden_character")


def forbidden_in(texts) -> str | None:
    """Why an importer refuses a row: the first of `texts` (pairs of a name and its text) holding
    a character XML 1.0 forbids, with the character and its place; None if none holds one."""
    for name, text in texts:
        found = first_forbidden(text)
        if found is not None:
            code, place = found
            return (
                f"the {name} holds the control character {code} ({place}), "
                "which pages and feeds cannot carry"
            )
    return None


def xml_character_data(text: str) -> str:
    """`text` escaped as an XML element's content (`&`, `<`, `>`, as the XML writer escapes it),
    without the characters XML 1.0 forbids, which are dropped."""
    return escape(without_forbidden(text))


def write_character_data(handler: XMLGenerator, name: str, data: str, attrs=None) -> None:
    """Write `<name attrs>data</name>`, `data` being `xml_character_data()` output, unescaped.

    `ignorableWhitespace()` is the SAX writer's one public way to write text as it is given;
    the element is opened and closed as `addQuickElement()` does (empty data: `<name/>`).
    """
    handler.startElement(name, attrs or {})
    handler.ignorableWhitespace(data)
    handler.endElement(name)
