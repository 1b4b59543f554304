"""Text as XML character data, escaped once and ready to be written into an element as it is.

Feeds carry whole posts (~75 KB of HTML each, dense with `<` and `&`): escaping 20 of them on every
request cost more than everything else a feed does. `Post.save()` stores the feed's body and
summary already as character data (`xml_character_data`), and the feeds write them with
`write_character_data` instead of escaping them again.
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


def first_forbidden(text: str) -> tuple[int, str] | None:
    """Where the first character XML 1.0 forbids is in `text` (0-based) and which it is."""
    match = FORBIDDEN_IN_XML.search(text)
    return (match.start(), match.group()) if match else None


def reject_forbidden(value) -> None:
    """A form field's validator for text that feeds carry (a title, a summary, a name): refuses
    a character XML 1.0 forbids, saying which and where, so the writer can find it (none of them
    shows) and the form keeps everything else that was typed."""
    found = first_forbidden(value) if isinstance(value, str) else None
    if found is not None:
        position, char = found
        raise ValidationError(
            _(
                "Remove the invisible control character %(code)s (character %(position)s): "
                "feeds cannot carry it."
            ),
            code="forbidden_character",
            params={"code": f"U+{ord(char):04X}", "position": position + 1},
        )


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
