from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .models import Section
from .shown import shows


def newspaper(request):
    def nav_sections():
        shows(request, "nav")
        return list(Section.objects.all())

    return {
        "NEWSPAPER_NAME": settings.NEWSPAPER_NAME,
        # The section links of the site header, queried only when a page shows them.
        "nav_sections": SimpleLazyObject(nav_sections),
    }
