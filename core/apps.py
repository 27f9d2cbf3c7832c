from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "البنية الأساسية"


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """Django's admin app on the newspaper's own site; listed in INSTALLED_APPS by its path."""

    default = False
    default_site = "core.admin_site.NewsroomAdminSite"
