from django.conf import settings


def site(request):
    """The site's name and description for every template."""
    return {
        "site_name": settings.SITE_NAME,
        "site_description": settings.SITE_DESCRIPTION,
        "site_url": settings.SITE_URL,
    }
