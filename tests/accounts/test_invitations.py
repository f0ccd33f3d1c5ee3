"""Invitations: an administrator invites, the person sets their own password through a one-time link that
expires, is replaced by a newer invitation, and is never stored; the guards on managing people."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from accounts import invitations, services
from accounts.models import Role, User, UserStatus
from auditlog.models import AuditEvent
from notifications.models import Notification
from portal.exceptions import ApplicationError
from projects.models import Membership, ProjectRight


@pytest.fixture(autouse=True)
def _english_and_emails_sent_on_commit(monkeypatch):
    """Messages in English; emails queued on commit are sent at once (the test's transaction never commits)."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
    with translation.override("en"):
        yield


LINK = re.compile(r"https?://[^\s\"<]+/invitation/([^\s\"</]+)/")


def invite(admin, project, **fields):
    values = {
        "actor": admin,
        "email": "New.Person@Alpha.example ",
        "first_name": " Нина ",
        "last_name": "Петрова",
        "role": Role.REPRESENTATIVE,
        "language": "ru",
        "memberships": [(project, ProjectRight.VIEWER)],
    }
    values.update(fields)
    return services.user_invite(**values)


def link_in_last_email() -> str:
    match = LINK.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_an_invitation_creates_an_invited_account_with_its_projects_and_emails_a_one_time_link(admin, project_a):
    user = invite(admin, project_a)

    assert (user.email, user.first_name, user.status, user.has_usable_password()) == (
        "new.person@alpha.example",
        "Нина",
        UserStatus.INVITED,
        False,
    )
    assert Membership.objects.get(user=user).right == ProjectRight.VIEWER
    assert AuditEvent.objects.get(event="accounts.user.invited").changes["role"] == {"old": "", "new": "representative"}
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.person@alpha.example"]
    token = link_in_last_email()
    assert invitations.check_token(token).state == invitations.LinkState.VALID


def test_the_link_is_never_stored(admin, project_a):
    invite(admin, project_a)
    token = link_in_last_email()
    notification = Notification.objects.get(event="accounts.user.invited")
    assert token not in notification.link and token not in notification.body and token not in str(notification.context)
    assert not AuditEvent.objects.filter(changes__icontains=token).exists()


def test_setting_the_password_activates_signs_in_and_welcomes(client, admin, project_a):
    user = invite(admin, project_a)
    url = reverse("invitation_accept", args=[link_in_last_email()])

    page = client.get(url)
    assert page.status_code == 200 and user.email in page.content.decode()
    response = client.post(url, {"new_password1": "a-Long-new-pass-2026", "new_password2": "a-Long-new-pass-2026"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.status == UserStatus.ACTIVE and user.check_password("a-Long-new-pass-2026")
    assert client.get(reverse("home")).status_code == 302, "signed in: home sends to the cabinet"
    assert int(client.session["_auth_user_id"]) == user.pk
    assert mail.outbox[-1].to == [user.email] and Notification.objects.filter(event="accounts.user.welcome").exists()
    assert AuditEvent.objects.filter(event="accounts.user.activated", actor=user).exists()


def test_a_used_link_says_so(client, admin, project_a):
    invite(admin, project_a)
    token = link_in_last_email()
    url = reverse("invitation_accept", args=[token])
    client.post(url, {"new_password1": "a-Long-new-pass-2026", "new_password2": "a-Long-new-pass-2026"})
    client.logout()

    assert invitations.check_token(token).state == invitations.LinkState.USED
    page = client.get(url).content.decode()
    with translation.override("ru"):
        assert str(services.invitation_refusal(invitations.LinkState.USED)) in page
    assert reverse("account_reset_password") in page


def test_a_weak_password_is_refused_and_nothing_changes(client, admin, project_a):
    user = invite(admin, project_a)
    url = reverse("invitation_accept", args=[link_in_last_email()])
    response = client.post(url, {"new_password1": "12345", "new_password2": "12345"})
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    user.refresh_from_db()
    assert user.status == UserStatus.INVITED and not user.has_usable_password()


def test_an_expired_link_says_so_and_sends_a_new_one_to_the_same_address(client, admin, project_a, settings):
    user = invite(admin, project_a)
    token = link_in_last_email()
    later = timezone.now() + dt.timedelta(days=settings.PORTAL_INVITATION_DAYS, minutes=1)
    User.objects.filter(pk=user.pk).update(invited_at=timezone.now() - dt.timedelta(hours=2))
    user.refresh_from_db()
    token = invitations.make_token(user)

    from unittest import mock

    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        assert invitations.check_token(token).state == invitations.LinkState.EXPIRED
        page = client.get(reverse("invitation_accept", args=[token])).content.decode()
        with translation.override("ru"):
            assert str(services.invitation_refusal(invitations.LinkState.EXPIRED)) in page
        assert 'value="renew"' in page
        sent = len(mail.outbox)
        client.post(reverse("invitation_accept", args=[token]), {"action": "renew"})
    assert len(mail.outbox) == sent + 1 and mail.outbox[-1].to == [user.email]
    fresh = link_in_last_email()
    assert invitations.check_token(fresh).state == invitations.LinkState.VALID


def test_a_second_invitation_replaces_the_first_link(admin, project_a):
    user = invite(admin, project_a)
    first = link_in_last_email()
    User.objects.filter(pk=user.pk).update(invited_at=timezone.now() - dt.timedelta(minutes=5))
    services.invitation_resend(user=User.objects.get(pk=user.pk), actor=admin)
    second = link_in_last_email()

    assert invitations.check_token(first).state == invitations.LinkState.REPLACED
    assert invitations.check_token(second).state == invitations.LinkState.VALID


@pytest.mark.parametrize("token", ["nonsense", "eyJ1IjoxfQ:1abc:forged", ""])
def test_a_forged_link_is_invalid(token, admin, project_a):
    invite(admin, project_a)
    assert invitations.check_token(token).state == invitations.LinkState.INVALID


def test_a_blocked_invitees_link_stops_working(admin, project_a):
    user = invite(admin, project_a)
    token = link_in_last_email()
    services.user_block(user=user, actor=admin)
    assert invitations.check_token(token).state == invitations.LinkState.INVALID


# --- guards -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["moderator", "director", "rep_a"])
def test_only_administrators_invite(persona, personas, project_a):
    with pytest.raises(ApplicationError):
        invite(personas[persona], project_a)
    assert not User.objects.filter(email="new.person@alpha.example").exists()


def test_invitation_guards(admin, project_a, rep_a):
    with pytest.raises(ApplicationError, match="already uses"):
        invite(admin, project_a, email=rep_a.email.upper())
    with pytest.raises(ApplicationError, match="name"):
        invite(admin, project_a, first_name="   ")
    with pytest.raises(ApplicationError, match="at least one project"):
        invite(admin, project_a, memberships=[])
    with pytest.raises(ApplicationError, match="Only representatives"):
        invite(admin, project_a, role=Role.MODERATOR)
    with pytest.raises(ApplicationError, match="twice"):
        invite(admin, project_a, memberships=[(project_a, "manager"), (project_a, "viewer")])
    assert not mail.outbox


def test_the_last_active_administrator_cannot_be_blocked_or_demoted(admin, director):
    other = User.objects.create_user("second@misty.example", role=Role.ADMIN, status=UserStatus.ACTIVE)
    services.user_block(user=other, actor=admin)  # another admin remains
    with pytest.raises(ApplicationError, match="last active administrator"):
        services.user_change_role(user=admin, role=Role.MODERATOR, actor=_forced_admin())
    with pytest.raises(ApplicationError, match="last active administrator"):
        services.user_block(user=admin, actor=_forced_admin())
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN and admin.status == UserStatus.ACTIVE


def _forced_admin():
    """An administrator object that is not in the database as one (only to pass the actor check)."""
    return User(pk=10**6, email="ghost@misty.example", role=Role.ADMIN, status=UserStatus.ACTIVE)


def test_nobody_blocks_or_demotes_themselves(admin):
    with pytest.raises(ApplicationError):
        services.user_block(user=admin, actor=admin)
    with pytest.raises(ApplicationError):
        services.user_change_role(user=admin, role=Role.DIRECTOR, actor=admin)


def test_a_moderator_changes_no_ones_role_and_blocks_no_one(moderator, rep_a, director):
    with pytest.raises(ApplicationError):
        services.user_change_role(user=rep_a, role=Role.DIRECTOR, actor=moderator)
    with pytest.raises(ApplicationError):
        services.user_block(user=rep_a, actor=director)


def test_memberships_are_set_exactly_and_journaled(admin, rep_a, project_a, project_b):
    services.user_set_memberships(
        user=rep_a, actor=admin, memberships=[(project_a, ProjectRight.VIEWER), (project_b, ProjectRight.MANAGER)]
    )
    assert dict(Membership.objects.filter(user=rep_a).values_list("project__slug", "right")) == {
        "alpha": "viewer",
        "beta": "manager",
    }
    services.user_set_memberships(user=rep_a, actor=admin, memberships=[(project_b, ProjectRight.MANAGER)])
    assert list(Membership.objects.filter(user=rep_a).values_list("project__slug", flat=True)) == ["beta"]
    events = AuditEvent.objects.filter(event="accounts.user.memberships_changed").order_by("id")
    assert [e.changes["projects"]["new"] for e in events] == [
        "alpha: viewer, beta: manager",
        "beta: manager",
    ]


def test_block_reason_is_journaled(admin, rep_a):
    services.user_block(user=rep_a, actor=admin, reason="left the company")
    event = AuditEvent.objects.get(event="accounts.user.blocked")
    assert event.changes["reason"] == {"old": "", "new": "left the company"}
