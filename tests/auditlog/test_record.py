"""`auditlog.record()`: same transaction as the caller, secrets masked, IP honouring trusted proxies."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import RequestFactory, override_settings

import auditlog
from accounts import events as account_events
from auditlog import events
from auditlog.context import AuditContextMiddleware, client_ip
from auditlog.models import AuditEvent
from auditlog.services import MASK, mask_secrets


def test_record_writes_actor_role_object_project_and_changes(admin, rep_a, project_a):
    event = auditlog.record(
        actor=admin,
        event=account_events.USER_BLOCKED,
        obj=rep_a,
        project=project_a,
        changes={"status": ("active", "blocked")},
    )

    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.actor, event.actor_role, event.event) == (admin, "admin", "accounts.user.blocked")
    assert (event.object_type, event.object_id, event.object_text) == ("accounts.user", str(rep_a.pk), "Alice Alpha")
    assert event.project == project_a
    assert event.changes == {"status": {"old": "active", "new": "blocked"}}


def test_the_role_is_the_one_the_actor_had_at_that_moment(moderator):
    auditlog.record(actor=moderator, event=account_events.LOGIN)
    moderator.role = "admin"
    moderator.save()
    assert AuditEvent.objects.get().actor_role == "moderator"


def test_no_actor_means_the_system_and_anonymous_is_no_actor(db):
    auditlog.record(actor=None, event=account_events.LOGIN_FAILED, object_text="x@y.example")
    auditlog.record(actor=AnonymousUser(), event=account_events.LOGIN_FAILED)
    assert list(AuditEvent.objects.values_list("actor", "actor_role")) == [(None, ""), (None, "")]


def test_a_project_object_is_its_own_project(admin, project_b):
    event = auditlog.record(actor=admin, event=events.EXPORTED, obj=project_b)
    assert event.project == project_b and event.object_type == "projects.project"


def test_an_unregistered_event_code_is_refused(admin):
    with pytest.raises(ValueError, match="unknown audit event"):
        auditlog.record(actor=admin, event="accounts.user.teleported")
    with pytest.raises(ValueError):
        events.register("Not A Code", "x")


@pytest.mark.django_db(transaction=True)
def test_an_event_recorded_in_a_rolled_back_transaction_leaves_nothing():
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        auditlog.record(actor=None, event=events.EXPORTED)
        assert AuditEvent.objects.count() == 1
        raise Boom
    assert AuditEvent.objects.count() == 0

    with transaction.atomic():
        auditlog.record(actor=None, event=events.EXPORTED)
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_service_that_fails_after_recording_leaves_no_event(admin, rep_a):
    from accounts import services

    with pytest.raises(RuntimeError), transaction.atomic():
        services.user_block(user=rep_a, actor=admin)
        raise RuntimeError("the caller's transaction fails later")
    rep_a.refresh_from_db()
    assert rep_a.status == "active"
    assert not AuditEvent.objects.filter(event=account_events.USER_BLOCKED).exists()


class TestMasking:
    @pytest.mark.parametrize(
        "key",
        [
            "password",
            "new_password1",
            "api_secret",
            "token",
            "api_key",
            "KeyHash",
            "code",
            "totp_secret",
            "recovery_codes",
        ],
    )
    def test_secret_keys_are_masked(self, key):
        assert mask_secrets({key: "s3cr3t"}) == {key: MASK}

    def test_pairs_and_nested_values_are_masked_too(self):
        masked = mask_secrets(
            {
                "password": ("old", "new"),
                "settings": {"smtp": {"token": "t", "host": "h"}},
                "items": [{"secret": 1, "name": "n"}],
                "full_name": ("A", "B"),
            }
        )
        assert masked == {
            "password": MASK,
            "settings": {"smtp": {"token": MASK, "host": "h"}},
            "items": [{"secret": MASK, "name": "n"}],
            "full_name": {"old": "A", "new": "B"},
        }

    def test_masked_values_never_reach_the_database(self, admin):
        auditlog.record(
            actor=admin, event=account_events.USER_PROFILE_UPDATED, changes={"password": ("hunter2", "hunter3")}
        )
        stored = AuditEvent.objects.values_list("changes", flat=True).get()
        assert stored == {"password": MASK} and "hunter" not in str(stored)


class TestClientIp:
    rf = RequestFactory()

    def test_without_trusted_proxies_forwarded_headers_are_ignored(self, settings):
        settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
        request = self.rf.get("/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="203.0.113.66")
        assert client_ip(request) == "198.51.100.9"

    def test_one_trusted_proxy_takes_the_last_forwarded_address(self, settings):
        settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
        request = self.rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
        assert client_ip(request) == "203.0.113.7"

    def test_two_trusted_proxies_take_the_second_from_the_right(self, settings):
        settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
        request = self.rf.get("/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 10.0.0.2")
        assert client_ip(request) == "203.0.113.7"

    def test_fewer_hops_than_proxies_or_garbage_falls_back_to_the_peer(self, settings):
        settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
        assert client_ip(self.rf.get("/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="203.0.113.7")) == "10.0.0.3"
        assert client_ip(self.rf.get("/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="junk, 10.0.0.2")) == "10.0.0.3"

    def test_ipv6_and_ports_are_normalised(self, settings):
        settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
        assert client_ip(self.rf.get("/", HTTP_X_FORWARDED_FOR="[2001:db8::1]:443")) == "2001:db8::1"
        assert client_ip(self.rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.7:8080")) == "203.0.113.7"

    def test_record_takes_ip_and_user_agent_from_the_request(self, admin):
        request = self.rf.get("/", REMOTE_ADDR="198.51.100.9", HTTP_USER_AGENT="Firefox/" + "x" * 400)
        event = auditlog.record(actor=admin, event=account_events.LOGIN, request=request)
        assert event.ip == "198.51.100.9" and event.user_agent.startswith("Firefox/") and len(event.user_agent) == 300

    @override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
    def test_services_get_the_origin_of_the_request_being_served(self, admin, rep_a):
        """Services never see the request; the middleware lends them its IP and user agent."""
        from accounts import services

        def view(request):
            services.user_block(user=rep_a, actor=admin)
            return None

        request = self.rf.post("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7", HTTP_USER_AGENT="UA/1")
        AuditContextMiddleware(view)(request)
        event = AuditEvent.objects.get(event=account_events.USER_BLOCKED)
        assert (event.ip, event.user_agent) == ("203.0.113.7", "UA/1")
        # ...and only while that request is served.
        auditlog.record(actor=admin, event=account_events.USER_UNBLOCKED)
        assert AuditEvent.objects.get(event=account_events.USER_UNBLOCKED).ip is None
