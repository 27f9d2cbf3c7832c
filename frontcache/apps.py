from django.apps import AppConfig


class FrontCacheConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "frontcache"
    verbose_name = "ذاكرة الواجهة المؤقتة"

    def ready(self):
        from . import purge, schedule  # noqa: F401 - connect their receivers
