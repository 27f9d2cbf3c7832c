"""The desk in the admin: the article admin (roles' limits, states, notes, corrections,
revisions, previews, photos), the masthead's audit and staff accounts.

Every save and deletion of an article goes through ``workflow.services``: the admin collects
the form and its inlines, the service writes.
"""

import datetime

import reversion
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from articles.models import Article, Byline, Correction
from articles.pagination import BoundedCountPaginator
from articles.search import build_query, query_words
from core.admin import LivePermissionsMixin
from photos.admin import FOCAL_FIELDS, FOCAL_POINT_MEDIA, focal_point_preview, safe_image_options

from . import presence, rules
from .forms import ArticleForm
from .models import Autosave, EditorialNote, Transition
from .preview import share_url
from .revisions import compare, restore, versions_of
from .services import article_delete, article_save

Status = Article.Status
TRANSITION_LABELS = {
    Status.DRAFT: "أعِده إلى المسودات",
    Status.IN_REVIEW: "احفظ وأرسل للمراجعة",
    Status.RETURNED: "أعِده للكاتب للتعديل",
    Status.PUBLISHED: "احفظ وانشر (أو جدوِل إن كان وقت النشر لاحقًا)",
    Status.UNPUBLISHED: "ألغِ النشر",
}


class BylineInline(admin.StackedInline):
    """The byline, read by ArticleAdmin.save_related and written by the save service.

    Stacked, as the corrections: both sit in the article screen's narrow side column.
    """

    model = Byline
    autocomplete_fields = ["author"]
    extra = 1
    min_num = 0


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    fields = ["created_at", "created_by", "from_status", "to_status", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")


class EditorialNoteInline(admin.StackedInline):
    """Notes are added, never edited or removed: the thread stays as it was written."""

    model = EditorialNote
    extra = 1
    fields = ["text", "created_by", "created_at"]
    readonly_fields = ["created_by", "created_at"]
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")


class CorrectionInline(admin.StackedInline):
    """Dated corrections and updates, added by editors once the article has been published."""

    model = Correction
    extra = 0
    fields = ["kind", "text", "created_at", "created_by"]
    readonly_fields = ["created_at", "created_by"]

    def has_add_permission(self, request, obj=None):
        return (
            super().has_add_permission(request, obj)
            and obj is not None
            and obj.status in (Status.PUBLISHED, Status.UNPUBLISHED)
        )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")


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


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
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
    readonly_fields = [
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "version",
        "lead_image_preview",
    ]

    # The list and its search.

    def get_queryset(self, request):
        queryset = super().get_queryset(request).for_listing()
        if rules.can_edit_others(request.user):
            return queryset
        # Writers see their own articles only, not colleagues' unpublished drafts.
        return queryset.filter(rules.owned_by(request.user))

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

    # Who may do what.

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return rules.can_change(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return rules.can_delete(request.user, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Bulk deletion checks no single article, so it is only for those who may delete any.
        if not rules.can_edit_others(request.user):
            actions.pop("delete_selected", None)
        return actions

    # The form: its fields per role, its inlines, its photo fields.

    # The change form (templates/admin/articles/article/change_form.html) lays these out as
    # editors know it: the writing in a wide main column, the rest in a side column. The
    # template places each fieldset by its "article-*" class.
    change_form_template = "admin/articles/article/change_form.html"

    def get_fieldsets(self, request, obj=None):
        text = ["headline", "kicker", "summary", "body"]
        publishing = ["status"]
        if rules.can_publish(request.user):  # writers neither schedule nor expire
            publishing += ["published_at", "expires_at"]
        if obj is None or self.has_change_permission(request, obj):
            publishing += ["transition_note", "loaded_version"]
        filing = ["section", "agency_credit", "tags"]
        photo = ["lead_image", "lead_image_alt", "lead_image_caption", "lead_image_credit"]
        stamps = ["slug", "created_at", "created_by", "updated_at", "updated_by", "version"]
        return [
            (None, {"classes": ["article-main"], "fields": text}),
            ("النشر", {"classes": ["article-publish"], "fields": publishing}),
            ("القسم والوسوم", {"classes": ["article-side"], "fields": filing}),
            (
                "الصورة الرئيسية",
                {"classes": ["collapse", "article-side"], "fields": [*photo, *FOCAL_FIELDS]},
            ),
            ("متقدم", {"classes": ["collapse", "article-side"], "fields": stamps}),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user  # a class made for this request: the states it may choose
        return form

    def get_inlines(self, request, obj):
        inlines = [BylineInline, CorrectionInline, EditorialNoteInline, TransitionInline]
        if obj is None or obj.status not in (Status.PUBLISHED, Status.UNPUBLISHED):
            # Corrections belong to what readers have seen: a new article, a draft or one in
            # review shows no corrections table (a forged one is ignored with it).
            inlines.remove(CorrectionInline)
        return inlines

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.ImageField):
            kwargs.update(safe_image_options(db_field))
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @property
    def media(self):
        return super().media + FOCAL_POINT_MEDIA

    @admin.display(description="معاينة النقطة المحورية (انقر على الصورة لتحديدها)")
    def lead_image_preview(self, obj):
        return focal_point_preview(obj)

    # Saving: the admin collects, workflow.services writes.

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # One revision for the whole request: the service's revision joins it, with the
        # corrections and notes saved by the inlines after it.
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        reversion.set_comment(entry.get_change_message() or "أول نسخة")
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        reversion.set_comment(entry.get_change_message())
        return entry

    def save_model(self, request, obj, form, change):
        """Write nothing yet: the byline is still in its inline, read by save_related."""

    def save_related(self, request, form, formsets, change):
        bylines = next((f for f in formsets if f.model is Byline), None)
        authors = self._byline_authors(bylines) if bylines is not None else None
        own = getattr(request.user, "author", None)
        if not change and not authors and own is not None:
            # As in WordPress, a new article is by whoever wrote it unless they name others.
            authors = [own]
        article_save(
            article=form.instance,
            user=request.user,
            authors=authors,
            tags=form.cleaned_data["tags"] if "tags" in form.cleaned_data else None,
            loaded_version=form.cleaned_data.get("loaded_version") if change else None,
            locked=getattr(form, "locked_state", None) if change else None,
            transition_note=form.cleaned_data.get("transition_note", ""),
            validated=True,  # by the form, a ModelForm
        )
        for formset in formsets:
            if formset is not bylines:
                self.save_formset(request, form, formset, change=change)

    @staticmethod
    def _byline_authors(formset):
        """The (author, role) pairs the byline inline ends up with, in their positions' order.

        Also tells the formset what changed, as its own save() would, for the change message.
        """
        rows = []
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for number, form in enumerate(formset.forms):
            if not form.cleaned_data.get("author"):
                continue
            if formset._should_delete_form(form):
                if form.instance.pk is not None:
                    formset.deleted_objects.append(form.instance)
                continue
            credit = (form.instance.author, form.instance.role or Byline.Role.WRITER)
            rows.append((form.cleaned_data.get("position") or 0, number, credit))
            if form.instance.pk is None:
                formset.new_objects.append(form.instance)
            elif form.has_changed():
                formset.changed_objects.append((form.instance, form.changed_data))
        return [credit for _, _, credit in sorted(rows, key=lambda row: row[:2])]

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, (EditorialNote, Correction)) and instance._state.adding:
                instance.created_by = request.user
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()

    def delete_model(self, request, obj):
        article_delete(article=obj)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            article_delete(article=article)

    # The change page: who else has it open, an autosave to restore, preview and history.

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        article_id = obj.pk if obj is not None else None
        autosave = Autosave.objects.filter(user=request.user, article_id=article_id).first()
        if autosave is not None and obj is not None and autosave.saved_at <= obj.updated_at:
            autosave = None  # the article was saved after this text: nothing to restore
        context.update(
            {
                "autosave": autosave,
                "workflow_urls": {
                    "autosave": reverse("admin:articles_article_autosave"),
                    "presence": (
                        reverse("admin:articles_article_presence", args=[obj.pk]) if obj else ""
                    ),
                    "article": article_id,
                    "interval": settings.AUTOSAVE_INTERVAL_SECONDS,
                },
                "can_share": obj is not None and request.user.has_perm("workflow.share_preview"),
                # The publish box has room for the buttons a writer uses, not for this one.
                "show_save_and_add_another": False,
                "share_hours": settings.PREVIEW_LINK_HOURS,
            }
        )
        can_change = obj is None or self.has_change_permission(request, obj)
        if can_change and "status" in context["adminform"].form.fields:
            allowed = rules.allowed_statuses(request.user, obj)
            context["transition_buttons"] = [
                (status, TRANSITION_LABELS[status]) for status in allowed[1:]
            ]
        if obj is not None:
            context["preview_url"] = reverse("workflow:preview", args=[obj.pk])
            if can_change:
                context["others_editing"] = presence.touch(obj.pk, request.user)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra = dict(extra_context or {})
        if obj is not None and self.has_change_permission(request, obj):
            extra["revisions"] = versions_of(obj)
        return super().history_view(request, object_id, extra)

    # The extra pages: compare and restore revisions, presence, share links, autosave. Each
    # checks the same per-article rules as the change form.

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(view)

        return [
            path("autosave/", wrap(self.autosave_view), name="articles_article_autosave"),
            path(
                "<path:object_id>/history/compare/",
                wrap(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                wrap(self.restore_view),
                name="articles_article_restore",
            ),
            path(
                "<path:object_id>/presence/",
                wrap(self.presence_view),
                name="articles_article_presence",
            ),
            path("<path:object_id>/share/", wrap(self.share_view), name="articles_article_share"),
            *super().get_urls(),
        ]

    def _article_for_change(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def compare_view(self, request, object_id):
        obj = self._article_for_change(request, object_id)
        versions = list(versions_of(obj))
        if not versions:
            raise Http404
        by_id = {str(version.pk): version for version in versions}
        newer = by_id.get(request.GET.get("to"), versions[0])
        older = by_id.get(request.GET.get("from"), versions[1] if len(versions) > 1 else newer)
        if older.revision.date_created > newer.revision.date_created:
            older, newer = newer, older
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": f"ما الذي تغيّر: {obj}",
            "older": older,
            "newer": newer,
            "rows": compare(older, newer),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    @staticmethod
    def _post_only(request):
        if request.method != "POST":
            raise PermissionDenied

    def restore_view(self, request, object_id, version_id):
        self._post_only(request)
        obj = self._article_for_change(request, object_id)
        version = get_object_or_404(versions_of(obj), pk=version_id)
        restore(version, user=request.user)
        messages.success(request, "استُعيدت النسخة المختارة وحُفظت نسخةً جديدة.")
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

    def presence_view(self, request, object_id):
        self._post_only(request)
        obj = self._article_for_change(request, object_id)
        return JsonResponse({"others": presence.touch(obj.pk, request.user)})

    def share_view(self, request, object_id):
        self._post_only(request)
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not request.user.has_perm("workflow.share_preview"):
            raise PermissionDenied
        try:
            hours = int(request.POST.get("hours", settings.PREVIEW_LINK_HOURS))
        except ValueError:
            hours = 0
        if not 1 <= hours <= settings.PREVIEW_LINK_MAX_HOURS:
            messages.error(request, f"مدة الرابط بين ساعة و{settings.PREVIEW_LINK_MAX_HOURS} ساعة.")
        else:
            expires = timezone.now() + datetime.timedelta(hours=hours)
            url = request.build_absolute_uri(share_url(obj, expires))
            messages.success(
                request,
                f"رابط المعاينة (صالح حتى {timezone.localtime(expires):%Y-%m-%d %H:%M}): {url}",
            )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

    def autosave_view(self, request):
        self._post_only(request)
        article_id = request.POST.get("article") or None
        if article_id is not None:
            obj = self._article_for_change(request, article_id)
        elif not self.has_add_permission(request):
            raise PermissionDenied
        else:
            obj = None
        if request.POST.get("discard"):
            Autosave.objects.filter(user=request.user, article=obj).delete()
            return JsonResponse({"discarded": True})
        data = {
            key: request.POST.getlist(key)
            for key in request.POST
            if key not in {"csrfmiddlewaretoken", "article", "loaded_version"}
        }
        autosave, _ = Autosave.objects.update_or_create(
            user=request.user, article=obj, defaults={"data": data, "saved_at": timezone.now()}
        )
        return JsonResponse({"saved_at": timezone.localtime(autosave.saved_at).isoformat()})


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(LivePermissionsMixin, UserAdmin):
    """Staff accounts: only a superuser may see, make or change superusers.

    Accounts are deactivated, never deleted: the admin's log goes with a deleted user.
    """

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(is_superuser=False)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions"]
        return fields
