"""Two-factor login for staff (django-otp): TOTP apps enrolled by their owners, recovery codes.

- The login form (StaffLoginForm) asks for a code only from staff who have a confirmed device;
  the code may be the authenticator app's six digits or one of the person's recovery codes,
  each of which works once (django-otp's static tokens are deleted when used). A wrong or
  missing code counts as a failed login, so django-axes locks out code guessing too.
- Staff enrol themselves under «التحقق بخطوتين» in the admin (two_factor_enrol): a QR code
  drawn by segno, confirmed with a first code; then ten recovery codes are shown once.
- OTP_REQUIRED_GROUPS (from OTP_REQUIRED_FOR, e.g. admin,editor) makes it compulsory for those
  roles: until their session is verified by a code, TwoFactorRequiredMiddleware sends them to
  the enrolment page and lets them reach nothing else but logging out.
"""

import base64

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "تطبيق المصادقة"
RECOVERY_DEVICE_NAME = "رموز الاسترداد"


def _clean_code(value):
    return "".join((value or "").split()).lower()


class StaffLoginForm(AdminAuthenticationForm):
    otp_token = forms.CharField(
        label="رمز التحقق",
        required=False,
        max_length=16,
        help_text=(
            "لمن فعّل التحقق بخطوتين: الرمز المكوّن من ستة أرقام في تطبيق المصادقة، "
            "أو أحد رموز الاسترداد (يصلح كل منها مرة واحدة)."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "dir": "ltr"}),
    )

    def clean(self):
        cleaned = super().clean()
        user = self.user_cache
        if user is None or not any(devices_for_user(user, confirmed=True)):
            return cleaned
        token = _clean_code(cleaned.get("otp_token"))
        device = match_token(user, token) if token else None
        if device is None:
            # Counted like a wrong password, so django-axes locks out code guessing too.
            user_login_failed.send(
                sender=__name__,
                credentials={"username": cleaned.get("username")},
                request=self.request,
            )
            raise forms.ValidationError(
                "رمز التحقق مطلوب لهذا الحساب، أو أن الرمز المكتوب غير صحيح أو انتهت مدته "
                "أو استُعمل من قبل.",
                code="otp_invalid",
            )
        user.otp_device = device  # django-otp marks the session verified on login
        return cleaned


def requires_two_factor(user):
    """Whether OTP_REQUIRED_GROUPS makes two-factor login compulsory for this staff member."""
    groups = settings.OTP_REQUIRED_GROUPS
    if not (groups and user.is_authenticated and user.is_staff):
        return False
    if user.is_superuser and settings.OTP_REQUIRED_FOR_SUPERUSERS:
        return True
    return user.groups.filter(name__in=groups).exists()


class TwoFactorRequiredMiddleware:
    """Staff who must use two-factor login reach only the enrolment page until they have.

    After django-otp's OTPMiddleware (which sets ``request.user.is_verified``). A session counts
    once a code verified it: at login, or by confirming a new device on the enrolment page.
    """

    # URL names (in the admin's namespace) left open: enrolling, and leaving.
    OPEN = ("two_factor_enrol", "logout", "login", "jsi18n")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.OTP_REQUIRED_GROUPS
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not self._is_open(request.path)
            and requires_two_factor(user)
        ):
            return HttpResponseRedirect(reverse("admin:two_factor_enrol"))
        return self.get_response(request)

    def _is_open(self, path):
        if path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
            return True
        return any(path == reverse(f"admin:{name}") for name in self.OPEN)


def _key_for_people(device):
    """The secret as the base32 text authenticator apps accept when typed in, in groups of four
    (the apps ignore the spaces) so it can be copied by eye."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[start : start + 4] for start in range(0, len(key), 4))


def _qr_code(device):
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def new_recovery_codes(user):
    """Replace the user's recovery codes with fresh ones, and return them (shown only once)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": RECOVERY_DEVICE_NAME, "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _recovery_page(request, site, codes):
    context = {
        **site.each_context(request),
        "title": "رموز الاسترداد",
        "codes": codes,
    }
    return TemplateResponse(request, "admin/otp/recovery_codes.html", context)


class ConfirmForm(forms.Form):
    code = forms.CharField(
        label="الرمز الذي يعرضه التطبيق الآن",
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "dir": "ltr"}
        ),
    )


def two_factor(request, site):
    """The staff member's own two-factor page: what is set up, and what to do next."""
    context = {
        **site.each_context(request),
        "title": "التحقق بخطوتين",
        "app_devices": TOTPDevice.objects.filter(user=request.user, confirmed=True),
        "recovery_left": StaticToken.objects.filter(device__user=request.user).count(),
        "required": requires_two_factor(request.user),
        "verified": request.user.is_verified(),
    }
    return TemplateResponse(request, "admin/otp/two_factor.html", context)


def two_factor_enrol(request, site):
    """Scan the QR code, confirm with the first code: the device is on, the session verified."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=APP_DEVICE_NAME, confirmed=False)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(_clean_code(form.cleaned_data["code"])):
            device.confirmed = True
            device.save()
            # A new phone replaces the old one: one app per person.
            TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
            otp_login(request, device)
            messages.success(request, "فُعّل التحقق بخطوتين. احفظ رموز الاسترداد الآن.")
            return _recovery_page(request, site, new_recovery_codes(request.user))
        form.add_error(
            "code",
            "الرمز غير صحيح: اكتب الرمز الظاهر الآن في التطبيق (يتجدد كل ثلاثين ثانية) "
            "وتأكد أن وقت الهاتف مضبوط.",
        )
    context = {
        **site.each_context(request),
        "title": "تفعيل التحقق بخطوتين",
        "form": form,
        "qr_code": _qr_code(device),
        "key": _key_for_people(device),
        "required": requires_two_factor(request.user),
        "replacing": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
        "issuer": settings.OTP_TOTP_ISSUER,
    }
    return TemplateResponse(request, "admin/otp/enrol.html", context)


@require_POST
def two_factor_recovery(request, site):
    """New recovery codes (the old ones stop working), for a session verified by a code."""
    if not request.user.is_verified():
        messages.error(request, "فعّل التحقق بخطوتين أولًا، ثم اطلب رموز الاسترداد.")
        return redirect("admin:two_factor")
    return _recovery_page(request, site, new_recovery_codes(request.user))


def two_factor_urls(site):
    """The admin URLs of the two-factor pages (NewsroomAdminSite.get_urls)."""

    def view(function):
        return site.admin_view(lambda request: function(request, site))

    return [
        path("two-factor/", view(two_factor), name="two_factor"),
        path("two-factor/enrol/", view(two_factor_enrol), name="two_factor_enrol"),
        path("two-factor/recovery/", view(two_factor_recovery), name="two_factor_recovery"),
    ]
