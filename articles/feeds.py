"""RSS 2.0 and Atom feeds of the latest published articles: the whole site, a section, a tag,
an author. Each feed is three queries (four with its section/tag/author), whatever its size."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .models import Article, Author, Section, Tag
from .sanitize import isolate_plain

FEED_ITEMS = 30


class LatestArticlesFeed(Feed):
    """RSS 2.0 of the whole site."""

    language = "ar"

    def title(self, obj):
        return settings.NEWSPAPER_NAME

    def description(self, obj):
        return f"آخر الأخبار من {settings.NEWSPAPER_NAME}"

    def link(self, obj):
        return reverse("articles:home")

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj):
        return self.articles(obj).for_readers().for_page()[:FEED_ITEMS]

    def item_title(self, item):
        # Plain text, escaped once by the XML writer: Django's default escapes titles twice,
        # which Atom readers (type="text") and feedparser then show as "&amp;".
        return item.headline

    def item_description(self, item):
        return isolate_plain(item.summary_or_lead())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        names = [author.name for author in item.ordered_authors()]
        if item.agency_credit:
            names.append(item.agency_credit)
        return "، ".join(names) or None

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


class AtomMixin:
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)


class LatestArticlesAtomFeed(AtomMixin, LatestArticlesFeed):
    pass


class SectionFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, obj):
        return f"{obj.name} | {settings.NEWSPAPER_NAME}"

    def description(self, obj):
        return obj.description or f"آخر أخبار قسم {obj.name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def articles(self, obj):
        return Article.objects.published().filter(section=obj)


class SectionAtomFeed(AtomMixin, SectionFeed):
    pass


class TagFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj):
        return f"{obj.name} | {settings.NEWSPAPER_NAME}"

    def description(self, obj):
        return f"آخر الأخبار الموسومة «{obj.name}»"

    def link(self, obj):
        return obj.get_absolute_url()

    def articles(self, obj):
        return Article.objects.published().filter(tags=obj)


class TagAtomFeed(AtomMixin, TagFeed):
    pass


class AuthorFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def title(self, obj):
        return f"{obj.name} | {settings.NEWSPAPER_NAME}"

    def description(self, obj):
        return f"آخر ما كتب {obj.name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def articles(self, obj):
        return Article.objects.published().by_author(obj)


class AuthorAtomFeed(AtomMixin, AuthorFeed):
    pass
