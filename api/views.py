"""The read-only content API, ``/api/v1/`` (see README «API»).

Framework: Django REST Framework with drf-spectacular, rather than django-ninja. Both are
maintained and both produce OpenAPI 3; ninja's pydantic serialisation is faster, but here the
database dominates a request and responses are cached by ETag and by the CDN. DRF ships what
this API needs and ninja leaves to us or to add-ons: cache-backed throttling with
``Retry-After``, pagination hooks described in the schema, per-view exception handling, and
drf-spectacular-sidecar serves Swagger UI from our own static files (no CDN). It is also the
most widely used Django API framework (the larger pool of people who can maintain this).

Every view answers GET/HEAD/OPTIONS only (DRF's 405 otherwise), needs no login (no session or
user query), reads only ``Article.objects.published()``, and makes a fixed number of queries
whatever the page size; tests/test_api_queries.py pins them.
"""

import hashlib

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.reverse import reverse

from articles.models import Article, Author, Byline, MastheadTerm, Section, Tag
from articles.search import build_query
from articles.shown import shows
from articles.views import shows_listed

from . import params
from . import serializers as s
from .pagination import KeysetPagination, name_key, when_key

ERRORS = {
    400: OpenApiResponse(s.ErrorSerializer, description="A query parameter is not valid."),
    404: OpenApiResponse(s.ErrorSerializer, description="Nothing with that id or slug."),
    429: OpenApiResponse(s.ErrorSerializer, description="Too many requests from this address."),
}
MAX_ID = 2**63 - 1  # PostgreSQL bigint: a larger id in the URL can match nothing


def _page_serializer(name, item):
    return inline_serializer(
        name,
        {"next": serializers.URLField(allow_null=True), "results": item(many=True)},
    )


class ReadOnlyView(GenericAPIView):
    """Adds HTTP caching to every 200: a strong ETag (a hash of the body), Last-Modified where
    the view can state it exactly (an article), Cache-Control for browsers and CDNs, and 304
    answers to conditional GETs. The ETag comes from the rendered body: no query of its own."""

    last_modified = None
    max_age = None  # seconds; None means API_CACHE_MAX_AGE

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:40])
        response["ETag"] = etag
        last_modified = None
        if self.last_modified:
            last_modified = int(self.last_modified.timestamp())
            response["Last-Modified"] = http_date(last_modified)
        if self.max_age is None:
            max_age, s_maxage = settings.API_CACHE_MAX_AGE, settings.API_CACHE_S_MAXAGE
        else:  # shortened by the view (an article about to expire): for the CDN too
            max_age = s_maxage = self.max_age
        patch_cache_control(response, public=True, max_age=max_age, s_maxage=s_maxage)
        return get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )


def query_params(request):
    """The query string as a plain dict (last value of a repeated name). Not the QueryDict
    itself: DRF reads an empty value in a QueryDict (``?to=``) as "not given", and the API
    refuses it instead, as its OpenAPI description says (a date, a non-empty slug)."""
    return request.query_params.dict()


def published_articles():
    return Article.objects.published().for_readers().for_page()


def _pk_of(model, slug, message):
    pk = model.objects.filter(slug=slug).values_list("pk", flat=True).first()
    if pk is None:
        raise NotFound(message)
    return pk


class ArticleListView(ReadOnlyView):
    @extend_schema(
        summary="Published articles, newest first",
        operation_id="articles_list",
        parameters=[params.ArticleListParams],
        responses={200: _page_serializer("ArticlePage", s.ArticleSummarySerializer), **ERRORS},
    )
    def get(self, request):
        shows(request, "api")
        query = params.ArticleListParams(data=query_params(request))
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        articles = published_articles()
        if "section" in filters:
            section = _pk_of(Section, filters["section"], "لا يوجد قسم بهذا المعرّف.")
            articles = articles.in_section(section)
        if "tag" in filters:
            tag = _pk_of(Tag, filters["tag"], "لا يوجد وسم بهذا المعرّف.")
            articles = articles.tagged(tag)
        if "author" in filters:
            author = _pk_of(Author, filters["author"], "لا يوجد كاتب بهذا المعرّف.")
            articles = articles.by_author(author)
        articles = articles.published_between(filters.get("from"), filters.get("to"))
        if filters.get("q", "").strip():
            words = params.search_words(filters["q"])
            # A query with no searchable word (only punctuation) matches nothing.
            articles = articles.filter(search_vector=build_query(words)) if words else None
        paginator = KeysetPagination(when_key())
        page = (
            paginator.paginate_queryset(
                articles, request, limit=filters["limit"], cursor=filters.get("cursor")
            )
            if articles is not None
            else paginator.empty(request)
        )
        # No Last-Modified on lists: an article that leaves (unpublished, expired) or arrives
        # at its scheduled time changes the list without changing any listed row's time, so
        # If-Modified-Since could wrongly answer 304. The ETag (a hash of the body) is exact.
        data = s.ArticleSummarySerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)


class ArticleDetailView(ReadOnlyView):
    @extend_schema(
        summary="One published article",
        operation_id="article_detail",
        responses={200: s.ArticleSerializer, 404: ERRORS[404], 429: ERRORS[429]},
    )
    def get(self, request, pk):
        # Before the lookup: a 404 kept by a cache leaves it when the article is published.
        shows(request, ("articles.Article", pk))
        article = None
        if pk <= MAX_ID:
            article = published_articles().prefetch_related("corrections").filter(pk=pk).first()
        if article is None:
            raise NotFound("لا يوجد مقال منشور بهذا الرقم.")
        shows_listed(request, [article])
        shows(request, *article.tags.all())
        # Moved by every save and by each correction or update added (README «Editorial
        # workflow»); a renamed author, tag or section changes the body, hence the ETag, only.
        self.last_modified = article.updated_at
        if article.expires_at:
            # A CDN must not keep an article past its expiry time.
            left = int((article.expires_at - timezone.now()).total_seconds())
            self.max_age = max(0, min(settings.API_CACHE_MAX_AGE, left))
        return Response(s.ArticleSerializer(article, context={"request": request}).data)


class SectionListView(ReadOnlyView):
    @extend_schema(
        summary="The newspaper's sections, in their order",
        operation_id="sections_list",
        responses={
            200: inline_serializer("SectionList", {"results": s.SectionSerializer(many=True)}),
            429: ERRORS[429],
        },
    )
    def get(self, request):
        shows(request, "api")
        sections = Section.objects.all()
        data = s.SectionSerializer(sections, many=True, context={"request": request}).data
        return Response({"results": data})


class _NamedListView(ReadOnlyView):
    """Tags or authors that appear on at least one published article, by name."""

    model = None
    serializer = None

    def public(self):
        raise NotImplementedError

    def get(self, request):
        shows(request, "api")
        query = params.CursorParams(data=query_params(request))
        query.is_valid(raise_exception=True)
        paginator = KeysetPagination(name_key())
        page = paginator.paginate_queryset(
            self.public(),
            request,
            limit=query.validated_data["limit"],
            cursor=query.validated_data.get("cursor"),
        )
        data = self.serializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)


class TagListView(_NamedListView):
    serializer = s.TagSerializer

    def public(self):
        # A tag made for a story still in draft is not shown before the story is.
        return Tag.objects.filter(Exists(Article.objects.published().tagged(OuterRef("pk"))))

    @extend_schema(
        summary="Tags of published articles, by name",
        operation_id="tags_list",
        parameters=[params.CursorParams],
        responses={200: _page_serializer("TagPage", s.TagSerializer), **ERRORS},
    )
    def get(self, request):
        return super().get(request)


class AuthorListView(_NamedListView):
    serializer = s.AuthorSerializer

    def public(self):
        # Only bylines readers have seen: a new writer's name appears with their first story.
        published_bylines = Byline.objects.filter(
            author=OuterRef("pk"), article__in=Article.objects.published()
        )
        return Author.objects.filter(Exists(published_bylines))

    @extend_schema(
        summary="Authors of published articles, by name",
        operation_id="authors_list",
        parameters=[params.CursorParams],
        responses={200: _page_serializer("AuthorPage", s.AuthorSerializer), **ERRORS},
    )
    def get(self, request):
        return super().get(request)


class MastheadView(ReadOnlyView):
    @extend_schema(
        summary="The masthead in force on a day",
        operation_id="masthead",
        parameters=[params.MastheadParams],
        responses={200: s.MastheadSerializer, 400: ERRORS[400], 429: ERRORS[429]},
    )
    def get(self, request):
        shows(request, "masthead")
        query = params.MastheadParams(data=query_params(request))
        query.is_valid(raise_exception=True)
        day = query.validated_data.get("date") or timezone.localdate()
        terms = MastheadTerm.objects.in_force_on(day)
        data = s.MastheadSerializer({"date": day, "masthead": terms}).data
        return Response(data)


class RootView(ReadOnlyView):
    @extend_schema(
        summary="What this API offers",
        operation_id="root",
        responses={200: inline_serializer("Root", {"links": serializers.DictField()})},
    )
    def get(self, request):
        names = ["articles", "sections", "tags", "authors", "masthead", "openapi", "docs"]
        links = {name: reverse(f"api:{name}", request=request) for name in names}
        return Response({"links": links})
