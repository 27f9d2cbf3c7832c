"""A URLconf that mounts the reader site elsewhere (tests/articles/test_remembered_urls.py)."""

from django.urls import include, path

urlpatterns = [path("archive-", include("articles.urls"))]
