"""How faithfully a Jekyll or Hugo site comes over: import it into a fresh SQLite database and
count, over the rendered posts, what a reader would see.

    python -m bench.import_fidelity tests/fixtures/jekyll-ml [tests/fixtures/hugo-ml ...]

Prints the importer's report, then per site: posts imported, formulas in the sources (counted by
kramdown's own `$$` pairing, so the number does not come from the converter being measured) and
MathML formulas in the pages, cross-links in the sources and links that reach an imported post,
and any Liquid, kramdown or shortcode syntax left in the text a reader sees. The numbers are in
docs/media-and-import.md.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from io import StringIO
from pathlib import Path

LIQUID_OR_KRAMDOWN = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{::?[^}]*\}|\$\$", re.S)
# What a source shows as text on purpose: kramdown's `\$\$`, Hugo's `{{</* name */>}}`.
LITERAL = re.compile(r"\\\$\\\$|\{\{[<%]/\*")
CROSS_LINK = re.compile(r"\{%-?\s*(?:post_url|link)\s|\{\{<\s*(?:rel)?ref\s")


def without_code(text: str) -> str:
    """The prose of a source: no code blocks, code spans or `{% raw %}` blocks."""
    from posts.markup.scanner import protect_code

    prose, _ = protect_code(text)
    prose = re.sub(r"\{%-?\s*highlight.*?endhighlight\s*-?%\}", "", prose, flags=re.S)
    return re.sub(r"\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}", "", prose, flags=re.S)


def source_formulas(text: str) -> int:
    """Formulas outside code: `{{< math >}}`/`{{< katex >}}` shortcodes, `$$` pairs (kramdown's only
    delimiter), then `$x$` (Hugo's passthrough; kramdown sources here have none)."""
    # `\$$x$$` is kramdown's inline formula at a paragraph's start; other `\$` are dollars.
    prose = re.sub(r"\\(?=\$\$)", "", without_code(text)).replace("\\$", "")
    shortcodes = re.findall(
        r"\{\{<\s*(?:math|katex)\b.*?\{\{<\s*/\s*(?:math|katex)\s*>\}\}", prose, re.S
    )
    for shortcode in shortcodes:
        prose = prose.replace(shortcode, " ")
    pairs = len(re.findall(r"\$\$.+?\$\$", prose, re.S))
    prose = re.sub(r"\$\$.+?\$\$", " ", prose, flags=re.S)
    # single dollars (Hugo's passthrough, pandoc's rule): `$x$` with no space inside the ends
    singles = len(re.findall(r"\$(?=\S)[^$\n]+?(?<=\S)\$(?!\d)", prose))
    return pairs + len(shortcodes) + singles


def main(paths: list[str]) -> None:
    work = Path(tempfile.mkdtemp(prefix="import-fidelity-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'db.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(work / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blogsite.settings.test")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from posts.models import Post, PostAlias

    call_command("migrate", verbosity=0)
    get_user_model().objects.create_superuser("writer", "w@example.org", "x")
    client = Client()
    for path in paths:
        out = StringIO()
        try:
            call_command("import_markdown", path, "--author", "writer", stdout=out)
        except Exception as error:
            out.write(f"\n{error}\n")
        print(out.getvalue())
        sources = [
            p for p in Path(path).rglob("*.md") if "/_posts/" in str(p) or "/content/" in str(p)
        ]
        texts = [p.read_text() for p in sources if p.name != "_index.md"]
        wanted_formulas = sum(source_formulas(t) for t in texts)
        old_urls = set(PostAlias.objects.values_list("path", flat=True))
        plain = re.compile(r"\]\((?:\{\{\s*site\.\w+\s*\}\})*(/[^)\s#]+)")
        wanted_links = sum(
            len(CROSS_LINK.findall(without_code(t)))
            + sum(1 for path in plain.findall(without_code(t)) if path in old_urls)
            for t in texts
        )
        posts = Post.objects.filter(import_source__in=[
            p.relative_to(Path(path)).as_posix() for p in sources
        ])  # fmt: skip
        urls = {post.get_absolute_url() for post in posts}
        mathml = leftovers = resolved = plain_text = 0
        for post in posts:
            mathml += post.body_html.count("<math")
            shown = re.sub(r"<(pre|code)\b.*?</\1>", "", post.body_html, flags=re.S)
            shown = re.sub(r"<math\b.*?</math>", "", shown, flags=re.S)
            found = LIQUID_OR_KRAMDOWN.findall(shown)
            leftovers += len(found)
            if found and os.environ.get("SHOW_LEFTOVERS"):
                print(post.slug, [shown[m.start() - 40 : m.end() + 40] for m in
                                  LIQUID_OR_KRAMDOWN.finditer(shown)])  # fmt: skip
            plain_text += post.body_html.startswith("<pre>")
            links = re.findall(r'href="(/posts/[^"#]+)', post.body_html + post.summary_html)
            resolved += sum(1 for link in links if link in urls)
            if post.is_public:
                assert client.get(post.get_absolute_url()).status_code == 200
        print(f"== {path}")
        print(f"posts imported:        {posts.count()} of {len(texts)} files")
        print(f"posts shown as text:   {plain_text}")
        print(f"formulas:              {mathml} MathML of {wanted_formulas} in the sources")
        print(f"cross-links resolved:  {resolved} of {wanted_links} in the sources")
        escaped = sum(len(LITERAL.findall(without_code(t))) for t in texts)
        print(f"syntax left to readers: {leftovers - escaped}")


if __name__ == "__main__":
    main(sys.argv[1:])
