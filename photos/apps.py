from django.apps import AppConfig


class PhotosConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "photos"
    verbose_name = "الصور"

    def ready(self):
        from django.conf import settings
        from PIL import Image

        from . import signals  # noqa: F401  (connects the file clean-up receivers)

        # Pillow's own bomb guard warns above this many pixels and refuses above twice as many;
        # photos.images turns the warning into a refusal too.
        Image.MAX_IMAGE_PIXELS = settings.NEWSROOM_MAX_IMAGE_PIXELS
