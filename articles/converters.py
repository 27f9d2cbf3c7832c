class UnicodeSlugConverter:
    """Match slugs made by ``slugify(..., allow_unicode=True)``: Django's <slug:> is ASCII-only."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
