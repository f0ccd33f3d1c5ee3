from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import AccessRequest, AccessRequestStatus, Role, User, UserStatus
from portal.demo import DEMO_PROJECTS, DEMO_REP_NAMES, DEMO_SECOND_REP_NAMES, DEMO_STAFF
from projects.models import Membership, Project


class Command(BaseCommand):
    help = "Load the demo ecosystem (16 projects, 2 representatives each, 3 staff). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--i-know-this-is-production",
            action="store_true",
            dest="production_confirmed",
            help="Run under production settings anyway (a staging copy of production, a demo server).",
        )

    def handle(self, *args, production_confirmed=False, **options):
        # Every demo account, staff included, has the password printed in the README.
        if settings.PORTAL_IS_PRODUCTION and not production_confirmed:
            raise CommandError(
                "These are production settings: seed_demo would create 35 accounts, an admin among them, whose "
                "password is public. Pass --i-know-this-is-production if this really is a demo server."
            )
        self._seed()

    @transaction.atomic
    def _seed(self):
        password = settings.PORTAL_DEMO_PASSWORD
        created_users = 0

        def account(email, **fields):
            nonlocal created_users
            user, created = User.objects.get_or_create(email=email, defaults=fields)
            if created:
                user.set_password(password)
                user.save(update_fields=["password"])
                created_users += 1
            return user

        for email, first_name, last_name, role in DEMO_STAFF:
            account(email, first_name=first_name, last_name=last_name, role=role, status=UserStatus.ACTIVE)

        for index, (slug, name, category) in enumerate(DEMO_PROJECTS):
            project, _ = Project.objects.get_or_create(slug=slug, defaults={"name": name, "category": category})
            for number in (1, 2):
                first, last = (DEMO_REP_NAMES if number == 1 else DEMO_SECOND_REP_NAMES)[index]
                rep = account(
                    f"rep{number}@{slug}.example",
                    first_name=first,
                    last_name=last,
                    phone=f"+7 900 {100 + index:03d}-{number:02d}-{10 + index:02d}",
                    role=Role.REPRESENTATIVE,
                    status=UserStatus.ACTIVE,
                )
                Membership.objects.get_or_create(user=rep, project=project)

        # One representative works for two projects, so the project switcher has something to switch.
        both = User.objects.get(email=f"rep1@{DEMO_PROJECTS[0][0]}.example")
        Membership.objects.get_or_create(user=both, project=Project.objects.get(slug=DEMO_PROJECTS[1][0]))
        seed_access_requests()

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ecosystem ready: {Project.objects.count()} projects, {User.objects.count()} users "
                f"({created_users} new). Password for every demo account: {password}"
            )
        )


DEMO_ACCESS_REQUESTS = (
    (
        "Кофейня «Зерно»",
        "Ирина Соколова",
        "irina@zerno-coffee.example",
        "+7 916 555-12-34",
        "ru",
        "Здравствуйте! Мы открываем кофейню рядом с Misty Lounge и хотим участвовать в совместных акциях.",
    ),
    (
        "Fit & Go studio",
        "Daniel Brooks",
        "daniel@fitandgo.example",
        "",
        "en",
        "We run a fitness studio and would like to join the Misty ecosystem.",
    ),
)


def seed_access_requests() -> None:
    """Two open access requests for the staff queue (one per language); kept open on every run, never doubled."""
    for company, name, email, phone, language, message in DEMO_ACCESS_REQUESTS:
        AccessRequest.objects.get_or_create(
            email=email,
            status=AccessRequestStatus.OPEN,
            defaults={"company": company, "name": name, "phone": phone, "language": language, "message": message},
        )
