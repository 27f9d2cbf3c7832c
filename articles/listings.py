"""What a reader can follow: a section, a tag, an author. The listing page, its RSS and Atom
feeds and its sitemap are each one class over these three, not three copies."""

from dataclasses import dataclass

from django.db import models

from .models import ArticleQuerySet, Author, Section, Tag


@dataclass(frozen=True)
class Listing:
    model: type[models.Model]
    name: str  # the owner's name in templates, URL names and feed texts ("section")
    select: object  # the ArticleQuerySet method narrowing articles to one owner

    def articles(self, queryset, owner):
        return self.select(queryset, owner)


SECTION = Listing(Section, "section", ArticleQuerySet.in_section)
TAG = Listing(Tag, "tag", ArticleQuerySet.tagged)
AUTHOR = Listing(Author, "author", ArticleQuerySet.by_author)
