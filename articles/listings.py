"""What a reader can follow: a section, a tag, an author. The listing page, its RSS and Atom
feeds and its sitemap are each one class over these three, not three copies."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

from .models import ArticleQuerySet, Author, Section, Tag


@dataclass(frozen=True)
class Listing:
    model: type[models.Model]
    name: str  # the owner's name in templates, URL names and feed texts ("section")
    # Narrows articles to one owner: articles(queryset, owner), an ArticleQuerySet method.
    articles: Callable[[ArticleQuerySet, object], ArticleQuerySet]


SECTION = Listing(Section, "section", ArticleQuerySet.in_section)
TAG = Listing(Tag, "tag", ArticleQuerySet.tagged)
AUTHOR = Listing(Author, "author", ArticleQuerySet.by_author)
