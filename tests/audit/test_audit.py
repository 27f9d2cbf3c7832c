"""The audit trail: every path that changes the masthead, staff, groups, permissions or 2FA."""

import datetime
import importlib
import io
import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.models import MastheadRole
from audit.models import AuditEntry

Action = AuditEntry.Action
Kind = AuditEntry.ActorKind
CHANGELIST = "/admin/audit/auditentry/"


def entries_for(obj):
    return list(
        AuditEntry.objects.filter(
            content_type__model=obj._meta.model_name, object_id=str(obj.pk)
        ).order_by("id")
    )


def by_field(entry):
    return {change["field"]: change for change in entry.changes}


def test_admin_edit_of_a_masthead_term_shows_who_and_the_old_and_new_values(
    client, make_user, roles, make_term
):
    admin = make_user("admin", first_name="منى")
    term = make_term(roles["editor"], "رئيس تحرير سابق", datetime.date(2020, 1, 1))
    client.force_login(admin)
    response = client.post(
        f"/admin/articles/mastheadterm/{term.pk}/change/",
        {
            "role": roles["editor"].pk,
            "person_name": "رئيس تحرير سابق",
            "starts_on": "2020-01-01",
            "ends_on": "2024-06-30",
        },
    )
    assert response.status_code == 302
    created, updated = entries_for(term)
    assert (created.action, created.actor_kind) == (Action.CREATE, Kind.SYSTEM)
    assert (updated.action, updated.actor_kind) == (Action.UPDATE, Kind.USER)
    assert (updated.actor, updated.actor_pk) == (admin.username, str(admin.pk))
    assert updated.changes == [
        {"field": "ends_on", "label": "إلى تاريخ", "old": None, "new": "2024-06-30"}
    ]
    assert by_field(created)["role"]["new"] == "رئيس التحرير"
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert admin.username in html and "رئيس التحرير: رئيس تحرير سابق" in html
    assert "<b>إلى تاريخ</b>: — ← 2024-06-30" in html
    client.force_login(make_user("editor"))
    assert client.get(CHANGELIST).status_code == 403


def test_create_staff_is_recorded_as_the_command_without_the_password(db):
    call_command("create_staff", "layla", role="editor", name="ليلى", stdout=io.StringIO())
    user = Group.objects.get(name="محرر").user_set.get(username="layla")
    created, grouped = entries_for(user)
    assert {created.actor_kind, grouped.actor_kind} == {Kind.COMMAND}
    assert {created.actor, grouped.actor} == {"create_staff"}
    assert created.action == Action.CREATE
    fields = by_field(created)
    assert fields["first_name"]["new"] == "ليلى" and fields["is_staff"]["new"] is True
    assert "last_name" not in fields and "email" not in fields  # empty: nothing to say
    assert fields["password"] == {"field": "password", "label": "كلمة المرور", "secret": True}
    assert user.password not in json.dumps(created.changes)
    assert (grouped.action, grouped.changes[0]["objects"]) == (Action.M2M_ADD, ["محرر"])


def test_ensure_admin_is_recorded_as_the_command(db):
    call_command("ensure_admin", username="boss", stdout=io.StringIO())
    (entry,) = AuditEntry.objects.filter(object_repr="boss")
    assert (entry.action, entry.actor_kind, entry.actor) == (
        Action.CREATE,
        Kind.COMMAND,
        "ensure_admin",
    )
    assert by_field(entry)["is_superuser"]["new"] is True


def test_a_shell_save_through_the_model_layer_is_recorded_field_by_field(db):
    role = MastheadRole.objects.create(title="مدير التحرير", position=30)
    role.title = "مدير التحرير التنفيذي"
    role.save()
    role.save()  # nothing changed: nothing recorded
    pk = role.pk
    role.delete()
    created, updated, deleted = AuditEntry.objects.filter(
        content_type__model="mastheadrole", object_id=str(pk)
    ).order_by("id")
    assert {entry.actor_kind for entry in (created, updated, deleted)} == {Kind.SYSTEM}
    assert updated.changes == [
        {
            "field": "title",
            "label": "المنصب",
            "old": "مدير التحرير",
            "new": "مدير التحرير التنفيذي",
        }
    ]
    assert deleted.action == Action.DELETE
    assert by_field(deleted)["position"] == {
        "field": "position",
        "label": "الترتيب",
        "old": 30,
        "new": None,
    }


def test_group_and_permission_changes_are_recorded_from_either_side(db, django_user_model):
    group = Group.objects.create(name="مراجعون")
    add_tag = Permission.objects.get(codename="add_tag")
    view_tag = Permission.objects.get(codename="view_tag")
    group.permissions.add(add_tag, view_tag)
    group.permissions.add(add_tag)  # already there: nothing to record
    view_tag.group_set.remove(group)  # from the permission's side
    group.permissions.remove(view_tag)  # no longer there: nothing to record
    user = django_user_model.objects.create_user(username="sami", is_staff=True)
    group.user_set.add(user)
    user.user_permissions.set([view_tag])
    user.groups.clear()
    group_entries = [(e.action, e.changes[0]["objects"]) for e in entries_for(group)[1:]]
    assert group_entries == [
        (Action.M2M_ADD, ["articles.add_tag", "articles.view_tag"]),
        (Action.M2M_REMOVE, ["articles.view_tag"]),
    ]
    user_entries = [
        (e.action, e.changes[0]["field"], e.changes[0]["objects"]) for e in entries_for(user)[1:]
    ]
    assert user_entries == [
        (Action.M2M_ADD, "groups", ["مراجعون"]),
        (Action.M2M_ADD, "user_permissions", ["articles.view_tag"]),
        (Action.M2M_REMOVE, "groups", ["مراجعون"]),
    ]


def test_a_totp_device_is_recorded_without_its_secret(db, django_user_model):
    user = django_user_model.objects.create_user(username="nour", is_staff=True)
    device = TOTPDevice.objects.create(user=user, name="هاتف نور", confirmed=False)
    device.confirmed = True
    device.save()
    device.last_t = 12345  # a code was checked: bookkeeping, not a change
    device.save()
    created, confirmed = entries_for(device)
    assert created.action == Action.CREATE
    assert by_field(created)["key"] == {"field": "key", "label": "المفتاح السري", "secret": True}
    assert by_field(created)["user"]["new"] == "nour"
    assert device.key not in json.dumps(created.changes)
    assert confirmed.changes == [{"field": "confirmed", "label": "مفعّل", "old": False, "new": True}]
    pk = device.pk
    device.delete()
    assert AuditEntry.objects.filter(object_id=str(pk)).latest("id").action == Action.DELETE


def test_password_changes_and_logins(client, django_user_model):
    user = django_user_model.objects.create_user(username="hoda", password="old-password")
    user.set_password("new-password")
    user.save()
    (_, changed) = entries_for(user)
    assert changed.changes == [{"field": "password", "label": "كلمة المرور", "secret": True}]
    assert client.login(username="hoda", password="new-password")  # writes last_login
    assert len(entries_for(user)) == 2


def test_the_admin_never_adds_changes_or_deletes_entries(admin_client, roles):
    MastheadRole.objects.create(title="مستشار التحرير")
    entry = AuditEntry.objects.latest("id")
    assert admin_client.get(f"{CHANGELIST}add/").status_code == 403
    response = admin_client.get(f"{CHANGELIST}{entry.pk}/change/")
    assert response.status_code == 200 and "مستشار التحرير" in response.content.decode()
    assert 'name="_save"' not in response.content.decode()
    assert admin_client.post(f"{CHANGELIST}{entry.pk}/change/", {}).status_code == 403
    assert admin_client.post(f"{CHANGELIST}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    response = admin_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [entry.pk]}
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    assert "delete_selected" not in admin_client.get(CHANGELIST).content.decode()


def test_the_changelist_filters_by_model_action_actor_and_date(admin_client, db):
    call_command("create_staff", "boss", role="editor", stdout=io.StringIO())
    MastheadRole.objects.create(title="مدير الإخراج")
    today = timezone.localdate()
    role_type = AuditEntry.objects.get(object_repr="مدير الإخراج").content_type_id
    queries = {
        "?actor_kind__exact=command": ["boss", "boss"],
        f"?content_type__id__exact={role_type}": ["مدير الإخراج"],
        "?actor=create_staff&action__exact=create": ["boss"],
        f"?at__year={today.year}&at__month={today.month}&at__day={today.day}": [
            "مدير الإخراج",
            "boss",
            "boss",
        ],
    }
    for query, expected in queries.items():
        response = admin_client.get(CHANGELIST + query)
        assert response.status_code == 200, query
        shown = [entry.object_repr for entry in response.context["cl"].result_list]
        assert [repr_ for repr_ in shown if repr_ in ("boss", "مدير الإخراج")] == expected


def test_the_database_refuses_to_change_or_delete_entries(db):
    MastheadRole.objects.create(title="أمين التحرير")
    entry = AuditEntry.objects.latest("id")
    for attempt in (
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(actor="someone else"),
        lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="never changed or deleted"), transaction.atomic():
            attempt()
    assert AuditEntry.objects.get(pk=entry.pk).actor == entry.actor


def test_the_masthead_history_of_the_admin_log_is_carried_over(admin_client, roles, make_term):
    from django.apps import apps
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    term = make_term(roles["chairman"], "رئيس سابق", datetime.date(2019, 1, 1))
    user = admin_client.get("/admin/").context["user"]
    LogEntry.objects.log_actions(
        user.pk,
        [term],
        CHANGE,
        change_message=[{"changed": {"fields": ["إلى تاريخ"]}}],
        single_object=True,
    )
    migration = importlib.import_module("audit.migrations.0002_masthead_history")
    migration.copy_masthead_log(apps, None)
    copied = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(term), actor=user.username
    )
    assert (copied.action, copied.object_id) == (Action.UPDATE, str(term.pk))
    assert copied.changes == [
        {"field": "إلى تاريخ", "label": "إلى تاريخ", "note": migration.NOT_RECORDED}
    ]
    html = admin_client.get(CHANGELIST).content.decode()
    assert f"<b>إلى تاريخ</b>: {migration.NOT_RECORDED}" in html


def test_import_legacy_masthead_terms_are_recorded_as_the_command(db):
    from tests.conftest import FIXTURES

    call_command(
        "import_legacy", str(FIXTURES / "legacy" / "good_single_author.txt"),
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip

    terms = AuditEntry.objects.filter(content_type__model="mastheadterm")
    assert terms.exists()
    assert {(entry.actor_kind, entry.actor) for entry in terms} == {(Kind.COMMAND, "import_legacy")}
    created = terms.filter(action=Action.CREATE).first()
    assert by_field(created)["person_name"]["new"]
