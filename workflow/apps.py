from django.apps import AppConfig
from django.db.models.signals import post_migrate


class WorkflowConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workflow"
    verbose_name = "سير العمل التحريري"

    def ready(self):
        from . import revisions, roles

        revisions.register_models()
        # Sent once per app, after that app's permissions exist; adding is idempotent.
        post_migrate.connect(roles.ensure_admin_role, dispatch_uid="workflow.ensure_admin_role")
