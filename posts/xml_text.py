"""Text as XML character data, escaped once and ready to be written into an element as it is.

Feeds carry whole posts (~75 KB of HTML each, dense with `<` and `&`): escaping 20 of them on every
request cost more than everything else a feed does. `Post.save()` stores the feed's body and
summary already as character data (`xml_character_data`), and the feeds write them with
`write_character_data` instead of escaping them again.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import XMLGenerator, escape

# What XML 1.0 forbids and Django's XML writer refuses (with an error, so a feed would fail).
FORBIDDEN_IN_XML = re.compile(r"[\x00-\x08\x0B-\x0C\x0E-\x1F]")


def xml_character_data(text: str) -> str:
    """`text` escaped as an XML element's content (`&`, `<`, `>`, as the XML writer escapes it),
    without the control characters XML 1.0 forbids, which are dropped."""
    return escape(FORBIDDEN_IN_XML.sub("", text))


def write_character_data(handler: XMLGenerator, name: str, data: str, attrs=None) -> None:
    """Write `<name attrs>data</name>`, `data` being `xml_character_data()` output, unescaped.

    `ignorableWhitespace()` is the SAX writer's one public way to write text as it is given;
    the element is opened and closed as `addQuickElement()` does (empty data: `<name/>`).
    """
    handler.startElement(name, attrs or {})
    handler.ignorableWhitespace(data)
    handler.endElement(name)
