"""Sitemaps for search engines (articles, sections, tags, authors), a Google News sitemap of
the last 48 hours, and robots.txt. Only what readers can see now is listed: drafts, scheduled
and expired articles never appear, nor sections, tags and authors without a visible article."""

import datetime
import functools

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import TruncSecond
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from .listings import AUTHOR, SECTION, TAG
from .models import Article
from .shown import shows

NEWS_WINDOW = datetime.timedelta(hours=48)
NEWS_MAX_URLS = 1000  # Google News reads at most 1,000 URLs per news sitemap


class ArticleSitemap(Sitemap):
    # Pages of 5,000 (Django's default is the protocol's maximum, 50,000): each page is one
    # index range scan and renders in well under a second on a 200,000-article archive.
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .only("pk", "slug", "updated_at", "published_at")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # One aggregate instead of Django's default of loading every item.
        return Article.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class ListingSitemap(Sitemap):
    """The pages of one kind of listing (``listing``: sections, tags or authors), each with its
    latest publication as lastmod."""

    def __init__(self, listing):
        self.listing = listing

    def items(self):
        # Each item's latest visible article is one top-1 index walk (a correlated subquery),
        # rather than an aggregate over every published article.
        latest = (
            self.listing.articles(Article.objects.published(), OuterRef("pk"))
            .order_by("-published_at", "-id")
            .values("published_at")[:1]
        )
        return (
            self.listing.model.objects.annotate(last_published=Subquery(latest))
            .filter(last_published__isnull=False)
            .only("pk", "slug")
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.last_published

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("last_published"))["latest"]


class NewsSitemap(ArticleSitemap):
    """Google News: articles published in the last 48 hours, rendered by sitemaps/news.xml."""

    limit = NEWS_MAX_URLS

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .only("pk", "slug", "headline", "updated_at", "published_at")
            # Whole seconds, so the template's ISO 8601 date carries no microseconds.
            .annotate(published_second=TruncSecond("published_at"))
            .order_by("-published_at", "-pk")
        )

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


SITEMAPS = {
    "articles": ArticleSitemap,
    # Made anew for each request, as the classes are: Django keeps the last page's lastmod on
    # the sitemap object, which a shared instance would carry over to the next request.
    "sections": functools.partial(ListingSitemap, SECTION),
    "tags": functools.partial(ListingSitemap, TAG),
    "authors": functools.partial(ListingSitemap, AUTHOR),
    "news": NewsSitemap,
}


def _keyed(view):
    """Django's sitemap ``view``, recorded for the front cache as showing "sitemaps"."""

    @functools.wraps(view)
    def keyed(request, *args, **kwargs):
        shows(request, "sitemaps")
        return view(request, *args, **kwargs)

    return keyed


index = _keyed(sitemap_views.index)
sitemap = _keyed(sitemap_views.sitemap)


def robots_txt(request):
    """Crawlers may read the site, not the admin or search pages; the sitemaps are named."""
    sitemaps = [
        request.build_absolute_uri(reverse("articles:sitemap")),
        request.build_absolute_uri(reverse("articles:sitemap-news")),
    ]
    return render(
        request,
        "robots.txt",
        {"sitemaps": sitemaps, "search_path": reverse("articles:search")},
        content_type="text/plain; charset=utf-8",
    )
