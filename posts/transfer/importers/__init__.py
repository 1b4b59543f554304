"""Bringing Hugo and Jekyll posts in (`manage.py import_markdown`).

Pure parts, no database: `front_matter` (YAML/TOML header, dates, tag lists), `markdown_text`
(code-aware rewriting, image references, `<!--more-->`), `jekyll` and `hugo` (each dialect's
conventions turned into this site's Markdown), `sources` (one file → a `SourcePost`). The database
part is `library` (posts, tags, aliases and images saved, re-imports matched).
"""
