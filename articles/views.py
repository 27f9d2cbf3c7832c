import datetime

from django.db.models import Count, Q
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, TemplateView

from .models import Article, MastheadTerm
from .pagination import CheapPaginationMixin
from .shown import shows

RELATED_COUNT = 4
RELATED_CANDIDATES = 300


def shows_listed(request, articles):
    """Record listed ``articles`` for the front cache (articles.shown): each shows its headline,
    its section's name and its byline, all already loaded (for_listing)."""
    shows(
        request,
        *articles,
        *{("articles.Section", article.section_id) for article in articles},
        *{("articles.Author", b.author_id) for article in articles for b in article.bylines.all()},
    )


class LatestView(CheapPaginationMixin, ListView):
    template_name = "articles/article_list.html"

    def get_queryset(self):
        return Article.objects.published().for_readers().for_listing()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shows(self.request, "latest")
        shows_listed(self.request, context["object_list"])
        return context


class ArticleDetailView(DetailView):
    @staticmethod
    def page_queryset():
        """Articles with everything their page shows; previews use it for any state."""
        return Article.objects.for_readers().for_page().prefetch_related("corrections")

    def get_queryset(self):
        return self.page_queryset().published()

    def get(self, request, *args, **kwargs):
        # Before the lookup: a 404 kept by a cache leaves it when the article is published.
        shows(request, ("articles.Article", kwargs["pk"]))
        self.object = self.get_object()
        if kwargs.get("slug") != self.object.slug:
            return HttpResponsePermanentRedirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        # The sharing image and the JSON-LD come from template tags ({% share_image %} of
        # photos, {% news_article_json_ld %}), so this domain view needs no photo code.
        article = self.object
        day = article.publication_date()
        older, newer = neighbours_in_section(article)
        related = related_articles(article)
        # Its links to other articles carry their keys (a takedown removes the link at once),
        # not its section's listing key: a publication elsewhere in the section would purge
        # every page of it, for a "newer" link that may wait for the page's short lifetime.
        shows(self.request, "masthead", *article.tags.all())
        shows(self.request, *[other for other in (*related, older, newer) if other])
        shows_listed(self.request, [article])
        return super().get_context_data(
            **kwargs,
            day=day,
            masthead=MastheadTerm.objects.in_force_on(day),
            related=related,
            older=older,
            newer=newer,
            canonical_url=self.request.build_absolute_uri(article.get_absolute_url()),
        )


def related_articles(article):
    """Articles sharing the most tags with ``article``, then the latest of its section."""
    base = (
        Article.objects.published()
        .exclude(pk=article.pk)
        .only("id", "slug", "headline", "published_at")
    )
    tag_ids = [tag.pk for tag in article.tags.all()]
    related = []
    if tag_ids:
        # Only the newest articles carrying any of the tags compete (the highest ids, from the
        # tag index): a tag on thousands of articles would otherwise mean counting them all.
        candidates = (
            Article.tags.through.objects.filter(tag_id__in=tag_ids)
            .exclude(article_id=article.pk)
            .order_by("-article_id")
            .values("article_id")[:RELATED_CANDIDATES]
        )
        related = list(
            base.filter(pk__in=candidates, tags__in=tag_ids)
            .annotate(shared_tags=Count("tags"))
            .order_by("-shared_tags", "-published_at", "-id")[:RELATED_COUNT]
        )
    seen = {a.pk for a in related}
    same_section = base.in_section(article.section_id)[: RELATED_COUNT + len(related)]
    related += [a for a in same_section if a.pk not in seen]
    return related[:RELATED_COUNT]


def neighbours_in_section(article):
    """The previous (older) and next (newer) published articles of the same section."""
    siblings = (
        Article.objects.published()
        .in_section(article.section_id)
        .only("id", "slug", "headline", "published_at")
    )
    when = article.published_at
    older = (
        siblings.filter(Q(published_at__lt=when) | Q(published_at=when, pk__lt=article.pk))
        .order_by("-published_at", "-id")
        .first()
    )
    newer = (
        siblings.filter(Q(published_at__gt=when) | Q(published_at=when, pk__gt=article.pk))
        .order_by("published_at", "id")
        .first()
    )
    return older, newer


class ListingView(CheapPaginationMixin, ListView):
    """The published articles of one section, tag or author (``listing``)."""

    listing = None

    def get_template_names(self):
        return [f"articles/{self.listing.name}_detail.html"]

    def get_queryset(self):
        self.owner = get_object_or_404(self.listing.model, slug=self.kwargs["slug"])
        articles = self.listing.articles(Article.objects.published(), self.owner)
        return articles.for_readers().for_listing()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs, **{self.listing.name: self.owner})
        shows(self.request, self.owner, ("listing", self.owner))
        shows_listed(self.request, context["object_list"])
        return context


class DateArchiveView(CheapPaginationMixin, ListView):
    """Published articles of one day or one month, in the newspaper's time zone."""

    template_name = "articles/archive.html"

    def get_queryset(self):
        year, month = self.kwargs["year"], self.kwargs["month"]
        try:
            if "day" in self.kwargs:
                self.first_day = datetime.date(year, month, self.kwargs["day"])
                after_last = self.first_day + datetime.timedelta(days=1)
            else:
                self.first_day = datetime.date(year, month, 1)
                after_last = (self.first_day + datetime.timedelta(days=31)).replace(day=1)
        except (ValueError, OverflowError):
            raise Http404("لا يوجد تاريخ كهذا.") from None
        last_day = after_last - datetime.timedelta(days=1)
        return (
            Article.objects.published()
            .published_between(self.first_day, last_day)
            .for_readers()
            .for_listing()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            **kwargs, archive_day=self.first_day, is_day="day" in self.kwargs
        )
        shows(self.request, "archive")
        shows_listed(self.request, context["object_list"])
        return context


class YearArchiveView(TemplateView):
    """The months of a year that have published articles, each linking to its archive."""

    template_name = "articles/archive_year.html"

    def get_context_data(self, **kwargs):
        year = kwargs.pop("year")
        if not datetime.MINYEAR < year < datetime.MAXYEAR:
            raise Http404("لا توجد سنة كهذه.")
        months = (
            Article.objects.published()
            .published_between(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
            .dates("published_at", "month")
        )
        shows(self.request, "archive")
        return super().get_context_data(**kwargs, year=year, months=list(months))
