from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

from .images import clean_upload


class SafeImageField(forms.FileField):
    """An image upload checked and re-encoded by photos.images before the model stores it.

    Takes the place of Django's ImageField for lead images and author photos: the file that
    reaches storage is the re-encoded one, under a random name that carries its pixel size.
    """

    accept = "image/jpeg,image/png,image/webp,image/gif"
    widget = forms.ClearableFileInput(attrs={"accept": accept})

    def __init__(self, *, max_width=None, **kwargs):
        self.max_width = max_width
        super().__init__(**kwargs)

    def to_python(self, data):
        uploaded = super().to_python(data)
        if uploaded is None:
            return None
        image = clean_upload(uploaded, max_width=self.max_width)
        return SimpleUploadedFile(image.filename(), image.content, image.content_type)
