"""`manage.py invite_user`: the staff page's invitation from the shell, on behalf of a named administrator."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import translation

from accounts.models import User, UserStatus
from auditlog.models import AuditEvent
from projects.models import Membership


@pytest.fixture(autouse=True)
def _english_and_emails_sent_on_commit(monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
    with translation.override("en"):
        yield


def invite(*args, **options):
    call_command("invite_user", *args, **options)


def test_an_administrator_invites_a_representative_of_two_projects(admin, project_a, project_b, capsys):
    invite(
        "Nina@Alpha.example",
        by="ADMIN@misty.example",
        first_name="Nina",
        last_name="Petrova",
        project=["alpha", "beta:viewer"],
    )
    person = User.objects.get(email="nina@alpha.example")
    assert (person.status, person.invited_by, person.full_name) == (UserStatus.INVITED, admin, "Nina Petrova")
    assert dict(Membership.objects.filter(user=person).values_list("project__slug", "right")) == {
        "alpha": "manager",
        "beta": "viewer",
    }
    assert AuditEvent.objects.get(event="accounts.user.invited").actor == admin
    assert mail.outbox[-1].to == ["nina@alpha.example"]
    assert "Invited nina@alpha.example" in capsys.readouterr().out


def test_staff_are_invited_without_projects(admin):
    invite("mod@misty.example", by=admin.email, first_name="Max", role="moderator")
    assert User.objects.get(email="mod@misty.example").role == "moderator"


@pytest.mark.parametrize(
    "args,options,message",
    [
        (["x@x.example"], {"by": "nobody@x.example", "first_name": "X", "project": ["alpha"]}, "no account"),
        (["x@x.example"], {"by": "director@misty.example", "first_name": "X", "project": ["alpha"]}, "administrator"),
        (["x@x.example"], {"by": "admin@misty.example", "first_name": "X", "project": ["nope"]}, "unknown project"),
        (["x@x.example"], {"by": "admin@misty.example", "first_name": "X", "project": ["alpha:owner"]}, "right"),
        (["x@x.example"], {"by": "admin@misty.example", "first_name": "X"}, "needs at least one project"),
        (["rep@alpha.example"], {"by": "admin@misty.example", "first_name": "X", "project": ["alpha"]}, "already"),
        (["x@x.example"], {"by": "admin@misty.example", "first_name": "X", "time_zone": "Mars/Base"}, "time zone"),
    ],
    ids=["unknown-admin", "not-an-admin", "unknown-project", "unknown-right", "no-project", "email-in-use", "zone"],
)
def test_clear_errors_and_nothing_created(args, options, message, personas):
    before = User.objects.count()
    with pytest.raises(CommandError, match=message):
        invite(*args, **options)
    assert User.objects.count() == before and not mail.outbox
