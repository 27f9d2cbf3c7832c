from django.conf import settings
from django.contrib import admin

from .otp import StaffLoginForm, two_factor_urls


class NewsroomAdminSite(admin.AdminSite):
    """The admin, titled with the newspaper's name (read per request, not at import)."""

    index_title = "غرفة الأخبار"
    # Password, plus a TOTP code for staff who set one up (core/otp.py).
    login_form = StaffLoginForm

    @property
    def site_header(self):
        return settings.NEWSPAPER_NAME

    @property
    def site_title(self):
        return settings.NEWSPAPER_NAME

    def get_urls(self):
        # Every member of staff's own two-factor pages (core/otp.py), before the models' URLs.
        return two_factor_urls(self) + super().get_urls()
