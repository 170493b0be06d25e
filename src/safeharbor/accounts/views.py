"""Sign-in steps and self-service account pages. Thin: forms in, services do the work."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeharbor.core.forms import apply_errors

from . import services
from .forms import CodeForm, EnrolForm, LanguageForm, ReauthForm, SetPasswordForm, SignInForm
from .models import User

NEXT = "sh_next"
REAUTH_AT = "sh_reauth_at"


def _safe_next(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(value, {request.get_host()}, require_https=False):
        return value
    return reverse("core:home")


@never_cache
@sensitive_post_parameters("password")
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.user.is_verified():
        return redirect("core:home")
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.password_sign_in(
                request=request,
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
            )
        except services.SignInRefused as refused:
            form.add_error(None, str(refused))
        else:
            request.session[NEXT] = _safe_next(request, request.GET.get("next"))
            if services.has_confirmed_totp(user):
                return redirect("accounts:code")
            return redirect("accounts:enrol")
    return render(request, "accounts/sign_in.html", {"form": form})


@never_cache
@sensitive_post_parameters("code")
def code_step(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if request.user.is_verified():
        return redirect("accounts:notice")
    if not services.has_confirmed_totp(request.user):
        return redirect("accounts:enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.verify_code(request=request, user=request.user, code=form.cleaned_data["code"])
        except services.SignInRefused as refused:
            if not request.user.is_authenticated:
                messages.error(request, services.GENERIC_SIGN_IN_ERROR)
                return redirect("accounts:login")
            form.add_error("code", str(refused))
        else:
            return redirect("accounts:notice")
    return render(request, "accounts/code.html", {"form": form})


def _totp_qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, omitsize=True)


@never_cache
@sensitive_post_parameters("code")
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app. Reached right after the password step when the account
    has none, or from the account page after re-entering the password."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    has_device = services.has_confirmed_totp(request.user)
    if has_device and not _recently_reauthenticated(request):
        return redirect("accounts:code" if not request.user.is_verified() else "accounts:account")
    form = EnrolForm(request.POST or None)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("-id").first()
    if request.method == "POST" and form.is_valid() and device is not None:
        try:
            codes = services.totp_enrolment_confirm(
                request=request, user=request.user, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error.messages[0])
        else:
            request.session.pop(REAUTH_AT, None)
            return render(request, "accounts/backup_codes.html", {"codes": codes, "fresh": True})
    if device is None or request.method == "GET":
        device = services.totp_enrolment_start(user=request.user)
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return render(
        request,
        "accounts/enrol.html",
        {"form": form, "qr_svg": _totp_qr_svg(device), "secret": secret},
    )


@never_cache
def notice(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if not request.user.is_verified():
        return redirect("accounts:code")
    if request.method == "POST":
        if request.POST.get("acknowledge") == "yes":
            services.notice_acknowledge(request=request, user=request.user)
            return HttpResponseRedirect(request.session.pop(NEXT, reverse("core:home")))
        messages.error(request, _("You need to accept the notice to use the system."))
    return render(request, "accounts/notice.html")


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    services.sign_out(request=request, everywhere=True)
    messages.success(request, _("You are signed out."))
    return redirect("accounts:login")


@never_cache
@sensitive_post_parameters("password1", "password2")
def set_password_link(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """One-time link from an invitation or a password reset."""
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    form = SetPasswordForm(request.POST or None)
    if user is None:
        return render(request, "accounts/link_invalid.html", status=400)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(
                user=user, token=token, password=form.cleaned_data["password1"]
            )
        except ValidationError as error:
            form.add_error("password1", error.messages[0] if error.messages else str(error))
            if not services.PasswordResetTokenGenerator().check_token(user, token):
                return render(request, "accounts/link_invalid.html", status=400)
        else:
            messages.success(request, _("Your password is set. Sign in to continue."))
            return redirect("accounts:login")
    elif not services.PasswordResetTokenGenerator().check_token(user, token):
        return render(request, "accounts/link_invalid.html", status=400)
    return render(request, "accounts/set_password.html", {"form": form})


@never_cache
def password_reset(request: HttpRequest) -> HttpResponse:
    from django import forms

    class ResetForm(SignInForm):
        password = None  # type: ignore[assignment]

    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_reset_request(email=form.cleaned_data["email"])
        return render(request, "accounts/password_reset_sent.html")
    del forms
    return render(request, "accounts/password_reset.html", {"form": form})


# The staff account page -------------------------------------------------------------------


def _recently_reauthenticated(request: HttpRequest) -> bool:
    from django.utils import timezone

    at = request.session.get(REAUTH_AT)
    return at is not None and timezone.now().timestamp() - at < 300


def _account_context(request: HttpRequest, **extra: object) -> dict[str, object]:
    membership = request.membership
    return {
        "memberships": request.user.active_memberships(),
        "password_form": SetPasswordForm(),
        "reauth_form": ReauthForm(),
        "language_form": LanguageForm(initial={"language": request.user.preferred_language}),
        "can_admin": membership is not None and membership.has_perm("accounts.user.change"),
        **extra,
    }


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html", _account_context(request))


@login_required
@require_POST
def change_language(request: HttpRequest) -> HttpResponse:
    """The person's own language for staff pages; the next page is drawn in it."""
    form = LanguageForm(request.POST)
    if form.is_valid():
        try:
            services.user_set_language(user=request.user, language=form.cleaned_data["language"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            with translation.override(request.user.preferred_language):
                messages.success(request, _("Your language is saved."))
            return redirect("accounts:account")
    return render(
        request, "accounts/account.html", _account_context(request, language_form=form), status=400
    )


@login_required
@require_POST
@sensitive_post_parameters("password1", "password2")
def change_password(request: HttpRequest) -> HttpResponse:
    form = SetPasswordForm(request.POST)
    if form.is_valid():
        try:
            services.password_change(user=request.user, new_password=form.cleaned_data["password1"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error("password1", message)
        else:
            messages.success(
                request, _("Your password is changed. Other sessions were signed out.")
            )
            update_session_auth_hash(request, request.user)
            request.session[services.SESSION_EPOCH] = request.user.session_epoch
            return redirect("accounts:account")
    return render(
        request, "accounts/account.html", _account_context(request, password_form=form), status=400
    )


@login_required
@require_POST
@sensitive_post_parameters("password")
def reenrol(request: HttpRequest) -> HttpResponse:
    """Re-enter the password, then set up a new authenticator (or new backup codes)."""
    form = ReauthForm(request.POST)
    if form.is_valid() and request.user.check_password(form.cleaned_data["password"]):
        from django.utils import timezone

        request.session[REAUTH_AT] = timezone.now().timestamp()
        if request.POST.get("what") == "backup":
            codes = services.backup_codes_regenerate(user=request.user)
            return render(request, "accounts/backup_codes.html", {"codes": codes, "fresh": True})
        return redirect("accounts:enrol")
    messages.error(request, _("That password did not match. Nothing was changed."))
    return redirect("accounts:account")


@login_required
@require_POST
def switch_membership(request: HttpRequest) -> HttpResponse:
    try:
        services.select_membership(
            request=request, user=request.user, membership_id=int(request.POST.get("membership", 0))
        )
    except (ValueError, services.PermissionDenied):
        messages.error(request, _("That role is not available to you."))
    return redirect("core:home")
