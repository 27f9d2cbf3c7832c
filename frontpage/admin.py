from django.contrib import admin

from articles.admin import AnnouncedWritesMixin

from .models import BreakingNews, FrontPageSlot

EDITOR_PERMISSION = "articles.publish_article"


class EditorsOnlyMixin:
    """Front page and banner are for editors: whoever may publish articles, whatever role."""

    def has_module_permission(self, request):
        return request.user.has_perm(EDITOR_PERMISSION)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(EDITOR_PERMISSION)

    def has_add_permission(self, request):
        return request.user.has_perm(EDITOR_PERMISSION)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(EDITOR_PERMISSION)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm(EDITOR_PERMISSION)


@admin.register(FrontPageSlot)
class FrontPageSlotAdmin(AnnouncedWritesMixin, EditorsOnlyMixin, admin.ModelAdmin):
    list_display = ["article", "position", "article_section", "is_live"]
    list_editable = ["position"]
    list_select_related = ["article__section"]
    autocomplete_fields = ["article"]

    @admin.display(description="القسم")
    def article_section(self, obj):
        return obj.article.section

    @admin.display(boolean=True, description="ظاهر للقراء")
    def is_live(self, obj):
        return obj.article.is_published


@admin.register(BreakingNews)
class BreakingNewsAdmin(AnnouncedWritesMixin, EditorsOnlyMixin, admin.ModelAdmin):
    list_display = ["text", "is_active", "starts_at", "expires_at", "is_live"]
    list_filter = ["is_active"]
    list_editable = ["is_active"]
    list_select_related = ["article"]
    autocomplete_fields = ["article"]
    search_fields = ["text"]
    date_hierarchy = "starts_at"

    @admin.display(boolean=True, description="ظاهر الآن")
    def is_live(self, obj):
        return obj.is_live

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
