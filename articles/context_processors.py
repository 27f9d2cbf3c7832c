from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .models import Section


def newspaper(request):
    return {
        "NEWSPAPER_NAME": settings.NEWSPAPER_NAME,
        # The section links of the site header, queried only when a page shows them.
        "nav_sections": SimpleLazyObject(lambda: list(Section.objects.all())),
    }
