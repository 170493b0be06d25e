"""Forms of the privacy-preserving round pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safeharbor.accounts.models import Agency
from safeharbor.core.forms import Form

from .document import SOURCE_PATTERN

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class RoundForm(Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    key_fingerprint = forms.RegexField(
        label=_("Key check value"),
        regex=r"^[0-9a-f]{16}$",
        help_text=_(
            "16 characters printed by 'safeharbor encode' when the agencies' shared key is "
            "used. The key itself never comes to the platform."
        ),
        error_messages={"invalid": _("Use the 16 characters (0-9, a-f) the encoder printed.")},
    )
    invited = forms.ModelMultipleChoiceField(
        label=_("Agencies taking part"),
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, own_agency: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["invited"].queryset = (
            Agency.objects.filter(is_active=True).exclude(pk=own_agency.pk).order_by("name")
        )


class UploadForm(Form):
    file = forms.FileField(
        label=_("Encodings file"),
        help_text=_("The JSON file 'safeharbor encode' wrote on your agency's computer."),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 200 MB."))
        return upload.read()


class PlatformEncodeForm(Form):
    key = forms.CharField(
        label=_("Shared key"),
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Used once to encode your agency's records here, then forgotten: never saved."),
    )
    source_label = forms.RegexField(
        label=_("Name of your records in the round"),
        regex=rf"^{SOURCE_PATTERN.pattern}$",
        max_length=80,
        error_messages={"invalid": _("Letters, digits, spaces, dots, dashes or underscores.")},
    )
