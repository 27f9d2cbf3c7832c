from django.urls import path

from .preview import SharePreviewView, StaffPreviewView

app_name = "workflow"
urlpatterns = [
    path("preview/<int:pk>/", StaffPreviewView.as_view(), name="preview"),
    path("preview/share/<str:token>/", SharePreviewView.as_view(), name="share-preview"),
]
