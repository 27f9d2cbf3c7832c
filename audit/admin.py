from django.contrib import admin
from django.utils.html import format_html, format_html_join

from .models import AuditEntry

SECRET_CHANGED = "تغيّرت (القيمة سرية ولا تُحفظ)"
EMPTY = "—"


def _shown(value):
    if value is None or value == "":
        return EMPTY
    if value is True:
        return "نعم"
    if value is False:
        return "لا"
    return str(value)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail, read-only: nobody adds, edits or deletes an entry (the table refuses
    updates and deletes too, see migration 0001)."""

    list_display = ["at", "actor_shown", "action", "content_type", "object_repr", "details"]
    list_filter = [
        # Only the kinds of row the trail holds: not every content type, stale ones included.
        ("content_type", admin.RelatedOnlyFieldListFilter),
        "action",
        "actor_kind",
        "actor",
        ("at", admin.DateFieldListFilter),
    ]
    list_select_related = ["content_type"]
    search_fields = ["object_repr", "actor"]
    date_hierarchy = "at"
    fields = ["at", "actor_shown", "action", "content_type", "object_id", "object_repr", "details"]
    readonly_fields = fields

    @admin.display(description="الفاعل", ordering="actor")
    def actor_shown(self, entry):
        if entry.actor_kind == AuditEntry.ActorKind.USER:
            return entry.actor
        label = entry.get_actor_kind_display()
        return f"{label}: {entry.actor}" if entry.actor else label

    @admin.display(description="التغييرات (القيمة السابقة ← الجديدة)")
    def details(self, entry):
        rows = []
        for change in entry.changes:
            if change.get("secret"):
                shown = SECRET_CHANGED
            elif "note" in change:
                shown = change["note"]
            elif "objects" in change:
                shown = "، ".join(change["objects"])
            else:
                shown = f"{_shown(change.get('old'))} ← {_shown(change.get('new'))}"
            rows.append((change.get("label") or change["field"], shown))
        if not rows:
            return EMPTY
        items = format_html_join("", "<li><b>{}</b>: {}</li>", rows)
        return format_html('<ul class="audit-changes">{}</ul>', items)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
