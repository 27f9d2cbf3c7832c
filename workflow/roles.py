"""The newsroom's roles as Django groups: the one place that says who may do what.

A data migration creates the groups from ROLES. After every ``migrate``, the admin role is
given the permissions of any new model (``ensure_admin_role``); ``manage.py sync_roles``
resets every role to exactly its definition. The finer rules a permission cannot express
(own articles only, which states) live in ``workflow.rules``.
"""

WRITER = "كاتب"
EDITOR = "محرر"
ADMIN = "مدير"
# The roles by the names settings use (OTP_REQUIRED_FOR=admin,editor).
ROLE_KEYS = {"writer": WRITER, "editor": EDITOR, "admin": ADMIN}

_ARTICLE_BASICS = ["articles.add_article", "articles.change_article", "articles.view_article"]
_BYLINES = [f"articles.{action}_byline" for action in ("add", "change", "delete", "view")]


def _all(app_label, model):
    return [f"{app_label}.{action}_{model}" for action in ("add", "change", "delete", "view")]


ROLES = {
    WRITER: [
        *_ARTICLE_BASICS,
        # Only their own drafts that were never published; workflow.rules checks which.
        "articles.delete_article",
        *_BYLINES,
        # To pick authors, tags and a section for their articles.
        "articles.view_author",
        "articles.view_tag",
        "articles.view_section",
        "articles.view_correction",
        "workflow.add_editorialnote",
        "workflow.view_editorialnote",
        "workflow.view_transition",
    ],
    EDITOR: [
        *_ARTICLE_BASICS,
        "articles.delete_article",
        "articles.publish_article",
        "articles.change_others_article",
        *_BYLINES,
        *_all("articles", "author"),
        *_all("articles", "tag"),
        *_all("articles", "section"),
        *_all("articles", "correction"),
        "workflow.add_editorialnote",
        "workflow.view_editorialnote",
        "workflow.view_transition",
        "workflow.share_preview",
    ],
    # Everything, including the masthead, its audit log and the staff accounts.
    ADMIN: ["*"],
}


def apply_roles(group_model, permission_model):
    """Create or update every role's group so it holds exactly its permissions."""
    for name, wanted in ROLES.items():
        group, _ = group_model.objects.get_or_create(name=name)
        if wanted == ["*"]:
            permissions = list(permission_model.objects.all())
        else:
            permissions = []
            for dotted in wanted:
                app_label, codename = dotted.split(".")
                permissions.append(
                    permission_model.objects.get(
                        content_type__app_label=app_label, codename=codename
                    )
                )
        group.permissions.set(permissions)


def ensure_admin_role(sender, **kwargs):
    """post_migrate: the admin role holds every permission, including new models' ones."""
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.filter(name=ADMIN).first()
    if group is not None:
        group.permissions.add(*Permission.objects.exclude(group=group))
