"""Fill the audit trail from Django's model signals.

Signals are the framework's hook for "any save or delete through the model layer, whoever
calls it": the admin, a management command, a shell, a data migration's post_migrate step.
(The house avoids signals for its own workflow; here the point is to see writes made by code
that does not know it is audited, including Django's and django_otp's own.) What bypasses the
model layer, ``QuerySet.update()``, ``bulk_create()`` or raw SQL, is not seen.
"""

import sys

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from articles.models import MastheadRole, MastheadTerm
from core.arabic_names import field_label

from .middleware import current_request
from .models import AuditEntry

# Fields whose value must never be stored: the entry says only that they changed.
SECRET_FIELDS = {"password", "key", "token"}
# Bookkeeping a login or a code check writes on every use: not a change anyone made.
IGNORED_FIELDS = {
    "last_login",
    "last_used_at",
    "last_t",
    "drift",
    "throttling_failure_timestamp",
    "throttling_failure_count",
}
# Running these commands means typing into Python by hand: no command acts, a person does.
SHELL_COMMANDS = {"shell", "shell_plus", "dbshell"}


def audited_models():
    """The models whose rows are audited (the 2FA devices of each installed django_otp plugin)."""
    models = [MastheadRole, MastheadTerm, get_user_model(), Group]
    for label, model_name in [
        ("otp_totp", "TOTPDevice"),
        ("otp_static", "StaticDevice"),
        ("otp_static", "StaticToken"),
    ]:
        if apps.is_installed(f"django_otp.plugins.{label}"):
            models.append(apps.get_model(label, model_name))
    return models


def _running_command():
    """The management command this code runs under, found on the call stack, or None."""
    frame = sys._getframe(2)
    while frame is not None:
        candidate = frame.f_locals.get("self")
        if isinstance(candidate, BaseCommand):
            return type(candidate).__module__.rsplit(".", 1)[-1]
        frame = frame.f_back
    return None


def current_actor():
    """(kind, name, user pk) of whoever is making the change now."""
    request = current_request()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return AuditEntry.ActorKind.USER, user.get_username(), str(user.pk)
    command = _running_command()
    if command and command not in SHELL_COMMANDS:
        return AuditEntry.ActorKind.COMMAND, command, ""
    if request is not None:  # an anonymous request (a password reset, say)
        return AuditEntry.ActorKind.SYSTEM, f"طلب بلا تسجيل دخول: {request.path}"[:150], ""
    return AuditEntry.ActorKind.SYSTEM, command or "", ""


def _value(instance, field):
    if field.is_relation:
        related = getattr(instance, field.name)
        return None if related is None else _label(related)
    return field.value_from_object(instance)


def _label(obj):
    if isinstance(obj, Permission):
        # The codename is exact; the translated name may read the same for two permissions.
        return f"{obj.content_type.app_label}.{obj.codename}"
    return str(obj)[:200]


def _fields(model):
    return [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in IGNORED_FIELDS
    ]


def _diff(model, old, new):
    changes = []
    for field in _fields(model):
        before = None if old is None else field.value_from_object(old)
        after = None if new is None else field.value_from_object(new)
        if old is None or new is None:
            if (after if old is None else before) in (None, ""):
                continue  # nothing to say about an empty field of a new or deleted row
        elif before == after:
            continue
        entry = {"field": field.name, "label": field_label(field)}
        if field.name in SECRET_FIELDS:
            if before or after:
                changes.append({**entry, "secret": True})
            continue
        entry["old"] = None if old is None else _value(old, field)
        entry["new"] = None if new is None else _value(new, field)
        changes.append(entry)
    return changes


def record(instance, action, changes, using):
    kind, actor, actor_pk = current_actor()
    # Written through the same connection as the change, so inside its transaction: a change
    # rolled back takes its entry with it.
    AuditEntry.objects.using(using).create(
        actor_kind=kind,
        actor=actor,
        actor_pk=actor_pk,
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        object_repr=_label(instance),
        changes=changes,
    )


def remember_old(sender, instance, raw=False, using=None, **kwargs):
    """pre_save: keep the row as stored, to compare field by field after the save."""
    instance._audit_old = None
    if not raw and instance.pk is not None:
        instance._audit_old = sender._base_manager.using(using).filter(pk=instance.pk).first()


def saved(sender, instance, created, raw=False, using=None, **kwargs):
    if raw:  # loaddata: rows restored as they were, not changed by anyone
        return
    old = getattr(instance, "_audit_old", None)
    changes = _diff(sender, None if created else old, instance)
    if created or old is None:
        record(instance, AuditEntry.Action.CREATE, changes, using)
    elif changes:
        record(instance, AuditEntry.Action.UPDATE, changes, using)


def deleted(sender, instance, using=None, **kwargs):
    record(instance, AuditEntry.Action.DELETE, _diff(sender, instance, None), using)


def _m2m_field(through):
    for model in audited_models():
        for field in model._meta.many_to_many:
            if field.remote_field.through is through:
                return model, field
    return None, None


def relation_changed(sender, instance, action, reverse, model, pk_set, using=None, **kwargs):
    """m2m_changed: rows added to or removed from a user's groups or permissions, or a group's
    permissions, from either side of the relation; recorded on the owning side."""
    owner_model, field = _m2m_field(sender)
    if field is None:
        return
    if action in ("pre_remove", "pre_clear"):
        # Remember what is really there: remove() of an absent row and clear() of nothing
        # change nothing, and clear() sends no primary keys at all.
        accessor = field.remote_field.get_accessor_name() if reverse else field.name
        related = getattr(instance, accessor)
        current = set(related.using(using).values_list("pk", flat=True))
        instance._audit_removing = current if pk_set is None else current & set(pk_set)
        return
    if action == "post_add":
        kind, pks = AuditEntry.Action.M2M_ADD, set(pk_set or ())
    elif action in ("post_remove", "post_clear"):
        kind, pks = AuditEntry.Action.M2M_REMOVE, getattr(instance, "_audit_removing", set())
    else:
        return
    if not pks:
        return
    others = list(model._base_manager.using(using).filter(pk__in=pks))
    entry = {"field": field.name, "label": field_label(field)}
    if not reverse:
        objects = sorted(_label(obj) for obj in others)
        record(instance, kind, [{**entry, "objects": objects}], using)
    else:
        for owner in others:
            record(owner, kind, [{**entry, "objects": [_label(instance)]}], using)


def connect():
    for model in audited_models():
        uid = f"audit.{model._meta.label_lower}"
        pre_save.connect(remember_old, sender=model, dispatch_uid=f"{uid}.pre_save")
        post_save.connect(saved, sender=model, dispatch_uid=f"{uid}.post_save")
        post_delete.connect(deleted, sender=model, dispatch_uid=f"{uid}.post_delete")
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                relation_changed, sender=through, dispatch_uid=f"{uid}.{field.name}"
            )
