from django.apps import AppConfig, apps
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


def sync_site(sender, using="default", **kwargs):
    """Keep the sites framework's one row on SITE_DOMAIN and the newspaper's name."""
    from django.conf import settings
    from django.contrib.sites.models import SITE_CACHE, Site

    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": settings.SITE_DOMAIN, "name": settings.NEWSPAPER_NAME[:50]},
    )
    SITE_CACHE.clear()


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "البنية الأساسية"

    def ready(self):
        from . import arabic_names

        arabic_names.apply()
        post_migrate.connect(
            arabic_names.arabic_permission_names, dispatch_uid="core.arabic_permission_names"
        )
        # Sent for the sites app after its own receiver has made example.com on a new database
        # (core has no models, so no post_migrate is sent for it).
        post_migrate.connect(
            sync_site, sender=apps.get_app_config("sites"), dispatch_uid="core.sync_site"
        )


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """Django's admin app on the newspaper's own site; listed in INSTALLED_APPS by its path."""

    default = False
    default_site = "core.admin_site.NewsroomAdminSite"
