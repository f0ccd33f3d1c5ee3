from django.core.management.base import BaseCommand

from offers.services import close_expired


class Command(BaseCommand):
    help = "Close every published or paused lot whose validity ended (and complete its deals). Safe to run again."

    def handle(self, *args, **options):
        closed = close_expired()
        self.stdout.write(self.style.SUCCESS(f"Closed {closed} lot(s) whose validity ended."))
