"""`manage.py import_markdown PATH...`: bring Hugo or Jekyll posts (or an export) into the site."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from posts.transfer.importers.library import FAILED, Importer
from posts.transfer.importers.sources import DIALECTS


class Command(BaseCommand):
    help = (
        "Import Markdown posts with YAML or TOML front matter from Hugo or Jekyll sites, or from "
        "an export_markdown folder. Re-importing updates the same posts."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="Files or folders (recursive).")
        parser.add_argument(
            "--author", help="Username for new posts (default: the only superuser)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )
        parser.add_argument(
            "--dialect", choices=DIALECTS, help="Force the dialect instead of detecting it."
        )

    def handle(self, *args, paths, author, dry_run, dialect, **options):
        missing = [str(path) for path in paths if not path.exists()]
        if missing:
            raise CommandError(f"No such file or folder: {', '.join(missing)}")
        report = Importer(self._author(author), dry_run=dry_run, dialect=dialect).run(paths)
        for line in report.site_data:
            self.stdout.write(f"site data {line}")
        for outcome in report.outcomes:
            line = f"{outcome.status:<9} {outcome.source}"
            if outcome.detail:
                line += (
                    f": {outcome.detail}" if outcome.status == FAILED else f" → {outcome.detail}"
                )
            style = self.style.ERROR if outcome.status == FAILED else self.style.SUCCESS
            self.stdout.write(style(line))
            if outcome.converted:
                self.stdout.write(f"          converted: {_counts(outcome.converted)}")
            for warning in outcome.warnings:
                self.stdout.write(self.style.WARNING(f"          left: {warning}"))
        prefix = "Dry run, nothing written. Would have: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{report.count('created')} created, {report.count('updated')} updated, "
            f"{report.count('unchanged')} unchanged, {report.count(FAILED)} failed; "
            f"{report.images_copied} images copied into the library, "
            f"{report.images_reused} reused."
        )
        if report.converted():
            self.stdout.write(f"Converted in all: {_counts(report.converted())}.")
        if report.left():
            self.stdout.write(f"Left as is in all: {_counts(report.left())}.")
        if report.count(FAILED):
            raise CommandError(f"{report.count(FAILED)} file(s) could not be imported (see above).")

    @staticmethod
    def _author(username):
        users = get_user_model().objects
        if username:
            try:
                return users.get(username=username)
            except users.model.DoesNotExist:
                raise CommandError(f'No user "{username}".') from None
        superusers = list(users.filter(is_superuser=True)[:2])
        if len(superusers) != 1:
            raise CommandError("Say who the author of new posts is: --author USERNAME.")
        return superusers[0]


def _counts(counter) -> str:
    return ", ".join(f"{count} {what}" for what, count in sorted(counter.items()))
