from django.urls import path

from . import views

app_name = "frontpage"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("read/<int:pk>/", views.read_beacon, name="read-beacon"),
]
