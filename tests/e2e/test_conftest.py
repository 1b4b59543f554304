"""The browser fixtures (tests/e2e/conftest.py): what a test opens in Chromium ends with it."""

import subprocess
from pathlib import Path

import pytest

from tests.processes import PYTHON, ROOT, base_env

pytestmark = pytest.mark.e2e

SESSION = Path(__file__).with_name("session_with_a_page_left_open.py")


def test_a_page_left_open_never_outlives_the_live_server():
    """Each connection Chromium keeps open holds a request thread of the live server; one still
    open when the server stops sharing the test's database connection used to end in a
    DatabaseError in that thread (PytestUnhandledThreadExceptionWarning)."""
    run = subprocess.run(
        [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(SESSION)],
        cwd=ROOT,
        env=base_env(),  # SQLite: the database the live server shares with the test
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Exception in thread" not in run.stdout, run.stdout
