from django.conf import settings


def operator(request):
    """The deployment's operator, hotline and support email for the footer."""
    return {"operator": settings.PORTAL_OPERATOR, "dev_pages": settings.DEV_PAGES}
