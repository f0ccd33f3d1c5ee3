import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from notifications import events
from notifications.models import EmailState, Notification
from notifications.services import emails_resend_failed


def parse_since(value: str) -> datetime.datetime:
    """`2026-03-01`, `2026-03-01T09:00`, or a duration back from now: `90m`, `12h`, `7d`."""
    units = {"m": "minutes", "h": "hours", "d": "days"}
    if value[-1:] in units and value[:-1].isdigit():
        return timezone.now() - datetime.timedelta(**{units[value[-1]]: int(value[:-1])})
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise CommandError(f"--since {value!r}: give a date (2026-03-01), a date-time or a duration (12h, 7d)")
        moment = datetime.datetime.combine(day, datetime.time.min)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = "Queue failed notification emails again (each gets a fresh set of attempts). Prints the counts."

    def add_arguments(self, parser):
        parser.add_argument("--event", help="only this event code, e.g. offers.lot.approved")
        parser.add_argument("--since", help="only notifications created since: 2026-03-01, 2026-03-01T09:00, 12h, 7d")
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")

    def handle(self, *args, event=None, since=None, dry_run=False, **options):
        if event:
            try:
                events.get(event)
            except LookupError as exc:
                raise CommandError(str(exc)) from exc
        since_moment = parse_since(since) if since else None
        failed = Notification.objects.filter(email_state=EmailState.FAILED)
        if event:
            failed = failed.filter(event=event)
        if since_moment:
            failed = failed.filter(created_at__gte=since_moment)
        if dry_run:
            self.stdout.write(f"{failed.count()} failed email(s) would be queued again.")
            return
        queued = emails_resend_failed(actor=None, event=event, since=since_moment)
        left = Notification.objects.filter(email_state=EmailState.FAILED).count()
        self.stdout.write(self.style.SUCCESS(f"{queued} failed email(s) queued again; {left} still failed."))
