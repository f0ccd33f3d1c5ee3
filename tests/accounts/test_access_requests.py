"""Access requests: filing one (merged while open), approving it (the person is invited with the project and
right chosen), declining it (the requester is emailed the reason in the language they asked in), and who
may decide."""

import pytest
from django.core import mail
from django.utils import translation

from accounts.access_requests import access_request_approve, access_request_decline, access_request_submit
from accounts.models import AccessRequest, AccessRequestStatus, Role, User, UserStatus
from auditlog.models import AuditEvent
from notifications.models import Notification
from portal.exceptions import ApplicationError
from projects.models import Membership, ProjectRight
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_and_emails_sent_on_commit(monkeypatch):
    """Messages in English; emails queued on commit are sent at once (the test's transaction never commits)."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
    with translation.override("en"):
        yield


def submit(**fields):
    values = {
        "company": " Gamma   Coffee ",
        "name": "Gleb Gammov",
        "email": "Gleb@Gamma.example",
        "phone": "+7 900 000-00-01",
        "message": "I run the coffee shop.",
        "language": "ru",
    }
    values.update(fields)
    return access_request_submit(**values)


def test_a_request_is_stored_journaled_and_announced_to_administrators_only(admin, moderator, director):
    request = submit()

    assert (request.email, request.company, request.status, request.times_requested, request.language) == (
        "gleb@gamma.example",
        "Gamma Coffee",
        AccessRequestStatus.OPEN,
        1,
        "ru",
    )
    event = AuditEvent.objects.get(event="accounts.access_request.submitted")
    assert event.actor is None and event.object_id == str(request.pk)
    notified = Notification.objects.filter(event="accounts.access.requested")
    assert [n.recipient for n in notified] == [admin]
    assert notified[0].link == f"/staff/access-requests/{request.pk}/"


def test_a_blocked_administrator_is_not_told(admin):
    blocked = UserFactory(email="old-admin@misty.example", role=Role.ADMIN, status=UserStatus.BLOCKED)
    submit()
    recipients = set(Notification.objects.values_list("recipient", flat=True))
    assert admin.pk in recipients and blocked.pk not in recipients


def test_a_second_request_of_the_same_email_while_open_is_merged(admin):
    first = submit()
    second = submit(
        email=" GLEB@gamma.example",
        company="Gamma Coffee Bar",
        phone="",
        message="Please, it is urgent.",
        language="en",
    )

    assert second.pk == first.pk and AccessRequest.objects.count() == 1
    second.refresh_from_db()
    assert second.times_requested == 2
    assert second.company == "Gamma Coffee Bar"  # the newest details win
    assert second.phone == "+7 900 000-00-01"  # a field left empty keeps what was given
    assert second.language == "en"
    assert second.message.startswith("I run the coffee shop.") and second.message.endswith("Please, it is urgent.")
    merged = AuditEvent.objects.get(event="accounts.access_request.merged")
    assert merged.changes["times_requested"] == {"old": 1, "new": 2}
    # Administrators were told once: the queue shows the repeat.
    assert Notification.objects.filter(event="accounts.access.requested").count() == 1


def test_a_merged_message_never_outgrows_the_field(admin):
    submit(message="a" * 1990)
    merged = submit(message="b" * 100)
    assert len(merged.message) == 2000 and merged.message.endswith("b" * 100)


def test_after_a_decision_the_same_email_may_ask_again(admin):
    first = submit()
    access_request_decline(access_request=first, actor=admin, reason="Not yet.")
    again = submit()
    assert again.pk != first.pk and again.status == AccessRequestStatus.OPEN


@pytest.mark.parametrize("field", ["name", "company"])
def test_a_request_needs_a_name_and_a_company(field):
    with pytest.raises(ApplicationError):
        submit(**{field: "   "})
    assert not AccessRequest.objects.exists()


def test_an_unknown_language_is_stored_as_the_portal_default():
    assert submit(language="de").language == "ru"


# --- approving -----------------------------------------------------------------------------------------------


def test_approving_invites_the_person_with_the_chosen_project_and_right_in_the_request_language(admin, project_a):
    request = submit(language="en")
    mail.outbox.clear()

    user = access_request_approve(
        access_request=request,
        actor=admin,
        first_name="Gleb",
        last_name="Gammov",
        role=Role.REPRESENTATIVE,
        memberships=[(project_a, ProjectRight.VIEWER)],
    )

    assert (user.email, user.status, user.language, user.phone) == (
        "gleb@gamma.example",
        UserStatus.INVITED,
        "en",
        "+7 900 000-00-01",
    )
    assert Membership.objects.get(user=user).right == ProjectRight.VIEWER
    request.refresh_from_db()
    assert (request.status, request.user, request.decided_by) == (AccessRequestStatus.APPROVED, user, admin)
    assert request.decided_at is not None
    assert AuditEvent.objects.filter(event="accounts.access_request.approved", object_id=str(request.pk)).exists()
    # The invitation is the answer: one email, to the requester, with the link to set a password.
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["gleb@gamma.example"]
    assert "/invitation/" in mail.outbox[0].body


def test_approving_a_request_whose_email_has_an_account_changes_nothing(admin, project_a):
    request = submit()
    UserFactory(email="gleb@gamma.example")
    with pytest.raises(ApplicationError, match="already uses"):
        access_request_approve(
            access_request=request, actor=admin, first_name="Gleb", memberships=[(project_a, ProjectRight.MANAGER)]
        )
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.OPEN and request.user is None


@pytest.mark.parametrize("persona", ["moderator", "director", "rep_a"])
def test_only_an_administrator_decides(persona, personas, project_a):
    request = submit()
    with pytest.raises(ApplicationError):
        access_request_approve(
            access_request=request,
            actor=personas[persona],
            first_name="Gleb",
            memberships=[(project_a, ProjectRight.MANAGER)],
        )
    with pytest.raises(ApplicationError):
        access_request_decline(access_request=request, actor=personas[persona], reason="No.")
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.OPEN
    assert not User.objects.filter(email="gleb@gamma.example").exists()


def test_a_decided_request_is_not_decided_again(admin, project_a):
    request = submit()
    access_request_decline(access_request=request, actor=admin, reason="No.")
    with pytest.raises(ApplicationError, match="already been decided"):
        access_request_approve(
            access_request=request, actor=admin, first_name="Gleb", memberships=[(project_a, ProjectRight.MANAGER)]
        )
    assert not User.objects.filter(email="gleb@gamma.example").exists()


# --- declining -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language,greeting",
    [("ru", "Здравствуйте, Gleb Gammov!"), ("en", "Hello, Gleb Gammov!")],
)
def test_declining_emails_the_reason_in_the_request_language(admin, language, greeting):
    request = submit(language=language)
    mail.outbox.clear()

    access_request_decline(
        access_request=request, actor=admin, reason="  We work with partners of the ecosystem only.  "
    )

    request.refresh_from_db()
    assert request.status == AccessRequestStatus.DECLINED
    assert request.decline_reason == "We work with partners of the ecosystem only."
    assert AuditEvent.objects.get(event="accounts.access_request.declined").actor == admin
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["gleb@gamma.example"]
    assert greeting in email.body
    assert "We work with partners of the ecosystem only." in email.body
    html = email.alternatives[0][0]
    assert f'<html lang="{language}">' in html and "We work with partners of the ecosystem only." in html
    assert "Gamma Coffee" in email.body


def test_declining_needs_a_reason(admin):
    request = submit()
    mail.outbox.clear()
    with pytest.raises(ApplicationError):
        access_request_decline(access_request=request, actor=admin, reason="   ")
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.OPEN and not mail.outbox


def test_a_declined_email_is_not_sent_when_the_request_changed_meanwhile(admin):
    from accounts.emails import ACCESS_REQUEST_DECLINED, access_request_email_send

    request = submit()
    mail.outbox.clear()  # the administrator's alert
    assert access_request_email_send(access_request_id=request.pk, template_prefix=ACCESS_REQUEST_DECLINED) is False
    assert access_request_email_send(access_request_id=0, template_prefix=ACCESS_REQUEST_DECLINED) is False
    assert not mail.outbox
