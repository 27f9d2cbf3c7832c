from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.functions import Now


class AuditEntry(models.Model):
    """One change to an audited row: who, when, what, and the values before and after.

    ``changes`` is a list of ``{"field", "label", "old", "new"}`` for a row's fields (a secret
    such as a password hash or an OTP key is recorded as ``{"field", "label", "secret": true}``:
    that it changed, never its value), or ``{"field", "label", "objects"}`` for the rows added
    to or removed from a many-to-many relation.
    """

    class Action(models.TextChoices):
        CREATE = "create", "إنشاء"
        UPDATE = "update", "تعديل"
        DELETE = "delete", "حذف"
        M2M_ADD = "m2m_add", "إضافة إلى علاقة"
        M2M_REMOVE = "m2m_remove", "إزالة من علاقة"

    class ActorKind(models.TextChoices):
        USER = "user", "مستخدم"
        COMMAND = "command", "أمر إدارة"
        SYSTEM = "system", "النظام أو الطرفية"

    at = models.DateTimeField("الوقت", db_default=Now())
    actor_kind = models.CharField("نوع الفاعل", max_length=10, choices=ActorKind.choices)
    actor = models.CharField(
        "الفاعل",
        max_length=150,
        blank=True,
        help_text="اسم المستخدم، أو اسم أمر الإدارة الذي أجرى التغيير.",
    )
    # Text, not a foreign key: the entry must outlive the user, and a SET NULL would be an
    # update, which the table refuses.
    actor_pk = models.CharField("رقم المستخدم", max_length=40, blank=True)
    action = models.CharField("العملية", max_length=12, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name="النوع", on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField("رقم السجل", max_length=40)
    object_repr = models.CharField("السجل", max_length=200)
    changes = models.JSONField("التغييرات", default=list, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "قيد في سجل التدقيق"
        verbose_name_plural = "سجل التدقيق"
        # Changes of one row in time order, and the list by date.
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"], name="audit_object_idx"),
            models.Index(fields=["at"], name="audit_at_idx"),
        ]
        # Entries are only ever added; "view" is the one permission that means anything.
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.get_action_display()}: {self.object_repr}"
