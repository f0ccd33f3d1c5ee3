"""Forms of the marketplace, the responses and the deals of a project's cabinet (cabinets/views/market.py)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from offers.attachments import MESSAGE_ATTACHMENTS
from portal.forms import BootstrapFormMixin, MultipleFileField, MultipleFileInput
from portal.uploads import check_files

MAX_REACH = 100_000_000


def _required_text(value: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise forms.ValidationError(message)
    return value


class ResponseForm(BootstrapFormMixin, forms.Form):
    """A partner's offer to bring clients to a lot: `offers.services.response_submit`."""

    channels = forms.CharField(
        label=_("How and where you will advertise the lot"),
        max_length=2000,
        error_messages={"required": _("Say how and where you will advertise the lot.")},
        help_text=_("Your channels: the counter, social networks, a mailing, a partner event…"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
    )
    expected_reach = forms.IntegerField(
        label=_("Expected reach, people"),
        required=False,
        min_value=1,
        max_value=MAX_REACH,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    proposed_start = forms.DateField(
        label=_("Proposed start"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, lot=None, **kwargs):
        self.lot = lot  # before the mixin's __init__, which validates a bound form
        super().__init__(*args, **kwargs)

    def clean_channels(self):
        return _required_text(self.cleaned_data["channels"], _("Say how and where you will advertise the lot."))

    def clean_proposed_start(self):
        start = self.cleaned_data["proposed_start"]
        if start is None:
            return start
        if start < timezone.localdate():
            raise forms.ValidationError(_("The proposed start is in the past."))
        if self.lot is not None and start > self.lot.valid_until:
            raise forms.ValidationError(
                _("The lot is valid until %(date)s: propose a start before then.")
                % {"date": date_format(self.lot.valid_until, "SHORT_DATE_FORMAT")}
            )
        return start

    def service_data(self) -> dict:
        return {key: self.cleaned_data[key] for key in ("channels", "expected_reach", "proposed_start")}


class ReasonForm(BootstrapFormMixin, forms.Form):
    """A required reason: rejecting a response, cancelling a deal."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        error_messages={"required": _("Give the reason.")},
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
    )

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label

    def clean_reason(self):
        return _required_text(self.cleaned_data["reason"], _("Give the reason."))


class DealMessageForm(BootstrapFormMixin, forms.Form):
    """A message of a deal's thread: text, files (`offers.attachments.MESSAGE_ATTACHMENTS`), or both."""

    body = forms.CharField(
        label=_("Message"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 5000}),
    )
    files = MultipleFileField(
        label=_("Attach files"),
        help_text=MESSAGE_ATTACHMENTS.help_text,
        widget=MultipleFileInput(attrs={"accept": MESSAGE_ATTACHMENTS.accept}),
    )

    def clean_body(self):
        return (self.cleaned_data["body"] or "").strip()

    def clean(self):
        data = super().clean()
        files = data.get("files") or []
        if files:
            try:
                data["files"] = check_files(files, MESSAGE_ATTACHMENTS)
            except forms.ValidationError as refused:
                self.add_error("files", refused)
        elif "body" in data and not data["body"]:
            self.add_error("body", _("Write a message."))
        return data
