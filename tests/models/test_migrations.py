import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_every_model_change_has_its_migration():
    # makemigrations --check exits with status 1 when a migration is missing.
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as missing:
        pytest.fail(f"A model change has no migration (makemigrations exited {missing.code}).")
