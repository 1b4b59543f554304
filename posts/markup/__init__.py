"""The Markdown pipeline: text in, rendered parts out. Pure: no Django, no models, no database.

`render_markdown()` is the one entry point; everything a post stores at save comes from the
`Rendered` it returns. `PIPELINE_VERSION` changes whenever the same text would render differently
(then run `manage.py rerender_posts`). That nothing here imports Django is checked by an import
contract (`.importlinter`, run by `make test`).
"""

from posts.markup.render import (
    PIPELINE_VERSION,
    SECONDS_PER_FIGURE,
    WORDS_PER_MINUTE,
    BibEntry,
    Heading,
    Rendered,
    cited_keys,
    render_markdown,
)

__all__ = [
    "PIPELINE_VERSION",
    "SECONDS_PER_FIGURE",
    "WORDS_PER_MINUTE",
    "BibEntry",
    "Heading",
    "Rendered",
    "cited_keys",
    "render_markdown",
]
