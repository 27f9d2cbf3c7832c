import json

from django.db import migrations

ACTIONS = {1: "create", 2: "update", 3: "delete"}
NOT_RECORDED = "القيم لم تكن تُسجَّل قبل سجل التدقيق"


def _changes(message):
    """The fields named by the admin's log message; it never held their values."""
    try:
        parts = json.loads(message or "[]")
    except ValueError:
        return [{"field": "message", "label": message, "note": NOT_RECORDED}] if message else []
    fields = []
    for part in parts if isinstance(parts, list) else []:
        fields += part.get("changed", {}).get("fields", [])
    return [{"field": name, "label": name, "note": NOT_RECORDED} for name in fields]


def copy_masthead_log(apps, schema_editor):
    """Bring the masthead's history from the admin's log (the former MastheadChange view)."""
    LogEntry = apps.get_model("admin", "LogEntry")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    history = LogEntry.objects.filter(
        content_type__app_label="articles",
        content_type__model__in=["mastheadterm", "mastheadrole"],
    ).select_related("user")
    AuditEntry.objects.bulk_create(
        AuditEntry(
            at=entry.action_time,
            actor_kind="user",
            actor=entry.user.username,
            actor_pk=str(entry.user_id),
            action=ACTIONS.get(entry.action_flag, "update"),
            content_type_id=entry.content_type_id,
            object_id=entry.object_id or "",
            object_repr=entry.object_repr[:200],
            changes=_changes(entry.change_message),
        )
        for entry in history.order_by("action_time", "id").iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    # Reversed, the copies stay: the table refuses deletes, and 0001 reversed drops it whole.
    operations = [migrations.RunPython(copy_masthead_log, migrations.RunPython.noop)]
