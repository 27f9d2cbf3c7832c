"""RSS 2.0 and Atom feeds of the latest published articles: the whole site, a section, a tag,
an author. Each feed is three queries (four with its section/tag/author), whatever its size."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .models import Article
from .sanitize import isolate_plain
from .shown import shows

FEED_ITEMS = 30

# The feed's description, by the kind of listing it follows.
DESCRIPTIONS = {
    "section": lambda section: section.description or f"آخر أخبار قسم {section.name}",
    "tag": lambda tag: f"آخر الأخبار الموسومة «{tag.name}»",
    "author": lambda author: f"آخر ما كتب {author.name}",
}


class ArticlesFeed(Feed):
    """The latest articles of the whole site, or of one section, tag or author (``listing``);
    RSS 2.0, or Atom with ``atom=True``."""

    language = "ar"

    def __init__(self, listing=None, *, atom=False):
        self.listing = listing
        if atom:
            self.feed_type = Atom1Feed

    def get_object(self, request, slug=None):
        # Every feed names tags and authors in its items; each follows one listing. Items'
        # own keys are not needed: any change to a listed article purges its listings.
        shows(request, "feeds")
        if self.listing is None:
            shows(request, "feed")
            return None
        owner = get_object_or_404(self.listing.model, slug=slug)
        shows(request, owner, ("listing", owner))
        return owner

    def title(self, obj):
        return f"{obj.name} | {settings.NEWSPAPER_NAME}" if obj else settings.NEWSPAPER_NAME

    def description(self, obj):
        if obj is None:
            return f"آخر الأخبار من {settings.NEWSPAPER_NAME}"
        return DESCRIPTIONS[self.listing.name](obj)

    def subtitle(self, obj):
        # Atom's name for the description; RSS 2.0 has no subtitle and writes none.
        return self.description(obj)

    def link(self, obj):
        return obj.get_absolute_url() if obj else reverse("frontpage:home")

    def items(self, obj):
        articles = Article.objects.published()
        if obj is not None:
            articles = self.listing.articles(articles, obj)
        return articles.for_readers().for_page()[:FEED_ITEMS]

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
