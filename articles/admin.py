"""The admins of the domain's own tables: authors, tags, sections and the masthead.

The article admin is the desk's, in ``workflow.admin``; the author photo's checked upload is
added by ``photos.admin``.
"""

from django import forms
from django.contrib import admin
from django.contrib.redirects.admin import RedirectAdmin
from django.contrib.redirects.models import Redirect

from .arabic import normalize
from .events import announce_content_change
from .models import Author, MastheadRole, MastheadTerm, Section, Tag
from .redirects import clean_path, redirect_record
from .services import author_save, content_save, tag_save


class NormalizedSearchMixin:
    """Search the Arabic-normalised columns with a normalised query: فى finds في."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, normalize(search_term))


class AnnouncedWritesMixin:
    """Rows readers see are saved by a service that announces them (articles.events), and
    deletions are announced; both reach subscribers such as the front-cache purge once committed."""

    @staticmethod
    def write(obj):
        """Save ``obj`` through its service; admins of models with one of their own override it."""
        return content_save(instance=obj)

    def save_model(self, request, obj, form, change):
        self.write(obj)

    def delete_model(self, request, obj):
        pk = obj.pk
        super().delete_model(request, obj)
        announce_content_change(obj._meta.label, [pk])

    def delete_queryset(self, request, queryset):
        pks = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        announce_content_change(queryset.model._meta.label, pks)


@admin.register(Author)
class AuthorAdmin(AnnouncedWritesMixin, NormalizedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "user", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["user"]
    search_fields = ["normalized_name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]

    def get_search_results(self, request, queryset, search_term):
        # Retired authors leave the byline picker but stay valid on the articles they wrote.
        if request.path.endswith("/autocomplete/"):
            queryset = queryset.filter(is_active=True)
        return super().get_search_results(request, queryset, search_term)

    @staticmethod
    def write(obj):
        return author_save(author=obj)  # a new name is rewritten into search documents


@admin.register(Tag)
class TagAdmin(AnnouncedWritesMixin, NormalizedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["normalized_name"]
    prepopulated_fields = {"slug": ["name"]}

    @staticmethod
    def write(obj):
        return tag_save(tag=obj)  # a new name is rewritten into search documents


@admin.register(Section)
class SectionAdmin(AnnouncedWritesMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(MastheadRole)
class MastheadRoleAdmin(AnnouncedWritesMixin, admin.ModelAdmin):
    list_display = ["title", "position"]
    list_editable = ["position"]


@admin.register(MastheadTerm)
class MastheadTermAdmin(AnnouncedWritesMixin, admin.ModelAdmin):
    list_display = ["role", "person_name", "starts_on", "ends_on"]
    list_filter = ["role"]
    list_select_related = ["role"]
    date_hierarchy = "starts_on"


class RedirectForm(forms.ModelForm):
    class Meta:
        model = Redirect
        fields = ["site", "old_path", "new_path"]
        help_texts = {
            "old_path": "العنوان القديم داخل الموقع، مثل /section/قديم/ (دون اسم النطاق).",
            "new_path": "العنوان الجديد داخل الموقع، مثل /section/جديد/؛ اتركه فارغًا ليُجاب "
            "بأن الصفحة حُذفت نهائيًّا (410).",
        }

    def clean_old_path(self):
        return clean_path(self.cleaned_data["old_path"], label="العنوان القديم")

    def clean_new_path(self):
        value = self.cleaned_data["new_path"]
        return value and clean_path(value, label="العنوان الجديد")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("old_path") and cleaned.get("old_path") == cleaned.get("new_path"):
            self.add_error("new_path", "العنوان الجديد هو القديم نفسه: لا شيء يُحوَّل.")
        return cleaned


admin.site.unregister(Redirect)


@admin.register(Redirect)
class LocalRedirectAdmin(RedirectAdmin):
    """Old addresses, never pointing off the site; a new one collapses any chain through it."""

    form = RedirectForm

    def save_model(self, request, obj, form, change):
        if not obj.new_path:
            super().save_model(request, obj, form, change)
            return
        if change and "old_path" in form.changed_data:
            Redirect.objects.filter(pk=obj.pk).delete()  # recorded afresh under its new path
        redirect = redirect_record(site=obj.site, old_path=obj.old_path, new_path=obj.new_path)
        obj.pk = redirect.pk if redirect is not None else obj.pk
