from django.utils.functional import SimpleLazyObject

from articles.shown import shows

from .models import BreakingNews


def breaking_news(request):
    """The live breaking-news banner, queried only when a template shows it."""

    def banner():
        shows(request, "banner")
        return BreakingNews.objects.live().first()

    return {"breaking_news": SimpleLazyObject(banner)}
