"""Form helpers: USWDS classes on Django widgets, so templates stay plain."""

from __future__ import annotations

from typing import Any

from django import forms

WIDGET_CLASSES = {
    forms.CheckboxInput: "usa-checkbox__input",
    forms.Select: "usa-select",
    forms.SelectMultiple: "usa-select",
    forms.Textarea: "usa-textarea",
    forms.FileInput: "usa-file-input",
    forms.ClearableFileInput: "usa-file-input",
}


class USWDSFormMixin:
    """Adds USWDS classes to every widget and marks fields in error for screen readers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            widget = field.widget
            css = "usa-input"
            for widget_type, widget_css in WIDGET_CLASSES.items():
                if isinstance(widget, widget_type):
                    css = widget_css
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                continue
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
            if self.is_bound and name in self.errors:  # type: ignore[attr-defined]
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["class"] += " usa-input--error"


class Form(USWDSFormMixin, forms.Form):
    pass


class ModelForm(USWDSFormMixin, forms.ModelForm):
    pass
