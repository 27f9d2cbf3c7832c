"""Optional two-factor login for staff (TOTP, django-otp).

A staff member who has a confirmed TOTP device (added by an admin under «OTP_TOTP → TOTP
devices», scanned from its QR code into an authenticator app) must give the current six-digit
code with the password; everyone else logs in with the password alone. django-otp's own form
asks every user for a code, so this form asks only those who have set one up.
"""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django_otp import devices_for_user, match_token


class StaffLoginForm(AdminAuthenticationForm):
    otp_token = forms.CharField(
        label="رمز التحقق",
        required=False,
        max_length=16,
        help_text="لمن فعّل التحقق بخطوتين: الرمز المكوّن من ستة أرقام في تطبيق المصادقة.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        cleaned = super().clean()
        user = self.user_cache
        if user is None or not any(devices_for_user(user, confirmed=True)):
            return cleaned
        token = "".join(cleaned.get("otp_token", "").split())
        device = match_token(user, token) if token else None
        if device is None:
            # Counted like a wrong password, so django-axes locks out code guessing too.
            user_login_failed.send(
                sender=__name__,
                credentials={"username": cleaned.get("username")},
                request=self.request,
            )
            raise forms.ValidationError(
                "رمز التحقق مطلوب لهذا الحساب، أو أن الرمز المكتوب غير صحيح أو انتهت مدته.",
                code="otp_invalid",
            )
        user.otp_device = device  # django-otp marks the session verified on login
        return cleaned
