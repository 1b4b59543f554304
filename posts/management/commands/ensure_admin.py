"""Make sure an admin account exists (run by `make run`).

The username and password come from ADMIN_USERNAME and ADMIN_PASSWORD; without a password a random
one is generated and printed once. An existing account is left exactly as it is.
"""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the admin account if it does not exist yet."

    def handle(self, *args, **options):
        User = get_user_model()
        username = os.environ.get("ADMIN_USERNAME", "admin")
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Admin account {username!r} exists; leaving it as it is.")
            return
        password = os.environ.get("ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser(
            username,
            os.environ.get("ADMIN_EMAIL", ""),
            password,
            first_name="Lilian",
            last_name="Weng",
        )
        if "ADMIN_PASSWORD" in os.environ:
            self.stdout.write(self.style.SUCCESS(f"Created admin account {username!r}."))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created admin account {username!r} with password {password!r} "
                    "(shown only this once; change it in the admin)."
                )
            )
