"""The admin pages of third-party models, in Arabic and limited to what staff need.

Groups list their permissions without the leftovers of deleted models. The two-factor devices
are enrolled by their owners (core/otp.py), so here admins only see, rename, switch off or
delete them (a lost phone): no secret key, and no QR code view, is shown to anyone else.
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


def live_permissions():
    """Permissions of models that still exist (a deleted model's content type stays behind)."""
    live = [ct.pk for ct in ContentType.objects.all() if ct.model_class() is not None]
    return Permission.objects.filter(content_type__in=live).select_related("content_type")


class LivePermissionsMixin:
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in {"permissions", "user_permissions"}:
            kwargs["queryset"] = live_permissions()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(LivePermissionsMixin, GroupAdmin):
    pass


DEVICE_LABELS = {"name": "اسم الجهاز", "confirmed": "مفعّل"}
DEVICE_HELP = {
    "name": "اسم يميّز الجهاز، مثل «هاتفي».",
    "confirmed": "ألغِ التحديد لإيقاف الجهاز دون حذفه.",
}


class DeviceAdmin(admin.ModelAdmin):
    fields = ["owner", "name", "confirmed", "created", "last_used"]
    readonly_fields = ["owner", "created", "last_used"]
    list_display = ["owner", "device_name", "created", "last_used", "is_confirmed"]
    search_fields = ["user__username", "name"]
    search_help_text = "ابحث باسم المستخدم أو اسم الجهاز."
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False  # staff enrol their own devices (core/otp.py)

    def get_form(self, request, obj=None, **kwargs):
        kwargs.update(labels=DEVICE_LABELS, help_texts=DEVICE_HELP)
        return super().get_form(request, obj, **kwargs)

    @admin.display(description="الموظف", ordering="user__username")
    def owner(self, device):
        return device.user

    @admin.display(description="اسم الجهاز", ordering="name")
    def device_name(self, device):
        return device.name

    @admin.display(description="أُضيف في", ordering="created_at")
    def created(self, device):
        return device.created_at

    @admin.display(description="آخر استعمال", ordering="last_used_at")
    def last_used(self, device):
        return device.last_used_at or "—"

    @admin.display(description="مفعّل", boolean=True, ordering="confirmed")
    def is_confirmed(self, device):
        return device.confirmed


for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, DeviceAdmin)
