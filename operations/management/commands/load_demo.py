import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.arabic import normalize
from articles.events import announce_content_change
from articles.models import Article, Author, MastheadTerm, Section, Tag
from articles.services import (
    content_save,
    masthead_role_get_or_create,
    paragraphs_html,
    tag_save,
)
from operations import demo_content
from workflow.services import article_save


class Command(BaseCommand):
    help = "Load the demo sections, authors, tags, masthead and articles (safe to repeat)."

    @transaction.atomic
    def handle(self, *args, **options):
        created = dict.fromkeys(["sections", "authors", "tags", "masthead terms", "articles"], 0)
        sections = {}
        for position, data in enumerate(demo_content.SECTIONS):
            sections[data["slug"]], new = Section.objects.get_or_create(
                slug=data["slug"], defaults={"name": data["name"], "position": position * 10}
            )
            if new:
                announce_content_change("articles.Section", [sections[data["slug"]].pk])
            created["sections"] += new
        authors = {}
        for data in demo_content.AUTHORS:
            authors[data["slug"]], new = Author.objects.get_or_create(
                slug=data["slug"], defaults={"name": data["name"], "bio": data["bio"]}
            )
            if new:
                announce_content_change("articles.Author", [authors[data["slug"]].pk])
            created["authors"] += new
        tags = {}
        for name in demo_content.TAGS:
            tag = Tag.objects.filter(normalized_name=normalize(name)).first()
            if tag is None:
                tag = tag_save(tag=Tag(name=name))
                created["tags"] += 1
            tags[name] = tag
        for data in demo_content.MASTHEAD:
            role = masthead_role_get_or_create(title=data["role"])
            starts_on = datetime.date.fromisoformat(data["starts_on"])
            ends_on = data["ends_on"] and datetime.date.fromisoformat(data["ends_on"])
            if not MastheadTerm.objects.filter(role=role, starts_on=starts_on).exists():
                term = MastheadTerm(
                    role=role, person_name=data["person"], starts_on=starts_on, ends_on=ends_on
                )
                try:
                    content_save(instance=term)
                except ValidationError:
                    self.stderr.write(f"Skipped masthead term {term}: it overlaps recorded terms.")
                    continue
                created["masthead terms"] += 1
        for data in demo_content.ARTICLES:
            if Article.objects.filter(headline=data["headline"]).exists():
                continue
            published_at = timezone.make_aware(
                datetime.datetime.fromisoformat(data["published_at"])
            )
            article_save(
                article=Article(
                    headline=data["headline"],
                    kicker=data["kicker"],
                    section=sections[data["section"]],
                    agency_credit=data["agency_credit"],
                    summary=data["summary"],
                    body=paragraphs_html(data["paragraphs"]),
                    status=Article.Status.PUBLISHED,
                    published_at=published_at,
                ),
                authors=[authors[slug] for slug in data["authors"]],
                tags=[tags[name] for name in data["tags"]],
                comment="محتوى تجريبي",
            )
            created["articles"] += 1
        self.stdout.write(
            "Demo content loaded: "
            + ", ".join(f"{count} new {kind}" for kind, count in created.items())
            + "."
        )
