from django.urls import path, register_converter

from . import feeds, search_views, views
from .converters import UnicodeSlugConverter
from .listings import AUTHOR, SECTION, TAG
from .sitemaps import SITEMAPS, index, robots_txt, sitemap

register_converter(UnicodeSlugConverter, "uslug")


def listing_urls(listing):
    """A section's, tag's or author's page and its RSS 2.0 and Atom feeds."""
    kind = listing.name
    return [
        path(
            f"{kind}/<uslug:slug>/",
            views.ListingView.as_view(listing=listing),
            name=f"{kind}-detail",
        ),
        path(f"{kind}/<uslug:slug>/feed/", feeds.ArticlesFeed(listing), name=f"{kind}-feed"),
        path(
            f"{kind}/<uslug:slug>/feed/atom/",
            feeds.ArticlesFeed(listing, atom=True),
            name=f"{kind}-feed-atom",
        ),
    ]


app_name = "articles"
urlpatterns = [
    path("latest/", views.LatestView.as_view(), name="latest"),
    path("news/<int:pk>/", views.ArticleDetailView.as_view(), name="detail-short"),
    path("news/<int:pk>/<uslug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("search/", search_views.search, name="search"),
    # The site's feeds; each listing's are made by listing_urls().
    path("feed/", feeds.ArticlesFeed(), name="feed"),
    path("feed/atom/", feeds.ArticlesFeed(atom=True), name="feed-atom"),
    # Sitemaps: an index of one sitemap per kind; the news one has its own template, and its
    # route comes before the generic one so the index's link to "news" reaches it.
    path(
        "sitemap.xml",
        index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "articles:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-news.xml",
        sitemap,
        {"sitemaps": {"news": SITEMAPS["news"]}, "template_name": "sitemaps/news.xml"},
        name="sitemap-news",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", robots_txt, name="robots"),
    *listing_urls(SECTION),
    *listing_urls(TAG),
    *listing_urls(AUTHOR),
    path("archive/<int:year>/", views.YearArchiveView.as_view(), name="archive-year"),
    path("archive/<int:year>/<int:month>/", views.DateArchiveView.as_view(), name="archive-month"),
    path(
        "archive/<int:year>/<int:month>/<int:day>/",
        views.DateArchiveView.as_view(),
        name="archive-day",
    ),
]
