from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator

from articles.models import Article


class Transition(models.Model):
    """One move of an article from one state to another: who, when, from, to and why."""

    article = models.ForeignKey(
        Article, verbose_name="المقال", on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField("من", max_length=20, choices=Article.Status.choices, blank=True)
    to_status = models.CharField("إلى", max_length=20, choices=Article.Status.choices)
    note = models.TextField("ملاحظة", blank=True)
    created_at = models.DateTimeField("الوقت", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="بواسطة",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "انتقال في سير العمل"
        verbose_name_plural = "سجل سير العمل"
        # Permissions of the workflow that belong to no stored row of their own.
        permissions = [("share_preview", "إنشاء روابط معاينة للمشاركة")]

    def __str__(self):
        return f"{self.get_from_status_display() or '—'} ← {self.get_to_status_display()}"


class EditorialNote(models.Model):
    """An internal note between writer and editor; never shown to readers."""

    article = models.ForeignKey(
        Article, verbose_name="المقال", on_delete=models.CASCADE, related_name="editorial_notes"
    )
    text = models.TextField("الملاحظة")
    created_at = models.DateTimeField("الوقت", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="كتبها",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "ملاحظة تحريرية"
        verbose_name_plural = "ملاحظات تحريرية (لا يراها القراء)"

    def __str__(self):
        return Truncator(self.text).words(8)


class Autosave(models.Model):
    """The unsaved content of one user's open article form, kept apart from real revisions."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="article_autosaves"
    )
    # Empty for an article that has not been saved yet (one per user).
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="autosaves"
    )
    data = models.JSONField(default=dict)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-saved_at"]
        verbose_name = "حفظ تلقائي"
        verbose_name_plural = "الحفظ التلقائي"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                name="autosave_one_per_user_article",
                nulls_distinct=False,
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.article or 'مقال جديد'}"
