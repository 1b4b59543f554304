"""The version of a set of templates: what stored HTML rendered from them is checked against.

Post cards (`posts.list_cards`) and the parts of a post page (`posts.page_parts`) are rendered
when what they show changes and stored with the version of the templates they came from; stored
HTML of another version is rendered again, so a changed template needs nothing run by hand.
"""

from __future__ import annotations

import functools
import hashlib

from django.template.loader import get_template


@functools.cache
def template_version(names: tuple[str, ...]) -> str:
    """A hash of the source of these templates, in this order (read once per process: a
    deployment of new templates starts new processes)."""
    sources = "\n".join(get_template(name).template.source for name in names)
    return hashlib.sha256(sources.encode()).hexdigest()[:16]
