"""The photo pipeline in the admin: checked uploads, the focal point and its preview.

The article admin (workflow) uses these pieces; the author admin of ``articles`` gets its
checked photo upload here, since the domain app cannot know about the photo pipeline.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.db import models
from django.utils.html import format_html

from articles.admin import AuthorAdmin
from articles.models import Author

from . import renditions
from .forms import SafeImageField

# Shown in the lead image's fieldset, after the image and its texts.
FOCAL_FIELDS = ["lead_image_focal_x", "lead_image_focal_y", "lead_image_preview"]
# Author photos are shown small and have no renditions: they are stored at most this wide.
AUTHOR_PHOTO_MAX_WIDTH = 600
FOCAL_POINT_MEDIA = forms.Media(js=["photos/focal-point.js"])


def safe_image_options(db_field):
    """Form field options making the admin's ``db_field`` (an ImageField) a checked upload."""
    options = {
        "form_class": SafeImageField,
        "widget": AdminFileWidget(attrs={"accept": SafeImageField.accept}),
    }
    if db_field.name == "photo":
        options["max_width"] = AUTHOR_PHOTO_MAX_WIDTH
    return options


def focal_point_preview(article):
    """The lead image with a marker on its focal point, for the editor to click."""
    if not article or not article.lead_image:
        return "ستظهر الصورة هنا بعد الحفظ."
    responsive = renditions.responsive(article.lead_image.name)
    src = responsive[min(1, len(responsive) - 1)][1].url if responsive else article.lead_image.url
    x = 50 if article.lead_image_focal_x is None else round(article.lead_image_focal_x * 100)
    y = 50 if article.lead_image_focal_y is None else round(article.lead_image_focal_y * 100)
    # The marker is placed from the physical left edge, as the focal point is measured.
    return format_html(
        '<span data-focal-preview style="position: relative; display: inline-block; '
        'direction: ltr; cursor: crosshair;">'
        '<img src="{}" alt="" style="max-inline-size: 320px; display: block;">'
        '<span data-focal-marker title="النقطة المحورية" style="position: absolute; '
        "left: {}%; top: {}%; inline-size: 14px; block-size: 14px; margin: -7px 0 0 -7px; "
        'border-radius: 50%; border: 2px solid #fff; background: #a3111a;"></span></span>',
        src,
        x,
        y,
    )


admin.site.unregister(Author)


@admin.register(Author)
class AuthorWithPhotoAdmin(AuthorAdmin):
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.ImageField):
            kwargs.update(safe_image_options(db_field))
        return super().formfield_for_dbfield(db_field, request, **kwargs)
