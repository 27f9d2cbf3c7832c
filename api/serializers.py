"""What the API shows of each model: written field by field, never ``fields = "__all__"``.

Only reader-facing fields are listed; staff data (status, version, created_by/updated_by,
notes, revisions, the search document, an author's login) has no way in. Times are ISO 8601
in the newspaper's time zone (``TIME_ZONE``), with its offset (+02:00 / +03:00 in Cairo).
Absolute URLs are built from the request, so they carry the host the client asked.
"""

import re

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from photos import renditions
from photos.sharing import sharing_image


def absolute(request, url):
    return request.build_absolute_uri(url)


class LocalDateTimeField(serializers.DateTimeField):
    """ISO 8601 in the newspaper's time zone, to the second: ``2024-03-28T12:00:00+02:00``."""

    def to_representation(self, value):
        return timezone.localtime(value).isoformat(timespec="seconds") if value else None


class PageURLField(serializers.Field):
    """The absolute URL of the object's reader page (``get_absolute_url``)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return absolute(self.context["request"], obj.get_absolute_url())


extend_schema_field(OpenApiTypes.URI)(PageURLField)


class SectionRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    url = PageURLField()


class SectionSerializer(SectionRefSerializer):
    description = serializers.CharField()
    position = serializers.IntegerField()


class TagSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    url = PageURLField()


class AuthorRefSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    url = PageURLField()


class AuthorSerializer(AuthorRefSerializer):
    bio = serializers.CharField()
    photo = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_photo(self, author):
        return absolute(self.context["request"], author.photo.url) if author.photo else None


class BylineSerializer(serializers.Serializer):
    authors = AuthorRefSerializer(many=True, help_text="In the byline's order.")
    agency_credit = serializers.CharField(help_text="e.g. «ووكالات الأنباء», or empty.")


class ImageVariantSerializer(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    type = serializers.CharField(help_text="MIME type: image/webp, image/jpeg or image/png.")


class FocalPointSerializer(serializers.Serializer):
    x = serializers.FloatField(allow_null=True)
    y = serializers.FloatField(allow_null=True)


class LeadImageSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="The stored photo (re-encoded, no metadata).")
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    alt = serializers.CharField()
    caption = serializers.CharField()
    credit = serializers.CharField()
    focal_point = FocalPointSerializer()
    renditions = ImageVariantSerializer(
        many=True, help_text="The whole picture at several widths, WebP and JPEG/PNG."
    )
    cards = ImageVariantSerializer(many=True, help_text="16:9 crops around the focal point.")
    share = ImageVariantSerializer(allow_null=True, help_text="~1200x630 JPEG for sharing.")


def _variant(request, rendition):
    return {
        "url": absolute(request, rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "type": rendition.mime_type,
    }


def lead_image_data(article, request):
    """The lead photo and its renditions, from the stored names alone (no query, no storage
    request): the same photos.renditions functions the templates' ``photos`` tags use."""
    if not article.lead_image:
        return None
    name = article.lead_image.name
    focal = (article.lead_image_focal_x, article.lead_image_focal_y)
    size = renditions.source_size(name) or (None, None)
    share = sharing_image(article, request)
    return {
        "url": absolute(request, article.lead_image.url),
        "width": size[0],
        "height": size[1],
        "alt": article.lead_image_alt,
        "caption": article.lead_image_caption,
        "credit": article.lead_image_credit,
        "focal_point": {"x": focal[0], "y": focal[1]},
        "renditions": [_variant(request, r) for pair in renditions.responsive(name) for r in pair],
        "cards": [_variant(request, r) for pair in renditions.cards(name, focal) for r in pair],
        "share": (
            {
                "url": share.url,
                "width": share.width,
                "height": share.height,
                "type": share.mime_type,
            }
            if share
            else None
        ),
    }


class CorrectionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["correction", "update"])
    label = serializers.CharField(source="get_kind_display", help_text="تصحيح or تحديث.")
    text = serializers.CharField()
    date = LocalDateTimeField(source="created_at")


class ArticleSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    headline = serializers.CharField()
    kicker = serializers.CharField()
    summary = serializers.CharField(
        source="summary_or_lead", help_text="The summary, or the body's first 40 words."
    )
    section = SectionRefSerializer()
    byline = serializers.SerializerMethodField()
    tags = TagSerializer(many=True, source="tags.all")
    published_at = LocalDateTimeField()
    modified_at = LocalDateTimeField(source="updated_at")
    canonical_url = PageURLField(help_text="The article's page on the site.")
    api_url = serializers.SerializerMethodField()
    lead_image = serializers.SerializerMethodField()

    @extend_schema_field(BylineSerializer)
    def get_byline(self, article):
        authors = article.ordered_authors()
        data = {"authors": authors, "agency_credit": article.agency_credit}
        return BylineSerializer(data, context=self.context).data

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, article) -> str:
        return absolute(self.context["request"], f"/api/v1/articles/{article.pk}/")

    @extend_schema_field(LeadImageSerializer(allow_null=True))
    def get_lead_image(self, article):
        return lead_image_data(article, self.context["request"])


# Root-relative links and images in a body (``/media/uploads/...``, ``/news/12/...``) are
# made absolute, since API clients show the body on other sites and in apps.
_ROOT_RELATIVE = re.compile(r'(<(?:a|img)\b[^>]*?\s(?:href|src)=")/(?!/)')


class ArticleSerializer(ArticleSummarySerializer):
    body_html = serializers.SerializerMethodField(
        help_text="The body as the page shows it: cleaned by the site's nh3 allow-list on save."
    )
    corrections = CorrectionSerializer(many=True, source="corrections.all")

    def get_body_html(self, article) -> str:
        origin = absolute(self.context["request"], "/")
        return _ROOT_RELATIVE.sub(lambda m: m[1] + origin, article.body)


class MastheadEntrySerializer(serializers.Serializer):
    role = serializers.CharField(source="role.title")
    name = serializers.CharField(source="person_name")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)


class MastheadSerializer(serializers.Serializer):
    date = serializers.DateField()
    masthead = MastheadEntrySerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField(help_text="A sentence in Arabic for people.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Per query parameter, what is wrong with it.",
    )
