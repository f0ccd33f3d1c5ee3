"""Profile → Active sessions: allauth's page and form, told the way a person reads them — browser and system
instead of the User-Agent, this device first, when and from where each session was last used — and
"sign out of other sessions" that says what it did."""

from allauth.usersessions.views import ListUserSessionsView
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.services import user_end_other_sessions
from accounts.user_agents import describe_user_agent


class SessionListView(ListUserSessionsView):
    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        sessions = context["sessions"]
        for session in sessions:
            session.device = describe_user_agent(session.user_agent)
            session.this_device = session.is_current()
        # This device first, then the most recently used.
        sessions.sort(key=lambda s: (not s.this_device, -s.last_seen_at.timestamp()))
        context["show_last_seen_at"] = True  # kept current by cabinets.middleware.SessionLastSeenMiddleware
        return context

    def form_valid(self, form):
        ended = user_end_other_sessions(user=self.request.user, keep_session_key=self.request.session.session_key)
        if ended:
            messages.success(
                self.request,
                ngettext("Signed out of %(count)d other session.", "Signed out of %(count)d other sessions.", ended)
                % {"count": ended},
            )
        else:
            messages.info(self.request, _("There were no other sessions."))
        return redirect(self.get_success_url())


session_list = SessionListView.as_view()
