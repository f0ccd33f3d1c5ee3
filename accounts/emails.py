"""The emails allauth sends about an account (password reset, security notices), sent by a Celery task.

The rules that must keep holding:
* The request that causes an account email never talks to SMTP: `queue_account_email` queues the task
  after the request's transaction commits. A password-reset request therefore costs the same whether or
  not the address belongs to someone (the form only looks the address up; nothing else differs but a
  broker publish), and a slow or failing SMTP relay can neither show nor hide that an account exists.
* No reset key travels through the broker: the task makes a fresh one for the user it is given
  (`password_reset_link`), with the same token generator allauth's form uses.
* Links in account emails are built from PORTAL_BASE_URL, like notification links, never from the Host
  header of whoever asked for the reset.
* Rendering (language, subject, sender, templates) is the adapter's `render_mail`: allauth calls it too.
* Account emails go to portal users only, in the recipient's language; a user blocked meanwhile gets none.
"""

from __future__ import annotations

import functools
import logging
from datetime import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse

from accounts.models import User
from notifications.context import dump_context, load_context
from notifications.delivery import FAST_FAIL_PUBLISH
from notifications.rendering import base_url

logger = logging.getLogger(__name__)

PASSWORD_RESET_KEY = "account/email/password_reset_key"
# What of allauth's template context travels to the task: plain values and datetimes. The request, the site
# and model instances stay behind; the task looks the recipient up again.
PORTABLE = (str, int, float, bool, datetime)


def portable_context(context: dict[str, Any]) -> dict[str, Any]:
    """The plain values of allauth's context, encoded as notification contexts are (datetimes stay typed)."""
    return {
        name: dump_context(value) for name, value in context.items() if value is None or isinstance(value, PORTABLE)
    }


def restored_context(portable: dict[str, Any]) -> dict[str, Any]:
    return load_context(portable)


def queue_account_email(*, template_prefix: str, email: str, user_id: int | None, context: dict[str, Any]) -> None:
    """Send an allauth email from a task, once the current transaction commits (at once outside one)."""
    transaction.on_commit(
        functools.partial(
            _enqueue,
            template_prefix=template_prefix,
            email=email,
            user_id=user_id,
            context=portable_context(context),
        )
    )


def _enqueue(**kwargs) -> None:
    from accounts.tasks import send_account_email

    try:
        send_account_email.apply_async(kwargs=kwargs, retry=True, retry_policy=FAST_FAIL_PUBLISH)
    except Exception:
        if send_account_email.app.conf.task_always_eager:
            raise  # no broker involved: a bug in rendering, let it surface
        # The person sees the same page either way and can ask again; nothing else remembers this email.
        logger.warning(
            "could not queue account email %s (broker unavailable?)", kwargs["template_prefix"], exc_info=True
        )


def password_reset_link(user: User) -> str:
    """A fresh one-time link to set a new password, as allauth's ResetPasswordForm would make it."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return base_url() + path


def account_email_send(*, template_prefix: str, email: str, user_id: int | None, context: dict[str, Any]) -> bool:
    """Render one account email in its recipient's language and send it; False if there is no one to send to.

    The task's body. It goes to the user's address as stored now, not to `email` (the address allauth named
    when it was queued). Safe to run again: the worst case is a second copy (with a fresh reset link).
    """
    from allauth.account.adapter import get_adapter

    user = User.objects.filter(pk=user_id).first() if user_id else None
    if user is None or not user.is_active:
        logger.info("account email %s not sent: no active portal user (id %s)", template_prefix, user_id)
        return False
    values = {**restored_context(context), "user": user}
    if template_prefix == PASSWORD_RESET_KEY:
        values["password_reset_url"] = password_reset_link(user)
    get_adapter().render_mail(template_prefix, user.email, values).send()
    return True


TWO_FACTOR_RESET_EMAIL = "account/email/two_factor_reset"  # accounts.services.user_reset_two_factor


# --- emails to a requester who has no account (accounts.access_requests) ----------------------------------

ACCESS_REQUEST_DECLINED = "account/email/access_request_declined"
ACCESS_REQUEST_TEMPLATES = (ACCESS_REQUEST_DECLINED,)


def queue_access_request_email(*, access_request_id: int, template_prefix: str) -> None:
    """Email the person behind an access request from a task, once the current transaction commits."""
    transaction.on_commit(
        functools.partial(_enqueue_access_request, access_request_id=access_request_id, template_prefix=template_prefix)
    )


def _enqueue_access_request(**kwargs) -> None:
    from accounts.tasks import send_access_request_email

    try:
        send_access_request_email.apply_async(kwargs=kwargs, retry=True, retry_policy=FAST_FAIL_PUBLISH)
    except Exception:
        if send_access_request_email.app.conf.task_always_eager:
            raise
        # The decision is stored and shown on the request's card; staff can tell the person themselves.
        logger.warning("could not queue access request email %s (broker unavailable?)", kwargs, exc_info=True)


def access_request_email_send(*, access_request_id: int, template_prefix: str) -> bool:
    """Render one email to an access request's address in the language the person asked in, and send it.

    The task's body: the request is read again, so the email says what is stored now (a declined request's
    reason). False if there is nothing to send. Safe to run again: the worst case is a second copy."""
    from allauth.account.adapter import get_adapter

    from accounts.models import AccessRequest, AccessRequestStatus

    if template_prefix not in ACCESS_REQUEST_TEMPLATES:
        raise ValueError(f"unknown access request email {template_prefix!r}")
    access_request = AccessRequest.objects.filter(pk=access_request_id).first()
    if access_request is None or access_request.status != AccessRequestStatus.DECLINED:
        logger.info("access request email %s not sent: request %s is not declined", template_prefix, access_request_id)
        return False
    context = {
        "recipient": access_request,
        "recipient_language": access_request.language,
        "access_request": access_request,
        "reason": access_request.decline_reason,
    }
    get_adapter().render_mail(template_prefix, access_request.email, context).send()
    return True
