"""Administration pages: users (invite, unlock, enable, memberships), agencies, programs and
API tokens. Only memberships whose role allows ``accounts.user.change`` reach them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safeharbor.core.forms import apply_errors

from . import services
from .forms import AgencyForm, InviteForm, MembershipForm, ProgramForm, TokenForm, UserSearchForm
from .models import Agency, ApiToken, Membership, Program, User


def admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        membership = getattr(request, "membership", None)
        if membership is None or not membership.has_perm("accounts.user.change"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@admin_required
def user_list(request: HttpRequest) -> HttpResponse:
    search = UserSearchForm(request.GET or None)
    users = User.objects.prefetch_related("memberships__agency", "memberships__role")
    if search.is_valid() and search.cleaned_data["q"]:
        q = search.cleaned_data["q"]
        users = users.filter(Q(full_name__icontains=q) | Q(email__icontains=q))
    return render(
        request, "accounts/admin/user_list.html", {"users": users[:200], "search": search}
    )


@admin_required
def user_invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_invite(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Invitation sent. The link works once and expires."))
            return redirect("accounts:admin-user", pk=user.pk)
    return render(
        request,
        "accounts/admin/form.html",
        {"form": form, "title": _("Invite a staff member"), "submit": _("Send invitation")},
    )


@admin_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subject = get_object_or_404(User, pk=pk)
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_save(actor=request.user, user=subject, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Role added."))
            return redirect("accounts:admin-user", pk=subject.pk)
    memberships = subject.memberships.select_related("agency", "role")
    return render(
        request,
        "accounts/admin/user_detail.html",
        {"subject": subject, "memberships": memberships, "form": form},
    )


@admin_required
@require_POST
def user_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    subject = get_object_or_404(User, pk=pk)
    try:
        if action == "unlock":
            services.user_unlock(actor=request.user, user=subject)
            messages.success(request, _("The account is unlocked."))
        elif action == "disable":
            services.user_set_active(
                actor=request.user,
                user=subject,
                active=False,
                reason=request.POST.get("reason", "")[:200],
            )
            messages.success(request, _("The account is disabled and its sessions ended."))
        elif action == "enable":
            services.user_set_active(actor=request.user, user=subject, active=True)
            messages.success(request, _("The account is enabled."))
        else:
            raise PermissionDenied
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("accounts:admin-user", pk=subject.pk)


@admin_required
def membership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk)
    form = MembershipForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.membership_save(
                actor=request.user, user=membership.user, membership=membership, **data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Role changed. It applies from the person's next sign-in."))
            return redirect("accounts:admin-user", pk=membership.user_id)
    return render(
        request,
        "accounts/admin/form.html",
        {"form": form, "title": _("Change role"), "submit": _("Save")},
    )


def _edit(
    request: HttpRequest,
    form_class: Any,
    instance: Any,
    save: Callable[..., Any],
    title: str,
    done: str,
) -> HttpResponse:
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            save(
                actor=request.user,
                changed=list(form.changed_data),
                **{form_class._meta.model._meta.model_name: form.instance},
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(done)
    return render(
        request, "accounts/admin/form.html", {"form": form, "title": title, "submit": _("Save")}
    )


@admin_required
def agency_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/admin/agency_list.html",
        {
            "agencies": Agency.objects.select_related("designated_program"),
            "programs": Program.objects.select_related("agency"),
        },
    )


@admin_required
def agency_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(Agency, pk=pk) if pk else None
    return _edit(
        request, AgencyForm, instance, services.agency_save, _("Agency"), "accounts:admin-agencies"
    )


@admin_required
def program_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(Program, pk=pk) if pk else None
    return _edit(
        request,
        ProgramForm,
        instance,
        services.program_save,
        _("Program"),
        "accounts:admin-agencies",
    )


@admin_required
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        expires = timezone.make_aware(
            datetime.combine(form.cleaned_data["expires_on"], time(23, 59))
        )
        try:
            issued = services.api_token_create(
                actor=request.user,
                membership=form.cleaned_data["membership"],
                name=form.cleaned_data["name"],
                expires_at=expires,
            )
        except ValidationError as error:
            form.add_error("expires_on", error.messages)
        else:
            form = TokenForm()
    tokens = ApiToken.objects.select_related(
        "membership__user", "membership__agency", "membership__role"
    )
    return render(
        request,
        "accounts/admin/token_list.html",
        {"form": form, "tokens": tokens, "issued": issued},
    )


@admin_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    services.api_token_revoke(actor=request.user, token=get_object_or_404(ApiToken, pk=pk))
    messages.success(request, _("The token is revoked and stops working at once."))
    return redirect("accounts:admin-tokens")
