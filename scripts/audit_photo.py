"""Gives the newest demo article a lead photo for `make audit` (the demo content has none), the
way the admin stores one: checked and re-encoded, renditions made once the save commits.
Run with `manage.py shell -c "exec(open('scripts/audit_photo.py').read())"`."""

from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from articles.models import Article
from photos.images import clean_image
from workflow.services import article_save

article = Article.objects.published().first()
if not (article.lead_image and default_storage.exists(article.lead_image.name)):
    size = (2400, 1600)  # a phone camera's photo, scaled: gradients under noise
    noise = Image.effect_noise(size, 50)
    across = Image.linear_gradient("L").rotate(90).resize(size)
    down = Image.linear_gradient("L").resize(size)
    picture = Image.merge(
        "RGB",
        (
            Image.blend(across, noise, 0.3),
            Image.blend(down, noise, 0.2),
            Image.blend(down, across, 0.5),
        ),
    )
    buffer = BytesIO()
    picture.save(buffer, "JPEG", quality=90)
    image = clean_image(buffer.getvalue())
    article.lead_image = default_storage.save(
        f"lead/audit/{image.filename()}", ContentFile(image.content)
    )
    article.lead_image_alt = "صورة للاختبار"
    article_save(article=article)
