"""Previews of unpublished articles: for staff in the admin, and by signed link for anyone."""

from django.contrib.admin.views.decorators import staff_member_required
from django.core import signing
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator

from articles.models import Article
from articles.views import ArticleDetailView

from . import rules

SALT = "workflow.share-preview"


def share_url(article, expires):
    token = signing.dumps({"a": article.pk, "e": int(expires.timestamp())}, salt=SALT)
    return reverse("workflow:share-preview", args=[token])


class PreviewMixin:
    """The reader's page for any article state, never indexed and never cached."""

    def get_queryset(self):
        return self.page_queryset()

    def get(self, request, *args, **kwargs):
        # No redirect to the canonical slug: a preview lives at its own address.
        self.object = self.get_object()
        if self.object.published_at is None:
            # Shown as it would be if published now (date line, masthead of the day); the
            # change stays in memory.
            self.object.published_at = timezone.now()
        response = self.render_to_response(self.get_context_data(object=self.object))
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, is_preview=True)


@method_decorator(staff_member_required, name="dispatch")
class StaffPreviewView(PreviewMixin, ArticleDetailView):
    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        user = self.request.user
        if not user.has_perm("articles.view_article"):
            raise Http404
        if not (rules.can_edit_others(user) or rules.is_own(user, article)):
            raise Http404
        return article


class SharePreviewView(PreviewMixin, ArticleDetailView):
    """Anyone holding the link sees that one article until the link expires."""

    def get(self, request, *args, **kwargs):
        try:
            payload = signing.loads(self.kwargs["token"], salt=SALT)
        except signing.BadSignature:
            return self.refuse("رابط المعاينة غير صحيح. اطلب من المحرر رابطًا جديدًا.", 404)
        if payload["e"] <= timezone.now().timestamp():
            return self.refuse("انتهت صلاحية رابط المعاينة. اطلب من المحرر رابطًا جديدًا.", 410)
        self.kwargs["pk"] = payload["a"]
        return super().get(request, *args, **kwargs)

    def refuse(self, message, status):
        response = render(
            self.request, "workflow/preview_refused.html", {"message": message}, status=status
        )
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get_object(self, queryset=None):
        queryset = self.get_queryset() if queryset is None else queryset
        try:
            return queryset.get(pk=self.kwargs["pk"])
        except Article.DoesNotExist as error:
            raise Http404 from error
