"""Arabic names for the third-party apps and models staff meet in the admin.

Their own names are English (django-axes, django-otp, django-reversion) and are shown in the
admin's index, titles, breadcrumbs, permission lists and the audit log's filters. Only what is
displayed changes: ``_meta.original_attrs`` (what migrations compare) keeps the English names,
so ``makemigrations`` sees nothing to write for those apps. Strings those apps translate with
gettext are corrected in locale/ar instead.
"""

from django.apps import apps
from django.utils import timezone, translation

APP_NAMES = {
    "axes": "محاولات الدخول",
    "otp_totp": "التحقق بخطوتين",
    "otp_static": "رموز الاسترداد",
    "reversion": "نسخ المحتوى",
}

# (app label, model name) -> (singular, plural)
MODEL_NAMES = {
    ("axes", "accessattempt"): ("محاولة دخول فاشلة", "محاولات الدخول الفاشلة"),
    ("axes", "accesslog"): ("دخول", "سجل الدخول"),
    ("axes", "accessfailurelog"): ("دخول فاشل", "سجل الدخول الفاشل"),
    ("axes", "accessattemptexpiration"): ("موعد رفع الحظر", "مواعيد رفع الحظر"),
    ("otp_totp", "totpdevice"): ("تطبيق مصادقة", "تطبيقات المصادقة"),
    ("otp_static", "staticdevice"): ("مجموعة رموز استرداد", "مجموعات رموز الاسترداد"),
    ("otp_static", "statictoken"): ("رمز استرداد", "رموز الاسترداد"),
    ("reversion", "revision"): ("مراجعة", "المراجعات"),
    ("reversion", "version"): ("نسخة", "النسخ"),
}


# Field labels of those models, where the admin and the audit trail show them. The fields
# themselves keep their English verbose names (changing them would change the apps' migrations).
_DEVICE_FIELDS = {
    "user": "الموظف",
    "name": "الاسم",
    "confirmed": "مفعّل",
    "created_at": "أُضيف في",
    "last_used_at": "آخر استعمال",
    "throttling_failure_timestamp": "آخر رمز خاطئ",
    "throttling_failure_count": "الرموز الخاطئة المتتالية",
}
FIELD_LABELS = {
    ("otp_totp", "totpdevice"): {
        **_DEVICE_FIELDS,
        "key": "المفتاح السري",
        "step": "مدة الرمز بالثواني",
        "t0": "بداية العدّ",
        "digits": "عدد الأرقام",
        "tolerance": "الفارق المسموح في الوقت",
        "drift": "انحراف ساعة الهاتف",
        "last_t": "آخر رمز مقبول",
    },
    ("otp_static", "staticdevice"): _DEVICE_FIELDS,
    ("otp_static", "statictoken"): {"device": "المجموعة", "token": "الرمز"},
}


def field_label(field):
    """The Arabic label of a model field, for display (the audit trail, the admin)."""
    meta = field.model._meta
    return FIELD_LABELS.get((meta.app_label, meta.model_name), {}).get(
        field.name, str(field.verbose_name)
    )


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


# django-axes names its rows in English ("Access Log for ... @ ..."); these strings are the
# change pages' titles and breadcrumbs.
STR_METHODS = {
    ("axes", "accessattempt"): lambda row: (
        f"محاولة فاشلة باسم {row.username} في {_when(row.attempt_time)}"
    ),
    ("axes", "accesslog"): lambda row: f"دخول {row.username} في {_when(row.attempt_time)}",
    ("axes", "accessfailurelog"): lambda row: (
        f"دخول فاشل باسم {row.username} في {_when(row.attempt_time)}"
    ),
    ("axes", "accessattemptexpiration"): lambda row: f"رفع الحظر في {_when(row.expires_at)}",
    # Never the code itself: the audit trail names rows by this.
    ("otp_static", "statictoken"): lambda row: "رمز استرداد",
}


def apply():
    """Give the installed third-party apps and models their Arabic names (AppConfig.ready)."""
    for label, name in APP_NAMES.items():
        if _has(label):
            apps.get_app_config(label).verbose_name = name
    for (label, model_name), (singular, plural) in MODEL_NAMES.items():
        if not _has(label):
            continue
        meta = apps.get_model(label, model_name)._meta
        meta.verbose_name, meta.verbose_name_plural = singular, plural
    for (label, model_name), method in STR_METHODS.items():
        if _has(label):
            apps.get_model(label, model_name).__str__ = method
    if _has("axes"):
        # Columns django-axes heads with its methods' English names.
        from axes.admin import AccessAttemptAdmin

        AccessAttemptAdmin.status.short_description = "الحالة"
        AccessAttemptAdmin.expiration.short_description = "رفع الحظر"


def _has(label):
    return any(config.label == label for config in apps.get_app_configs())


# Django names the default permissions in English ("Can add article") when it creates them;
# the group and user forms list them by that name.
PERMISSION_ACTIONS = {"add": "إضافة", "change": "تعديل", "delete": "حذف", "view": "عرض"}


def arabic_permission_names(sender=None, using="default", **kwargs):
    """post_migrate: name every default permission in Arabic ("إضافة مقالة")."""
    from django.contrib.auth.models import Permission

    with translation.override("ar"):
        for permission in Permission.objects.using(using).select_related("content_type"):
            action, _, model_name = permission.codename.partition("_")
            model = permission.content_type.model_class()
            if action not in PERMISSION_ACTIONS or model is None:
                continue
            if model_name != model._meta.model_name:
                continue  # a custom permission, named by its model's author
            name = f"{PERMISSION_ACTIONS[action]} {model._meta.verbose_name}"[:255]
            if permission.name != name:
                Permission.objects.using(using).filter(pk=permission.pk).update(name=name)
