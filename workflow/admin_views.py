"""The article admin's extra pages: compare and restore revisions, presence, share links,
autosave. Each checks the same per-article rules as the change form."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from . import presence
from .models import Autosave
from .preview import share_url
from .revisions import compare, restore, versions_of


class WorkflowViewsMixin:
    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(view)

        return [
            path("autosave/", wrap(self.autosave_view), name="articles_article_autosave"),
            path(
                "<path:object_id>/history/compare/",
                wrap(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                wrap(self.restore_view),
                name="articles_article_restore",
            ),
            path(
                "<path:object_id>/presence/",
                wrap(self.presence_view),
                name="articles_article_presence",
            ),
            path("<path:object_id>/share/", wrap(self.share_view), name="articles_article_share"),
            *super().get_urls(),
        ]

    def _article_for_change(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def compare_view(self, request, object_id):
        obj = self._article_for_change(request, object_id)
        versions = list(versions_of(obj))
        if not versions:
            raise Http404
        by_id = {str(version.pk): version for version in versions}
        newer = by_id.get(request.GET.get("to"), versions[0])
        older = by_id.get(request.GET.get("from"), versions[1] if len(versions) > 1 else newer)
        if older.revision.date_created > newer.revision.date_created:
            older, newer = newer, older
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": f"ما الذي تغيّر: {obj}",
            "older": older,
            "newer": newer,
            "rows": compare(older, newer),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    @staticmethod
    def _post_only(request):
        if request.method != "POST":
            raise PermissionDenied

    def restore_view(self, request, object_id, version_id):
        self._post_only(request)
        obj = self._article_for_change(request, object_id)
        version = get_object_or_404(versions_of(obj), pk=version_id)
        restore(version, user=request.user)
        messages.success(request, "استُعيدت النسخة المختارة وحُفظت نسخةً جديدة.")
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

    def presence_view(self, request, object_id):
        self._post_only(request)
        obj = self._article_for_change(request, object_id)
        return JsonResponse({"others": presence.touch(obj.pk, request.user)})

    def share_view(self, request, object_id):
        self._post_only(request)
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not request.user.has_perm("workflow.share_preview"):
            raise PermissionDenied
        try:
            hours = int(request.POST.get("hours", settings.PREVIEW_LINK_HOURS))
        except ValueError:
            hours = 0
        if not 1 <= hours <= settings.PREVIEW_LINK_MAX_HOURS:
            messages.error(request, f"مدة الرابط بين ساعة و{settings.PREVIEW_LINK_MAX_HOURS} ساعة.")
        else:
            expires = timezone.now() + datetime.timedelta(hours=hours)
            url = request.build_absolute_uri(share_url(obj, expires))
            messages.success(
                request,
                f"رابط المعاينة (صالح حتى {timezone.localtime(expires):%Y-%m-%d %H:%M}): {url}",
            )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

    def autosave_view(self, request):
        self._post_only(request)
        article_id = request.POST.get("article") or None
        if article_id is not None:
            obj = self._article_for_change(request, article_id)
        elif not self.has_add_permission(request):
            raise PermissionDenied
        else:
            obj = None
        if request.POST.get("discard"):
            Autosave.objects.filter(user=request.user, article=obj).delete()
            return JsonResponse({"discarded": True})
        data = {
            key: request.POST.getlist(key)
            for key in request.POST
            if key not in {"csrfmiddlewaretoken", "article", "loaded_version"}
        }
        autosave, _ = Autosave.objects.update_or_create(
            user=request.user, article=obj, defaults={"data": data, "saved_at": timezone.now()}
        )
        return JsonResponse({"saved_at": timezone.localtime(autosave.saved_at).isoformat()})
