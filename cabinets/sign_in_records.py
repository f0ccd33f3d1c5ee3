"""What this session's sign-in records say: did it use the second factor (`StaffTwoFactorMiddleware`),
and when did it sign in (`StaffSessionIdleMiddleware`)?

allauth keeps, in the session, a record of every authentication step taken in it
(`allauth.account.authentication.get_authentication_records`); a TOTP or recovery code typed at login or
at re-authentication is recorded as method "mfa". Enrolling TOTP is not recorded there, yet the person has
just typed a valid code in this session: `remember_enrolment` (called by the activation view,
`cabinets.views.two_factor`) marks the session so that a staff member who enrols — as
PORTAL_STAFF_REQUIRE_2FA asks — is not signed out the moment they have done so.
"""

from allauth.account.authentication import get_authentication_records

ENROLLED_SESSION_KEY = "portal_second_factor_enrolled"


def session_used_second_factor(request, user) -> bool:
    if any(record.get("method") == "mfa" for record in get_authentication_records(request, user)):
        return True
    return request.session.get(ENROLLED_SESSION_KEY) == str(user.pk)


def signed_in_at(request, user) -> int | None:
    """When this session last authenticated `user` (allauth's records), if allauth signed it in."""
    moments = [record.get("at") for record in get_authentication_records(request, user)]
    moments = [moment for moment in moments if isinstance(moment, (int, float))]
    return int(max(moments)) if moments else None


def remember_enrolment(request) -> None:
    request.session[ENROLLED_SESSION_KEY] = str(request.user.pk)
