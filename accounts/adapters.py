from allauth.account.adapter import DefaultAccountAdapter


class PortalAccountAdapter(DefaultAccountAdapter):
    """No public sign-up: people are invited by staff."""

    def is_open_for_signup(self, request):
        return False
