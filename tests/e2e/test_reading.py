"""A reader browses the site in Chromium: home -> page 2 -> a post -> a tag -> the archive."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FORMULA_BODY = (
    "The expected return is $J(\\theta) = \\mathbb{E}_{\\tau}[R(\\tau)]$.\n\n"
    "## Gradient\n\n"
    "$$\n\\nabla_\\theta J = \\frac{1}{N} \\sum_{i=1}^{N} R_i \\nabla \\log p_i\n$$\n"
)


def assert_math_is_rendered(page):
    formula = page.locator("article math").first
    formula.wait_for(state="visible")
    box = formula.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0


def test_reader_goes_from_home_to_the_archive(page, make_post):
    now = timezone.now()
    for n in range(12):
        make_post(
            title=f"Recent note {n}",
            slug=f"recent-{n}",
            published_at=now - timedelta(days=n + 1),
            tags=["notes"],
        )
    make_post(
        title="Policy Gradients",
        slug="policy-gradients",
        body=FORMULA_BODY,
        published_at=now - timedelta(days=100),
        tags=["reinforcement learning", "optimization"],
    )

    page.goto("/")
    assert page.locator("article").count() == 10
    assert page.get_by_role("link", name="Policy Gradients").count() == 0

    page.locator('a[href="/page/2/"]').first.click()
    page.wait_for_url("**/page/2/")
    page.get_by_role("link", name="Policy Gradients").click()

    page.wait_for_url("**/posts/*-policy-gradients/")
    assert page.locator("h1").first.inner_text() == "Policy Gradients"
    assert_math_is_rendered(page)

    page.locator("article").get_by_role("link", name="reinforcement learning").first.click()
    page.wait_for_url("**/tags/reinforcement-learning/")
    assert page.get_by_role("link", name="Policy Gradients").is_visible()

    page.get_by_role("link", name="Archive").first.click()
    page.wait_for_url("**/archives/")
    assert page.get_by_role("link", name="Policy Gradients").is_visible()
    assert page.get_by_role("link", name="Recent note 0").is_visible()
