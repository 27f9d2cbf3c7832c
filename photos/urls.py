from django.urls import path

from . import views

# Named as django-ckeditor's own route, which CKEditorUploadingWidget reverses.
urlpatterns = [path("upload/", views.upload, name="ckeditor_upload")]
