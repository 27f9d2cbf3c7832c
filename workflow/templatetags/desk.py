"""``{% desk_panels %}``: the desk on the admin's home page (templates/admin/index.html).

A template tag rather than a view, so the admin site (core, which knows no project app) keeps
its own index view and app list, and the desk is only added above them.
"""

from django import template

from workflow.desk import desk_for

register = template.Library()


@register.inclusion_tag("admin/workflow/desk.html", takes_context=True)
def desk_panels(context):
    user = context["request"].user
    return {
        "desk": desk_for(user) if user.is_active and user.is_staff else None,
        "perms": context.get("perms"),
    }
