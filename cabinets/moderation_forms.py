"""The forms of the staff lot card: what to change, why a lot is rejected, why staff close it.

Each says what it needs when it is left empty (spaces only are empty too: Django strips them); the services
check again. A prefix each, as the three sit on one page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import BootstrapFormMixin

MAX_COMMENT = 2000  # LotRevision.comment, LotStatusChange.comment
TOLD_AS_WRITTEN = _("The project's representatives receive it as written.")


def _text_field(label, help_text, empty_message):
    return forms.CharField(
        label=label,
        max_length=MAX_COMMENT,
        help_text=help_text,
        error_messages={"required": empty_message},
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_COMMENT}),
    )


class RequestChangesForm(BootstrapFormMixin, forms.Form):
    prefix = "changes"
    comment = _text_field(_("What should change"), TOLD_AS_WRITTEN, _("Say what the owner should change."))


class RejectForm(BootstrapFormMixin, forms.Form):
    prefix = "reject"
    reason = _text_field(_("Reason"), TOLD_AS_WRITTEN, _("Give the reason for the rejection."))


class CloseForm(BootstrapFormMixin, forms.Form):
    prefix = "close"
    comment = _text_field(
        _("Why the lot is closed"),
        _("Kept in the lot's history, which its owner sees."),
        _("Say why Misty closes the lot."),
    )
