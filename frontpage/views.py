from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from articles.models import Article, Byline, MastheadTerm, Section
from articles.shown import shows
from articles.views import shows_listed
from core.security import client_ip

from .reads import record_read
from .services import front_page_stories, most_read

TOP_STORIES = 5  # the lead and four more under it
SECTION_BLOCK_SIZE = 4


class HomeView(TemplateView):
    """The front page: lead story, top stories, then the latest of each section."""

    template_name = "frontpage/home.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        top = front_page_stories(TOP_STORIES)
        blocks = latest_by_section(exclude=[article.pk for article in top])
        every_article = top + [article for _, articles in blocks for article in articles]
        prefetch_related_objects(
            every_article, Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        )
        most_read_day, most_read_week = most_read("day"), most_read("week")
        shows(self.request, "home", "masthead", "slots", "mostread")
        shows_listed(self.request, every_article)
        shows(
            self.request,
            *{
                ("articles.Article", entry["id"])
                for entry in most_read_day + most_read_week
                # Blocks cached before entries had ids live five minutes at most.
                if "id" in entry
            },
        )
        return super().get_context_data(
            **kwargs,
            day=today,
            masthead=MastheadTerm.objects.in_force_on(today),
            lead=top[0] if top else None,
            top_stories=top[1:],
            section_blocks=blocks,
            most_read_day=most_read_day,
            most_read_week=most_read_week,
        )


def latest_by_section(*, exclude):
    """[(section, its latest published articles)] in section order, in two queries.

    Each section's few ids come from a correlated LIMIT subquery (an index walk per
    section), not from ranking every published article.
    """
    latest_ids = (
        Article.objects.published()
        .in_section(OuterRef("pk"))
        .exclude(pk__in=exclude)
        .order_by("-published_at", "-id")
        .values("pk")[:SECTION_BLOCK_SIZE]
    )
    sections = [
        section
        for section in Section.objects.annotate(latest_ids=ArraySubquery(latest_ids))
        if section.latest_ids
    ]
    ids = [pk for section in sections for pk in section.latest_ids]
    articles = Article.objects.for_readers().select_related("section").in_bulk(ids)
    return [(section, [articles[pk] for pk in section.latest_ids]) for section in sections]


# The beacon has no body, changes nothing but a counter and returns nothing, so a forged
# cross-site request can do no more than any reader's browser may; requiring a CSRF token
# would need a cookie, which the counter must not set. The client's address is used only for
# the rate limit (RATELIMITS) and the dedup, both as a hash in a key that soon expires; no
# session, no user agent, nothing about the reader is stored.
@csrf_exempt
@require_POST
@never_cache
def read_beacon(request, pk):
    """Count one read of article ``pk`` (sent by static/js/read-beacon.js)."""
    if not record_read(article_id=pk, address=client_ip(request)):
        raise Http404("لا يوجد مقال منشور بهذا الرقم.")
    return HttpResponse(status=204)
