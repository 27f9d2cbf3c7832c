from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "التحرير"


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """Django's admin app on the newspaper's own site; listed in INSTALLED_APPS by its path."""

    default = False
    default_site = "articles.admin_site.NewsroomAdminSite"
