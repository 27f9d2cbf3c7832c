from ckeditor_uploader.widgets import CKEditorUploadingWidget
from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList

from photos.admin import PhotoFieldsAdminMixin
from workflow.admin import ArticleWorkflowMixin

from .arabic import normalize
from .models import Article, Author, Byline, MastheadRole, MastheadTerm, Section, Tag
from .pagination import BoundedCountPaginator
from .search import build_query, query_words


class NormalizedSearchMixin:
    """Search the Arabic-normalised columns with a normalised query: فى finds في."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, normalize(search_term))


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "headline", "kicker", "section", "agency_credit", "summary", "body", "status",
            "published_at", "expires_at", "tags", "lead_image", "lead_image_alt",
            "lead_image_caption", "lead_image_credit", "slug",
        ]  # fmt: skip
        widgets = {
            "body": CKEditorUploadingWidget(),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }


class SearchWithoutDateHierarchyChangeList(ChangeList):
    """While searching, no date hierarchy: its years and bounds are aggregates over every
    match, seconds for a common word among 200,000 articles; results come newest first."""

    def __init__(self, request, model, list_display, list_display_links, list_filter,
                 date_hierarchy, *args, **kwargs):  # fmt: skip
        if request.GET.get(SEARCH_VAR):
            date_hierarchy = None
        super().__init__(
            request, model, list_display, list_display_links, list_filter, date_hierarchy,
            *args, **kwargs,
        )  # fmt: skip


class BylineInline(admin.TabularInline):
    model = Byline
    autocomplete_fields = ["author"]
    extra = 1
    min_num = 0


@admin.register(Article)
class ArticleAdmin(
    ArticleWorkflowMixin, PhotoFieldsAdminMixin, NormalizedSearchMixin, admin.ModelAdmin
):
    form = ArticleAdminForm
    inlines = [BylineInline]
    list_display = ["headline", "section", "byline_names", "state", "published_at", "is_live"]
    list_filter = ["status", "section", "published_at"]
    list_select_related = ["section"]
    search_fields = ["search_text"]
    search_help_text = "يبحث في العنوان والموجز والنص، أيًّا كانت طريقة كتابة الهمزة والياء والتاء."
    date_hierarchy = "published_at"
    show_full_result_count = False  # no second count of the unfiltered table
    paginator = BoundedCountPaginator  # counts at most 10,001 rows, then estimates
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["tags"]
    readonly_fields = ["created_at", "created_by", "updated_at", "updated_by", "version"]
    fieldsets = [
        (None, {"fields": ["headline", "kicker", "section", "agency_credit", "summary", "body"]}),
        ("النشر", {"fields": ["status", "published_at", "expires_at", "tags"]}),
        (
            "الصورة الرئيسية",
            {
                "classes": ["collapse"],
                "fields": [
                    "lead_image",
                    "lead_image_alt",
                    "lead_image_caption",
                    "lead_image_credit",
                ],
            },
        ),
        (
            "متقدم",
            {
                "classes": ["collapse"],
                "fields": [
                    "slug",
                    "created_at",
                    "created_by",
                    "updated_at",
                    "updated_by",
                    "version",
                ],
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).for_listing()

    def get_changelist(self, request, **kwargs):
        return SearchWithoutDateHierarchyChangeList

    def get_search_results(self, request, queryset, search_term):
        # The stored full-text vector (GIN), as the reader's search: a trigram "contains" over
        # the whole text of 200,000 articles took seconds, since common Arabic trigrams match
        # almost every row.
        words = query_words(search_term)
        if not words:
            return queryset, False
        # As a set of ids (one GIN bitmap scan), so the planner never walks the date index
        # de-TOASTing each vector to look for a word few or no articles have.
        matches = Article.objects.filter(search_vector=build_query(words)).values("pk")
        return queryset.filter(pk__in=matches), False

    @admin.display(description="الكتّاب")
    def byline_names(self, obj):
        return "، ".join(byline.author.name for byline in obj.bylines.all())

    @admin.display(description="الحالة", ordering="status")
    def state(self, obj):
        return "مجدول" if obj.is_scheduled else obj.get_status_display()

    @admin.display(boolean=True, description="ظاهر للقراء")
    def is_live(self, obj):
        return obj.is_published

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Author)
class AuthorAdmin(PhotoFieldsAdminMixin, NormalizedSearchMixin, admin.ModelAdmin):
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


@admin.register(Tag)
class TagAdmin(NormalizedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["normalized_name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(MastheadRole)
class MastheadRoleAdmin(admin.ModelAdmin):
    list_display = ["title", "position"]
    list_editable = ["position"]


@admin.register(MastheadTerm)
class MastheadTermAdmin(admin.ModelAdmin):
    list_display = ["role", "person_name", "starts_on", "ends_on"]
    list_filter = ["role"]
    list_select_related = ["role"]
    date_hierarchy = "starts_on"
