"""`manage.py strip_image_metadata`: remove EXIF (GPS, camera), XMP and comments from images stored
before uploads lost their metadata (`posts.images.without_metadata`). Files are rewritten in
place under the same names, so posts' image URLs keep working; running it again changes nothing.
"""

from django.core.management.base import BaseCommand

from posts.models import Image


class Command(BaseCommand):
    help = "Remove GPS position, camera and other metadata from every stored image, in place."

    def handle(self, *args, **options):
        rewritten = total = 0
        for image in Image.objects.order_by("pk").iterator(chunk_size=100):
            total += 1
            try:
                rewritten += image.strip_stored_metadata()
            except FileNotFoundError as exc:
                self.stderr.write(f"Missing file for image {image.pk}: {exc.filename}")
        self.stdout.write(f"Removed metadata from {rewritten} of {total} images.")
