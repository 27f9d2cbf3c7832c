"""The desk: what waits for each member of staff on the admin's home page, by role.

Writers see their drafts and what the editors sent back to them; editors also see what waits
for review, what is scheduled for today and the breaking banner; everyone sees what went out
in the last 24 hours with its reads. Each panel is one query with a limit, whatever the size
of the archive, and starts from the status (the leading column of ``article_published_idx``)
or the publication time, so none reads the article table from end to end.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles.models import Article
from frontpage.models import BreakingNews, HourlyRead

from . import rules
from .models import EditorialNote, Transition

Status = Article.Status
# Rows per panel: the desk is a glance; the article list holds the rest.
PANEL_SIZE = 10


@dataclass
class Desk:
    is_editor: bool
    can_add: bool
    my_drafts: list = field(default_factory=list)
    returned: list = field(default_factory=list)
    in_review: list = field(default_factory=list)
    scheduled_today: list = field(default_factory=list)
    published_recently: list = field(default_factory=list)
    breaking: BreakingNews | None = None


def _latest(model, **filters):
    """The newest ``model`` row's note or text for the outer article, as a subquery."""
    column = "note" if model is Transition else "text"
    rows = model.objects.filter(article=OuterRef("pk"), **filters).exclude(**{column: ""})
    return Subquery(rows.order_by("-created_at", "-id").values(column)[:1])


def _reads_since(since):
    """The article's reads since ``since``, summed over its hours (hourly_read_unique_hour)."""
    hours = (
        HourlyRead.objects.filter(article=OuterRef("pk"), hour__gte=since)
        .values("article")
        .annotate(total=Sum("count"))
        .values("total")
    )
    return Coalesce(Subquery(hours, output_field=IntegerField()), Value(0))


def my_drafts(user):
    return list(
        Article.objects.filter(rules.owned_by(user), status=Status.DRAFT)
        .select_related("section")
        .order_by("-updated_at", "-id")[:PANEL_SIZE]
    )


def returned_to(user):
    """The user's articles an editor sent back, each with the editor's latest word on it."""
    articles = (
        Article.objects.filter(rules.owned_by(user), status=Status.RETURNED)
        .select_related("section")
        .annotate(
            return_note=_latest(Transition, to_status=Status.RETURNED),
            last_note=_latest(EditorialNote),
        )
        .order_by("-updated_at", "-id")[:PANEL_SIZE]
    )
    return list(articles)


def in_review():
    return list(
        Article.objects.filter(status=Status.IN_REVIEW)
        .select_related("section", "updated_by")
        .order_by("updated_at", "id")[:PANEL_SIZE]  # longest waiting first
    )


def scheduled_today(now):
    end_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    end_of_day += datetime.timedelta(days=1)
    return list(
        Article.objects.filter(
            status=Status.PUBLISHED, published_at__gt=now, published_at__lt=end_of_day
        )
        .select_related("section")
        .order_by("published_at", "id")[:PANEL_SIZE]
    )


def published_recently(now):
    since = now - datetime.timedelta(hours=24)
    return list(
        Article.objects.published()
        .filter(published_at__gte=since)
        .select_related("section")
        .annotate(reads=_reads_since(since))
        .order_by("-published_at", "-id")[:PANEL_SIZE]
    )


def desk_for(user, now=None):
    """The panels ``user``'s role calls for, each already read from the database."""
    now = now or timezone.now()
    desk = Desk(
        is_editor=rules.can_publish(user),
        can_add=user.has_perm("articles.add_article"),
    )
    if user.has_perm("articles.change_article"):
        desk.my_drafts = my_drafts(user)
        desk.returned = returned_to(user)
    if desk.is_editor:
        desk.in_review = in_review()
        desk.scheduled_today = scheduled_today(now)
        desk.breaking = BreakingNews.objects.live().select_related("article").first()
    desk.published_recently = published_recently(now)
    return desk
