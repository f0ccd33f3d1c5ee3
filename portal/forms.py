from django import forms


class BootstrapFormMixin:
    """Gives every widget its Bootstrap class and marks invalid fields, so templates stay plain."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            if self.is_bound and name in self.errors:
                css += " is-invalid"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class MultipleFileInput(forms.FileInput):
    """`<input type="file" multiple>`: several files in one plain form, no script needed."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several uploaded files as a list (empty when none). Only presence is checked here: the files are judged
    by `portal.uploads.check_files` in the form's `clean`, against its policy (docs/RECIPES.md "Add an upload")."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        files = [file for file in files if file]
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return files

    def bound_data(self, data, initial):
        return []  # a browser never takes files back: a form shown again asks for them again
