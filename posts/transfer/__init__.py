"""Moving posts in and out: Hugo and Jekyll import (`importers/`), Markdown export, the static
site export, and the one front-matter reader and writer they share."""
