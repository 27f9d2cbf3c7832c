import datetime

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, OuterRef, Prefetch, Q, prefetch_related_objects
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView

from frontpage.services import front_page_stories, most_read
from photos.sharing import sharing_image

from .models import Article, Author, Byline, MastheadTerm, Section, Tag
from .pagination import CheapPaginationMixin

TOP_STORIES = 5  # the lead and four more under it
SECTION_BLOCK_SIZE = 4
RELATED_COUNT = 4
RELATED_CANDIDATES = 300


class HomeView(TemplateView):
    """The front page: lead story, top stories, then the latest of each section."""

    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        top = front_page_stories(TOP_STORIES)
        blocks = latest_by_section(exclude=[article.pk for article in top])
        every_article = top + [article for _, articles in blocks for article in articles]
        prefetch_related_objects(
            every_article, Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        )
        return super().get_context_data(
            **kwargs,
            day=today,
            masthead=MastheadTerm.objects.in_force_on(today),
            lead=top[0] if top else None,
            top_stories=top[1:],
            section_blocks=blocks,
            most_read_day=most_read("day"),
            most_read_week=most_read("week"),
        )


def latest_by_section(*, exclude):
    """[(section, its latest published articles)] in section order, in two queries.

    Each section's few ids come from a correlated LIMIT subquery (an index walk per
    section), not from ranking every published article.
    """
    latest_ids = (
        Article.objects.published()
        .filter(section=OuterRef("pk"))
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


class LatestView(CheapPaginationMixin, ListView):
    template_name = "articles/article_list.html"

    def get_queryset(self):
        return Article.objects.published().for_readers().for_listing()


class ArticleDetailView(DetailView):
    @staticmethod
    def page_queryset():
        """Articles with everything their page shows; previews use it for any state."""
        return Article.objects.for_readers().for_page().prefetch_related("corrections")

    def get_queryset(self):
        return self.page_queryset().published()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if kwargs.get("slug") != self.object.slug:
            return HttpResponsePermanentRedirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        article = self.object
        day = article.publication_date()
        older, newer = neighbours_in_section(article)
        share_image = sharing_image(article, self.request)
        return super().get_context_data(
            **kwargs,
            day=day,
            masthead=MastheadTerm.objects.in_force_on(day),
            related=related_articles(article),
            older=older,
            newer=newer,
            canonical_url=self.request.build_absolute_uri(article.get_absolute_url()),
            share_image=share_image,
            json_ld=news_article_json_ld(article, self.request, share_image),
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
    same_section = base.filter(section_id=article.section_id)[: RELATED_COUNT + len(related)]
    related += [a for a in same_section if a.pk not in seen]
    return related[:RELATED_COUNT]


def neighbours_in_section(article):
    """The previous (older) and next (newer) published articles of the same section."""
    siblings = (
        Article.objects.published()
        .filter(section_id=article.section_id)
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


def news_article_json_ld(article, request, image=None):
    """The schema.org NewsArticle of ``article``, as a dict ready for json.dumps."""
    url = request.build_absolute_uri(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": article.headline,
        "description": article.summary_or_lead(),
        "inLanguage": "ar",
        "datePublished": article.published_at.isoformat(),
        # Never earlier than publication: an article written ahead and scheduled was last
        # saved before it appeared.
        "dateModified": max(article.updated_at, article.published_at).isoformat(),
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.tags.all()],
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": request.build_absolute_uri(author.get_absolute_url()),
            }
            for author in article.ordered_authors()
        ],
        "publisher": {
            "@type": "Organization",
            "name": settings.NEWSPAPER_NAME,
            "url": request.build_absolute_uri("/"),
            "logo": {
                "@type": "ImageObject",
                "url": request.build_absolute_uri(static("img/logo.png")),
                "width": 512,
                "height": 512,
            },
        },
    }
    if article.agency_credit:
        data["sourceOrganization"] = {"@type": "Organization", "name": article.agency_credit}
    if image:
        picture = {"@type": "ImageObject", "url": image.url}
        if image.width:
            picture.update(width=image.width, height=image.height)
        data["image"] = [picture]
    corrections = [
        {
            "@type": "CorrectionComment",
            "text": note.text,
            "datePublished": note.created_at.isoformat(),
        }
        for note in article.corrections.all()
        if note.kind == note.Kind.CORRECTION
    ]
    if corrections:
        data["correction"] = corrections
    return data


class AuthorDetailView(CheapPaginationMixin, ListView):
    template_name = "articles/author_detail.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return Article.objects.published().by_author(self.author).for_readers().for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, author=self.author)


class SectionDetailView(CheapPaginationMixin, ListView):
    template_name = "articles/section_detail.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return Article.objects.published().filter(section=self.section).for_readers().for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, section=self.section)


class TagDetailView(CheapPaginationMixin, ListView):
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return Article.objects.published().filter(tags=self.tag).for_readers().for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, tag=self.tag)


def _local_midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


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
        return (
            Article.objects.published()
            .filter(
                published_at__gte=_local_midnight(self.first_day),
                published_at__lt=_local_midnight(after_last),
            )
            .for_readers()
            .for_listing()
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs, archive_day=self.first_day, is_day="day" in self.kwargs
        )


class YearArchiveView(TemplateView):
    """The months of a year that have published articles, each linking to its archive."""

    template_name = "articles/archive_year.html"

    def get_context_data(self, **kwargs):
        year = kwargs.pop("year")
        if not datetime.MINYEAR < year < datetime.MAXYEAR:
            raise Http404("لا توجد سنة كهذه.")
        months = (
            Article.objects.published()
            .filter(
                published_at__gte=_local_midnight(datetime.date(year, 1, 1)),
                published_at__lt=_local_midnight(datetime.date(year + 1, 1, 1)),
            )
            .dates("published_at", "month")
        )
        return super().get_context_data(**kwargs, year=year, months=list(months))
