"""``safeharbor create-admin``: the first administrator of a new deployment.

Creates the agency if needed and an administrator account without a password, then prints a
one-time link to set one (and mails it). Everyone else is invited from the staff pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from safeharbor.accounts import services
from safeharbor.accounts.choices import AgencyKind
from safeharbor.accounts.models import Agency, Membership, Role, User
from safeharbor.audit.choices import ActorKind, AuditAction
from safeharbor.audit.services import audit_record


class Command(BaseCommand):
    help = "Create the first administrator and print a one-time link to set the password."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True, help="The administrator's full name.")
        parser.add_argument("--agency", required=True, help="Agency short name (slug).")
        parser.add_argument("--agency-name", help="Full agency name, if the agency is new.")
        parser.add_argument(
            "--agency-kind", default=AgencyKind.CITY, choices=[k.value for k in AgencyKind]
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"An account with the email {email} already exists.")
        with transaction.atomic():
            agency = Agency.objects.filter(slug=options["agency"]).first()
            if agency is None:
                if not options["agency_name"]:
                    raise CommandError("That agency does not exist yet: give --agency-name too.")
                agency = Agency(
                    slug=options["agency"], name=options["agency_name"], kind=options["agency_kind"]
                )
                try:
                    agency.full_clean()
                except ValidationError as error:
                    raise CommandError("; ".join(error.messages)) from error
                agency.save()
                audit_record(action=AuditAction.CREATE, actor=ActorKind.SYSTEM, obj=agency)
            user = User.objects.create_user(email=email, password=None, full_name=options["name"])
            membership = Membership.objects.create(
                user=user, agency=agency, role=Role.objects.get(slug="admin")
            )
            audit_record(
                action=AuditAction.CREATE,
                actor=ActorKind.SYSTEM,
                obj=user,
                agency_id=agency.pk,
                fields=["email", "full_name"],
                reason="first_admin",
            )
            audit_record(
                action=AuditAction.PERMISSION_CHANGE,
                actor=ActorKind.SYSTEM,
                obj=membership,
                agency_id=agency.pk,
                fields=["role"],
            )
        self.stdout.write(f"Administrator {email} created in {agency.name}.")
        self.stdout.write("Set the password with this one-time link (valid for a limited time):")
        self.stdout.write(services.invite_link(user))
