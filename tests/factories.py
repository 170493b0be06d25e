"""factory_boy factories for the foundation. All data is synthetic."""

from __future__ import annotations

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeharbor.accounts.choices import AgencyKind, ProgramKind
from safeharbor.accounts.models import Agency, Membership, Program, Role, User

PASSWORD = "correct-horse-battery-9"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Test Agency {n}")
    slug = factory.Sequence(lambda n: f"test-agency-{n}")
    kind = AgencyKind.VICTIM_SERVICE_PROVIDER


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Test Program {n}")
    slug = factory.Sequence(lambda n: f"test-program-{n}")
    kind = ProgramKind.SURVIVOR_SERVICES


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@staff.example")
    full_name = factory.Sequence(lambda n: f"Staff Member {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def role(slug: str) -> Role:
    return Role.objects.get(slug=slug)


def membership(user: User, agency: Agency, role_slug: str, **extra) -> Membership:
    return Membership.objects.create(user=user, agency=agency, role=role(role_slug), **extra)


def totp_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
