from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    # Photo uploads from the body editor: photos.views.upload replaces django-ckeditor's view.
    path("ckeditor/", include("photos.urls")),
    path("api/", include("api.urls")),
    path("", include("frontpage.urls")),
    path("", include("workflow.urls")),
    path("", include("articles.urls")),
]
# A database outage answers a short Arabic 503 instead of the 500 page (core/faults.py).
handler500 = "core.faults.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
