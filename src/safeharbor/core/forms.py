"""Form helpers: USWDS classes on Django widgets, so templates stay plain."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

WIDGET_CLASSES = {
    forms.CheckboxInput: "usa-checkbox__input",
    forms.Select: "usa-select",
    forms.SelectMultiple: "usa-select",
    forms.Textarea: "usa-textarea",
    forms.FileInput: "usa-file-input",
    forms.ClearableFileInput: "usa-file-input",
}


class USWDSFormMixin:
    """Adds USWDS classes to every widget."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            css = "usa-input"
            for widget_type, widget_css in WIDGET_CLASSES.items():
                if isinstance(widget, widget_type):
                    css = widget_css
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                continue
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
        # Fields in error get aria-invalid from Django itself when rendered; nothing here may
        # touch ``self.errors``, which would validate the form before subclasses finish
        # setting up (for example narrowing a field's choices).


class Form(USWDSFormMixin, forms.Form):
    pass


class ModelForm(USWDSFormMixin, forms.ModelForm):
    pass


def apply_errors(form: Any, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form: on the field it names where the form
    has that field, otherwise at the top of the form, so the person sees why nothing changed."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
