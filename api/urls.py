from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from . import errors, views

app_name = "api"

urlpatterns = [
    path("v1/", views.RootView.as_view(), name="root"),
    path("v1/articles/", views.ArticleListView.as_view(), name="articles"),
    path("v1/articles/<int:pk>/", views.ArticleDetailView.as_view(), name="article"),
    path("v1/sections/", views.SectionListView.as_view(), name="sections"),
    path("v1/tags/", views.TagListView.as_view(), name="tags"),
    path("v1/authors/", views.AuthorListView.as_view(), name="authors"),
    path("v1/masthead/", views.MastheadView.as_view(), name="masthead"),
    path("v1/openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    # Swagger UI from our own static files (drf-spectacular-sidecar); its start-up script is
    # a separate file (the "split" view) and the page has no inline style, so it runs under
    # a CSP without 'unsafe-inline'.
    path(
        "v1/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:openapi", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    re_path(r"^.*$", errors.not_found),
]
