import pytest
from django.urls import reverse


@pytest.fixture
def ask_for_reset(client, django_capture_on_commit_callbacks):
    """Post the password-reset form as a person does. The email leaves after commit (a Celery task, eager
    here), so the after-commit callbacks are run: `mail.outbox` has it when this returns."""

    def ask(email, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("account_reset_password"), {"email": email}, **extra)

    return ask
