from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeharbor.core.forms import Form, ModelForm

from .choices import Language, Scope
from .models import Agency, Membership, Program, Role, User


class SignInForm(Form):
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class LanguageForm(Form):
    language = forms.ChoiceField(
        label=_("Language for your staff pages"),
        choices=Language.choices,
        widget=forms.RadioSelect,
    )


class CodeForm(Form):
    code = forms.CharField(
        label=_("One-time code"),
        max_length=20,
        help_text=_("The 6-digit code from your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class EnrolForm(Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ReauthForm(Form):
    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class SetPasswordForm(Form):
    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters. A long phrase is easiest to remember."),
    )
    password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords are not the same."))
        return data


class InviteForm(Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.filter(is_active=True)
    )
    role = forms.ModelChoiceField(label=_("Role"), queryset=Role.objects.all())
    scope = forms.ChoiceField(
        label=_("Scope"), required=False, choices=[("", _("The role's default")), *Scope.choices]
    )


class MembershipForm(ModelForm):
    class Meta:
        model = Membership
        fields = ["agency", "role", "scope", "is_active"]


class AgencyForm(ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "slug", "kind", "vawa_covered", "designated_program", "is_active"]


class ProgramForm(ModelForm):
    class Meta:
        model = Program
        fields = ["agency", "name", "slug", "kind", "description", "is_active"]


class TokenForm(Form):
    name = forms.CharField(label=_("What the token is for"), max_length=100)
    membership = forms.ModelChoiceField(label=_("Acts as"), queryset=Membership.objects.none())
    expires_on = forms.DateField(
        label=_("Expires on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = Membership.objects.filter(
            is_active=True, user__is_active=True
        ).select_related("user", "agency", "role")
        if not self.is_bound:
            self.initial["expires_on"] = (timezone.now() + timedelta(days=90)).date()


class UserSearchForm(Form):
    q = forms.CharField(label=_("Name or email"), required=False, max_length=100)


def user_label(user: User) -> str:
    return f"{user.full_name} <{user.email}>"
