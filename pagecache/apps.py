from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "ذاكرة الصفحات المؤقتة"

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers
