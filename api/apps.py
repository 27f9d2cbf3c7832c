from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "واجهة المحتوى البرمجية"
