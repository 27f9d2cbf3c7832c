from django.urls import path, register_converter

from . import views
from .converters import UnicodeSlugConverter

register_converter(UnicodeSlugConverter, "uslug")

app_name = "articles"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("latest/", views.LatestView.as_view(), name="latest"),
    path("news/<int:pk>/", views.ArticleDetailView.as_view(), name="detail-short"),
    path("news/<int:pk>/<uslug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("author/<uslug:slug>/", views.AuthorDetailView.as_view(), name="author-detail"),
    path("section/<uslug:slug>/", views.SectionDetailView.as_view(), name="section-detail"),
    path("tag/<uslug:slug>/", views.TagDetailView.as_view(), name="tag-detail"),
    path("archive/<int:year>/", views.YearArchiveView.as_view(), name="archive-year"),
    path("archive/<int:year>/<int:month>/", views.DateArchiveView.as_view(), name="archive-month"),
    path(
        "archive/<int:year>/<int:month>/<int:day>/",
        views.DateArchiveView.as_view(),
        name="archive-day",
    ),
]
