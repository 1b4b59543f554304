"""`manage.py export_site OUTDIR --base-url URL`: the public site as files (see posts/export.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from posts.transfer.static_export import Export


class Command(BaseCommand):
    help = "Write every public page, feed and static file to OUTDIR as a static site."

    def add_arguments(self, parser):
        parser.add_argument("outdir", type=Path)
        parser.add_argument(
            "--base-url",
            required=True,
            help="Where the export will be served, e.g. https://name.github.io/blog/",
        )

    def handle(self, outdir, base_url, **options):
        if not base_url.startswith(("http://", "https://")):
            raise CommandError("--base-url must be an absolute http(s) URL.")
        outdir.mkdir(parents=True, exist_ok=True)
        export = Export(outdir=outdir, base_url=base_url).run()
        for path in export.missing:
            self.stderr.write(f"Linked but not found: {path}")
        for path in export.refused:
            self.stderr.write(f"Refused, its file would be outside {outdir}: {path}")
        self.stdout.write(
            f"Exported {len(export.written)} pages and {export.redirects} redirect pages at old "
            f"URLs to {outdir}."
        )
