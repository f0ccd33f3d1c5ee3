"""People's event codes: what the audit journal records about accounts and what people are notified of.

Registered in `AccountsConfig.ready()` (docs/RECIPES.md, "Add a state change").
"""

from django.utils.translation import gettext_lazy as _

from notifications.events import BOTH, STAFF, EventType

# Sign-in and account security (accounts.receivers, from Django's and allauth's signals).
LOGIN = "accounts.login"
LOGOUT = "accounts.logout"
LOGIN_FAILED = "accounts.login_failed"
LOGIN_LOCKED_OUT = "accounts.login_locked_out"  # refused before the password is checked (cabinets.auth_forms)
PASSWORD_CHANGED = "accounts.password.changed"
PASSWORD_SET = "accounts.password.set"
PASSWORD_RESET = "accounts.password.reset"
TWO_FACTOR_ENABLED = "accounts.2fa.enabled"
TWO_FACTOR_DISABLED = "accounts.2fa.disabled"
RECOVERY_CODES_GENERATED = "accounts.2fa.recovery_codes_generated"
TWO_FACTOR_FAILED = "accounts.2fa.failed"
TWO_FACTOR_RESET = "accounts.2fa.reset"  # an administrator removed a person's second factor (a lost phone)
# Changes of a person (accounts.services).
USER_PROFILE_UPDATED = "accounts.user.profile_updated"
USER_LANGUAGE_CHANGED = "accounts.user.language_changed"
USER_BLOCKED = "accounts.user.blocked"
USER_UNBLOCKED = "accounts.user.unblocked"
USER_EMAIL_CHANGED = "accounts.user.email_changed"
USER_ROLE_CHANGED = "accounts.user.role_changed"
USER_INVITED_AUDIT = "accounts.user.invited"
USER_INVITATION_RESENT = "accounts.user.invitation_resent"
USER_ACTIVATED = "accounts.user.activated"  # the invited person set their password
USER_MEMBERSHIPS_CHANGED = "accounts.user.memberships_changed"
# Access requests from the public page and the bulk invitation (accounts.access_requests, accounts.imports).
ACCESS_REQUEST_SUBMITTED = "accounts.access_request.submitted"
ACCESS_REQUEST_MERGED = "accounts.access_request.merged"  # the same email asked again while one was open
ACCESS_REQUEST_APPROVED = "accounts.access_request.approved"
ACCESS_REQUEST_DECLINED = "accounts.access_request.declined"
USERS_IMPORTED = "accounts.users.imported"
USER_OTHER_SESSIONS_ENDED = "accounts.user.other_sessions_ended"

AUDIT_EVENTS = {
    LOGIN: _("Signed in"),
    LOGOUT: _("Signed out"),
    LOGIN_FAILED: _("Failed sign-in"),
    LOGIN_LOCKED_OUT: _("Sign-in refused: too many failed attempts"),
    PASSWORD_CHANGED: _("Password changed"),
    PASSWORD_SET: _("Password set"),
    PASSWORD_RESET: _("Password reset"),
    TWO_FACTOR_ENABLED: _("Two-factor authentication enabled"),
    TWO_FACTOR_DISABLED: _("Two-factor authentication disabled"),
    RECOVERY_CODES_GENERATED: _("Recovery codes generated"),
    TWO_FACTOR_FAILED: _("Wrong two-factor code"),
    TWO_FACTOR_RESET: _("Two-factor authentication reset by an administrator"),
    USER_PROFILE_UPDATED: _("Profile updated"),
    USER_LANGUAGE_CHANGED: _("Language changed"),
    USER_BLOCKED: _("User blocked"),
    USER_UNBLOCKED: _("User unblocked"),
    USER_EMAIL_CHANGED: _("Email changed"),
    USER_ROLE_CHANGED: _("Role changed"),
    USER_INVITED_AUDIT: _("User invited"),
    USER_INVITATION_RESENT: _("Invitation sent again"),
    USER_ACTIVATED: _("Invitation accepted: password set"),
    USER_MEMBERSHIPS_CHANGED: _("Projects and rights changed"),
    ACCESS_REQUEST_SUBMITTED: _("Access requested"),
    ACCESS_REQUEST_MERGED: _("Access requested again"),
    ACCESS_REQUEST_APPROVED: _("Access request approved"),
    ACCESS_REQUEST_DECLINED: _("Access request declined"),
    USERS_IMPORTED: _("People invited from a file"),
    USER_OTHER_SESSIONS_ENDED: _("Signed out of other sessions"),
}

USER_INVITED = EventType(
    "accounts.user.invited",
    _("Invitation to the portal"),
    BOTH,
    "user-invited",
    context_keys=("inviter_name", "expires_at"),
    email_required=True,
    email_link="accounts.invitations.invitation_link",  # the one-time link is made when the email is sent
)
USER_WELCOME = EventType("accounts.user.welcome", _("Welcome"), BOTH, "user-welcome", email_required=True)
ACCESS_REQUESTED = EventType(
    "accounts.access.requested",
    _("Access request"),
    STAFF,
    "access-requested",
    context_keys=("requester_name", "requester_email", "project_name", "message"),
    important=True,
)

NOTIFICATION_EVENTS = (USER_INVITED, USER_WELCOME, ACCESS_REQUESTED)
