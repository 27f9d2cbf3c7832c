from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workflow"
    verbose_name = "سير العمل التحريري"

    def ready(self):
        from . import revisions

        revisions.register_models()
