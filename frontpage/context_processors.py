from django.utils.functional import SimpleLazyObject

from .models import BreakingNews


def breaking_news(request):
    """The live breaking-news banner, queried only when a template shows it."""
    return {"breaking_news": SimpleLazyObject(lambda: BreakingNews.objects.live().first())}
