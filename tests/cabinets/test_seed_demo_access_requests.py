"""`seed_demo` leaves two open access requests in the staff queue, however often it runs."""

import io

import pytest
from django.core.management import call_command

from accounts.models import AccessRequest, AccessRequestStatus


@pytest.mark.django_db
def test_seed_demo_leaves_two_open_access_requests_and_never_doubles_them():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    open_requests = AccessRequest.objects.filter(status=AccessRequestStatus.OPEN)
    assert open_requests.count() == 2
    assert set(open_requests.values_list("language", flat=True)) == {"ru", "en"}
