from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter

from . import feeds, search_views, views
from .converters import UnicodeSlugConverter
from .sitemaps import SITEMAPS, robots_txt

register_converter(UnicodeSlugConverter, "uslug")

app_name = "articles"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("latest/", views.LatestView.as_view(), name="latest"),
    path("news/<int:pk>/", views.ArticleDetailView.as_view(), name="detail-short"),
    path("news/<int:pk>/<uslug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("author/<uslug:slug>/", views.AuthorDetailView.as_view(), name="author-detail"),
    path("section/<uslug:slug>/", views.SectionDetailView.as_view(), name="section-detail"),
    path("tag/<uslug:slug>/", views.TagDetailView.as_view(), name="tag-detail"),
    path("search/", search_views.search, name="search"),
    # Feeds: RSS 2.0 and Atom for the site, a section, a tag, an author.
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="feed-atom"),
    path("section/<uslug:slug>/feed/", feeds.SectionFeed(), name="section-feed"),
    path("section/<uslug:slug>/feed/atom/", feeds.SectionAtomFeed(), name="section-feed-atom"),
    path("tag/<uslug:slug>/feed/", feeds.TagFeed(), name="tag-feed"),
    path("tag/<uslug:slug>/feed/atom/", feeds.TagAtomFeed(), name="tag-feed-atom"),
    path("author/<uslug:slug>/feed/", feeds.AuthorFeed(), name="author-feed"),
    path("author/<uslug:slug>/feed/atom/", feeds.AuthorAtomFeed(), name="author-feed-atom"),
    # Sitemaps: an index of one sitemap per kind; the news one has its own template, and its
    # route comes before the generic one so the index's link to "news" reaches it.
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "articles:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-news.xml",
        sitemap_views.sitemap,
        {"sitemaps": {"news": SITEMAPS["news"]}, "template_name": "sitemaps/news.xml"},
        name="sitemap-news",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", robots_txt, name="robots"),
    path("archive/<int:year>/", views.YearArchiveView.as_view(), name="archive-year"),
    path("archive/<int:year>/<int:month>/", views.DateArchiveView.as_view(), name="archive-month"),
    path(
        "archive/<int:year>/<int:month>/<int:day>/",
        views.DateArchiveView.as_view(),
        name="archive-day",
    ),
]
