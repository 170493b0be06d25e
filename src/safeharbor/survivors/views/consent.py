"""Consent: record, view, revoke. Consent is never a condition of service: no other page
asks for it."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safeharbor.core.http import StaffRequest

from .. import access, services
from ..choices import ConsentStatus, SignerRole
from ..forms import ConsentForm, RevokeForm
from ..models import Consent, Person
from ._base import apply_errors, area_required, get_visible


@area_required
@require_http_methods(["GET", "POST"])
def consent_create(request: StaffRequest, pk: int) -> HttpResponse:
    person = get_visible(request, Person.objects.all(), pk)
    today = timezone.localdate()
    max_days = services.consent_max_days(person.agency_id)
    form = ConsentForm(
        request.POST or None,
        request.FILES or None,
        agency_id=person.agency_id,
        initial={
            "signed_on": today,
            "expires_on": today + datetime.timedelta(days=max_days),
            "signer1_role": SignerRole.PERSON,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent = services.consent_record(
                membership=request.membership,
                person=person,
                recipient_agencies=list(data["recipient_agencies"]),
                recipient_programs=list(data["recipient_programs"]),
                categories=data["categories"],
                purpose=data["purpose"],
                purpose_detail=data["purpose_detail"],
                signed_on=data["signed_on"],
                expires_on=data["expires_on"],
                signers=[services.SignerInput(*s) for s in form.signers()],
                signed_form_upload=data["signed_form"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("survivors:consent-detail", pk=consent.pk)
    return render(
        request,
        "survivors/consent_form.html",
        {"form": form, "person": person, "max_days": max_days},
        status=400 if form.is_bound and form.errors else 200,
    )


@area_required
def consent_detail(request: StaffRequest, pk: int) -> HttpResponse:
    consent = get_visible(
        request,
        Consent.objects.select_related(
            "person", "recorded_by", "revoked_by", "signed_form"
        ).prefetch_related("recipient_agencies", "recipient_programs__agency", "signers"),
        pk,
    )
    access.record_view(request.membership, consent)
    return render(
        request,
        "survivors/consent_detail.html",
        {
            "consent": consent,
            "person": consent.person,
            "revoke_form": RevokeForm(),
            "can_revoke": consent.status == ConsentStatus.ACTIVE
            and access.can(request.membership, "change", consent),
            "show_identity": "identity" in access.categories(request.membership, consent.person),
        },
    )


@area_required
@require_http_methods(["POST"])
def consent_revoke(request: StaffRequest, pk: int) -> HttpResponse:
    consent = get_visible(request, Consent.objects.all(), pk, "change")
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.consent_revoke(
                membership=request.membership, consent=consent, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("survivors:consent-detail", pk=consent.pk)
