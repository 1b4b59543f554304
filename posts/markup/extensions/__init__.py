"""Python-Markdown extensions for posts, one job each.

They share a `RenderContext` (see `context.py`): the formulas they stashed, the warnings they
raised, the figures and citations they numbered. `posts.markup.render_markdown` builds one context
per call, so rendering stays a pure function.
"""
