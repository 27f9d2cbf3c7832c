"""The admins of the domain's own tables: authors, tags, sections and the masthead.

The article admin is the desk's, in ``workflow.admin``; the author photo's checked upload is
added by ``photos.admin``.
"""

from django.contrib import admin

from .arabic import normalize
from .events import announce_content_change
from .models import Author, MastheadRole, MastheadTerm, Section, Tag
from .services import author_save, content_save, tag_save


class NormalizedSearchMixin:
    """Search the Arabic-normalised columns with a normalised query: فى finds في."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, normalize(search_term))


class AnnouncedWritesMixin:
    """Rows readers see are saved by a service that announces them (articles.events), and
    deletions are announced; both reach subscribers such as the page cache once committed."""

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
