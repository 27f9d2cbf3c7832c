"""The workflow in the admin: roles' limits, states, notes, corrections, revisions, previews."""

import reversion
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Byline, Correction

from . import presence, rules
from .admin_views import WorkflowViewsMixin
from .forms import WorkflowFormMixin
from .models import Autosave, EditorialNote, Transition
from .revisions import versions_of

Status = Article.Status
TRANSITION_LABELS = {
    Status.DRAFT: "أعِده إلى المسودات",
    Status.IN_REVIEW: "احفظ وأرسل للمراجعة",
    Status.RETURNED: "أعِده للكاتب للتعديل",
    Status.PUBLISHED: "احفظ وانشر (أو جدوِل إن كان وقت النشر لاحقًا)",
    Status.UNPUBLISHED: "ألغِ النشر",
}


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


class CorrectionInline(admin.TabularInline):
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


class ArticleWorkflowMixin(WorkflowViewsMixin):
    """Everything the workflow adds to ArticleAdmin; listed first among its bases."""

    workflow_inlines = [CorrectionInline, EditorialNoteInline, TransitionInline]
    editor_only_fields = ["published_at", "expires_at"]

    # Who sees what.

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if rules.can_edit_others(request.user):
            return queryset
        # Writers see their own articles only, not colleagues' unpublished drafts.
        return queryset.filter(rules.owned_by(request.user))

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

    def get_inlines(self, request, obj):
        inlines = self.workflow_inlines
        if obj is None or obj.status not in (Status.PUBLISHED, Status.UNPUBLISHED):
            # Corrections belong to what readers have seen: a new article, a draft or one in
            # review shows no corrections table (a forged one is ignored with it).
            inlines = [inline for inline in inlines if inline is not CorrectionInline]
        return [*super().get_inlines(request, obj), *inlines]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        hidden = set() if rules.can_publish(request.user) else set(self.editor_only_fields)
        result = []
        for name, options in fieldsets:
            fields = [field for field in options["fields"] if field not in hidden]
            if name == "النشر" and (obj is None or self.has_change_permission(request, obj)):
                fields = [*fields, "transition_note", "loaded_version"]
            result.append((name, {**options, "fields": fields}))
        return result

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = kwargs.get("form", self.form)
        kwargs["form"] = type(base.__name__, (WorkflowFormMixin, base), {"user": request.user})
        return super().get_form(request, obj, change=change, **kwargs)

    # Saving: who did it, the state change, and one revision per save.

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
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
        super().save_model(request, obj, form, change)
        before = getattr(form, "original_status", "")
        if obj.status != before:
            Transition.objects.create(
                article=obj,
                from_status=before,
                to_status=obj.status,
                note=form.cleaned_data.get("transition_note", ""),
                created_by=request.user,
            )
        Autosave.objects.filter(user=request.user, article=obj if change else None).delete()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        author = getattr(request.user, "author", None)
        if not change and author is not None and not form.instance.bylines.exists():
            # As in WordPress, a new article is by whoever wrote it unless they name others.
            Byline.objects.create(article=form.instance, author=author)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, (EditorialNote, Correction)) and instance._state.adding:
                instance.created_by = request.user
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()
        if formset.model is Correction and (formset.new_objects or formset.changed_objects):
            # A correction is a change readers should see in the article's modified time.
            Article.objects.filter(pk=form.instance.pk).update(updated_at=timezone.now())

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


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
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
