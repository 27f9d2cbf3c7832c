import posixpath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .images import clean_upload

NOT_ALLOWED = "رفع الصور متاح لفريق التحرير فقط. سجّل الدخول بحساب محرر ثم أعد المحاولة."
NO_FILE = "لم يصل أي ملف. اختر صورة ثم أعد المحاولة."


def _error(message, status):
    # The shape CKEditor 4's file tools read: the dialog shows error.message to the editor.
    return JsonResponse({"uploaded": 0, "error": {"message": message}}, status=status)


def can_upload(user):
    return (
        user.is_active
        and user.is_staff
        and (user.has_perm("articles.add_article") or user.has_perm("articles.change_article"))
    )


@never_cache
@require_POST
def upload(request):
    """Store a photo dropped or chosen in the article body's editor; answer CKEditor in JSON.

    Replaces django-ckeditor's stock view, which is csrf_exempt, keeps non-images and EXIF,
    names files after the client's name and lets Pillow's bomb error escape as a 500. This one
    is left to Django's CSRF middleware (the editor sends the X-CSRFToken header, see
    photos/static/photos/ckeditor-config.js) and answers refusals as JSON with a 4xx status.
    """
    if not can_upload(request.user):
        return _error(NOT_ALLOWED, 403)
    uploaded = request.FILES.get("upload")
    if uploaded is None:
        return _error(NO_FILE, 400)
    try:
        image = clean_upload(uploaded, max_width=settings.NEWSROOM_INLINE_IMAGE_MAX_WIDTH)
    except ValidationError as error:
        return _error(error.messages[0], 400)
    day = timezone.localdate().strftime("%Y/%m/%d")
    path = posixpath.join(settings.CKEDITOR_UPLOAD_PATH, day, image.filename())
    name = default_storage.save(path, ContentFile(image.content))
    return JsonResponse(
        {"uploaded": 1, "fileName": posixpath.basename(name), "url": default_storage.url(name)}
    )
