from django.apps import AppConfig


class FrontpageConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "frontpage"
    verbose_name = "الصفحة الأولى"

    def ready(self):
        from . import services  # noqa: F401 - connects forget_most_read
