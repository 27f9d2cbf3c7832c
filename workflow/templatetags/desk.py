"""``{% desk_panels %}``: the desk on the admin's home page (templates/admin/index.html).

A template tag rather than a view, so the admin site (core, which knows no project app) keeps
its own index view and app list, and the desk is only added above them.
"""

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

from workflow.desk import desk_for

register = template.Library()


@register.filter
def since(value):
    """«الآن» under a minute (Django's timesince says «0 دقيقة»), else «منذ ساعتين»."""
    if value is None:
        return ""
    if (timezone.now() - value).total_seconds() < 60:
        return "الآن"
    return f"منذ {timesince(value, depth=1)}"


@register.inclusion_tag("admin/workflow/desk.html", takes_context=True)
def desk_panels(context):
    user = context["request"].user
    return {
        "desk": desk_for(user) if user.is_active and user.is_staff else None,
        "perms": context.get("perms"),
    }
