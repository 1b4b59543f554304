"""`manage.py export_markdown OUTDIR`: every post, drafts too, as Markdown files with images."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from posts.transfer.markdown_export import export_posts


class Command(BaseCommand):
    help = (
        "Write every post (drafts included, marked draft: true) as Markdown with YAML front "
        "matter into OUTDIR/posts/, the library images they use into OUTDIR/media/, and the "
        "bibliography (references.bib), tags, series and image metadata (YAML) into OUTDIR."
    )

    def add_arguments(self, parser):
        parser.add_argument("outdir", type=Path, help="An empty or new folder.")

    def handle(self, *args, outdir: Path, **options):
        if outdir.exists() and (not outdir.is_dir() or any(outdir.iterdir())):
            raise CommandError(f"{outdir} is not an empty folder; choose a new one.")
        report = export_posts(outdir)
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {report.posts} posts ({report.drafts} drafts), {report.images} "
                f"images, {report.references} references, {report.tags} tags and "
                f"{report.series} series to {outdir}."
            )
        )
