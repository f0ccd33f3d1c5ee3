from django.core.management.base import BaseCommand, CommandError

from visits.checks import CHECKS


class Command(BaseCommand):
    help = (
        "Verify the ledger's invariants: every visit has its entries, every transaction balances, no lot is over "
        "its quota, the roll-ups equal the raw sums. Exits non-zero with the first violation."
    )

    def handle(self, *args, **options):
        for name, check in CHECKS:
            for violation in check():
                raise CommandError(f"{name}: {violation}")
            self.stdout.write(f"ok: {name}")
        self.stdout.write(self.style.SUCCESS("The ledger is consistent."))
