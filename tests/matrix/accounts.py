"""allauth's pages: what a visitor and a signed-in person each get."""

from tests.matrix import Entry, expect, public, signed_in

SIGNED_IN_REDIRECT = expect(anonymous=200, rep_a=302, rep_b=302, moderator=302, admin=302, director=302)

ENTRIES = {
    "account_login": Entry(SIGNED_IN_REDIRECT, note="a signed-in person is sent on to the cabinet"),
    "account_logout": Entry(expect(anonymous=302), note="GET shows the confirmation; POST logs out"),
    "account_inactive": Entry(public(200)),
    "account_reauthenticate": Entry(signed_in()),
    "account_change_password": Entry(signed_in()),
    "account_reset_password": Entry(public(200)),
    "account_reset_password_done": Entry(public(200)),
    "account_reset_password_from_key": Entry(
        public(200), kwargs={"uidb36": "1", "key": "bad-key"}, note="a bad key shows the 'link invalid' page"
    ),
    "account_reset_password_from_key_done": Entry(public(200)),
    "mfa_index": Entry(signed_in()),
    "mfa_authenticate": Entry(public(302), note="only during a login that awaits the second factor"),
    "mfa_reauthenticate": Entry(signed_in(302), note="only with an authenticator; otherwise back to 2FA page"),
    "mfa_activate_totp": Entry(signed_in(302), note="asks for re-authentication first"),
    "mfa_deactivate_totp": Entry(signed_in(404), note="404 without a TOTP authenticator"),
    "mfa_view_recovery_codes": Entry(signed_in(404), note="404 without recovery codes"),
    "mfa_generate_recovery_codes": Entry(signed_in(302)),
    "mfa_download_recovery_codes": Entry(signed_in(404)),
    "usersessions_list": Entry(signed_in()),
}


def _pending_invitation(world):
    """A real, valid invitation link of a person invited to project A."""
    from django.utils import timezone

    from accounts import invitations
    from accounts.models import Role, User, UserStatus

    invitee = User.objects.create_user(
        "invitee@alpha.example", first_name="Ina", role=Role.REPRESENTATIVE, status=UserStatus.INVITED
    )
    invitee.invited_at = timezone.now()
    invitee.save(update_fields=["invited_at"])
    return {"token": invitations.make_token(invitee)}


ENTRIES["invitation_accept"] = Entry(
    public(200), kwargs=_pending_invitation, note="the set-password form, for anyone with the link"
)
