from ckeditor_uploader.widgets import CKEditorUploadingWidget
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from articles.models import Article

from . import rules
from .revisions import version_for_number
from .services import CONFLICT_MESSAGE, article_lock

Status = Article.Status


class ArticleForm(forms.ModelForm):
    """The desk's article form: the article's fields, the states this user may choose, a note
    for the state change and the version the edit started from.

    ``user`` is set by ``ArticleAdmin.get_form`` on the form class it builds for a request.
    """

    transition_note = forms.CharField(
        label="ملاحظة مع تغيير الحالة",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="تُسجَّل مع تغيير الحالة ويراها الكاتب، وهي مطلوبة عند إعادة المقال للتعديل.",
    )
    # Hidden, but labelled in Arabic for any layout that prints every field's label.
    loaded_version = forms.IntegerField(
        label="النسخة المفتوحة", widget=forms.HiddenInput, required=False
    )

    user = None

    class Meta:
        model = Article
        fields = [
            "headline", "kicker", "section", "agency_credit", "summary", "body", "status",
            "published_at", "expires_at", "tags", "lead_image", "lead_image_alt",
            "lead_image_caption", "lead_image_credit", "slug",
        ]  # fmt: skip
        widgets = {
            "body": CKEditorUploadingWidget(),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and data.get("_transition"):
            # A transition button names the new state; the state field would say the same.
            data = data.copy()
            data["status"] = data["_transition"]
        super().__init__(data, *args, **kwargs)
        if "status" in self.fields:
            allowed = rules.allowed_statuses(self.user, self.instance)
            self.fields["status"].choices = [
                (value, label) for value, label in Status.choices if value in allowed
            ]
        if self.instance.pk:
            self.initial["loaded_version"] = self.instance.version
        self.original_status = self.instance.status if self.instance.pk else ""

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self._check_version(cleaned.get("loaded_version"))
        status = cleaned.get("status")
        if (
            status == Status.RETURNED
            and self.original_status != Status.RETURNED
            and not (cleaned.get("transition_note") or "").strip()
        ):
            self.add_error("transition_note", "اكتب للكاتب ما المطلوب تعديله قبل إعادة المقال.")
        return cleaned

    def _check_version(self, loaded):
        # Checked here to answer with the form (the save service checks again): the admin's
        # change view runs in one transaction, and the row stays locked until it commits.
        # The locked state is handed to the save service, which then needs no second lock.
        self.locked_state = article_lock(article_id=self.instance.pk)
        if self.locked_state["version"] == loaded:
            return
        self.conflict = True
        old = version_for_number(self.instance, loaded) if loaded is not None else None
        if old is not None:
            url = reverse("admin:articles_article_compare", args=[self.instance.pk])
            raise ValidationError(
                format_html(
                    '{} <a href="{}?from={}">اعرض ما تغيّر منذ فتحته</a>',
                    CONFLICT_MESSAGE,
                    url,
                    old.pk,
                )
            )
        raise ValidationError(CONFLICT_MESSAGE)
