from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.db import models
from django.utils.html import format_html

from . import renditions
from .forms import SafeImageField

FOCAL_FIELDS = ["lead_image_focal_x", "lead_image_focal_y", "lead_image_preview"]
# Author photos are shown small and have no renditions: they are stored at most this wide.
AUTHOR_PHOTO_MAX_WIDTH = 600


class PhotoFieldsAdminMixin:
    """Checked uploads for every image field; focal point and preview beside the lead image.

    Kept to one mixin so the model admins only list it among their bases.
    """

    @property
    def media(self):
        return super().media + forms.Media(js=["photos/focal-point.js"])

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.ImageField):
            kwargs["form_class"] = SafeImageField
            kwargs["widget"] = AdminFileWidget(attrs={"accept": SafeImageField.accept})
            if db_field.name == "photo":
                kwargs["max_width"] = AUTHOR_PHOTO_MAX_WIDTH
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not any(f.name == "lead_image_focal_x" for f in self.model._meta.fields):
            return fieldsets
        result = []
        for name, options in fieldsets:
            fields = list(options.get("fields", []))
            if "lead_image" in fields:
                fields += [field for field in FOCAL_FIELDS if field not in fields]
                options = {**options, "fields": fields}
            result.append((name, options))
        return result

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if any(f.name == "lead_image_focal_x" for f in self.model._meta.fields):
            readonly.append("lead_image_preview")
        return readonly

    @admin.display(description="معاينة النقطة المحورية (انقر على الصورة لتحديدها)")
    def lead_image_preview(self, obj):
        if not obj or not obj.lead_image:
            return "ستظهر الصورة هنا بعد الحفظ."
        responsive = renditions.responsive(obj.lead_image.name)
        src = responsive[min(1, len(responsive) - 1)][1].url if responsive else obj.lead_image.url
        x = 50 if obj.lead_image_focal_x is None else round(obj.lead_image_focal_x * 100)
        y = 50 if obj.lead_image_focal_y is None else round(obj.lead_image_focal_y * 100)
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
