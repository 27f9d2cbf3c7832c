from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from articles.models import Article

from . import rules
from .revisions import version_for_number

Status = Article.Status


class WorkflowFormMixin(forms.Form):
    """The workflow's part of the article form: allowed states, a note, the loaded version.

    ``user`` is set on the class by the admin's ``get_form``.
    """

    transition_note = forms.CharField(
        label="ملاحظة مع تغيير الحالة",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="تُسجَّل مع تغيير الحالة ويراها الكاتب، وهي مطلوبة عند إعادة المقال للتعديل.",
    )
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    user = None

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
        # The admin's change view runs in one transaction: the row stays locked until this
        # save commits, so of two simultaneous saves from the same version only one passes.
        current = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .get()
        )
        if loaded == current:
            return
        self.conflict = True
        message = (
            "لم يُحفظ تعديلك: عدّل شخص آخر هذا المقال بعد أن فتحته. "
            "نصّك ما زال في النموذج أدناه؛ راجع ما تغيّر ثم انقل تعديلك إلى النسخة الحالية."
        )
        old = version_for_number(self.instance, loaded) if loaded is not None else None
        if old is not None:
            url = reverse("admin:articles_article_compare", args=[self.instance.pk])
            raise ValidationError(
                format_html(
                    '{} <a href="{}?from={}">اعرض ما تغيّر منذ فتحته</a>', message, url, old.pk
                )
            )
        raise ValidationError(message)
