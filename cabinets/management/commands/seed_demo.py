import io

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from accounts.models import AccessRequest, AccessRequestStatus, Role, User, UserStatus
from offers.demo import seed_marketplace
from offers.models import Deal, Lot
from portal.demo import (
    DEMO_ACCESS_REQUESTS,
    DEMO_BANKS,
    DEMO_CARDS,
    DEMO_CURATED_PROJECTS,
    DEMO_LEGAL,
    DEMO_LOGO_COLOURS,
    DEMO_PERSONAS,
    DEMO_PROJECTS,
    DEMO_REP_NAMES,
    DEMO_SECOND_REP_NAMES,
    DEMO_STAFF,
    DEMO_VIEWER_NAMES,
    DEMO_VIEWER_PROJECTS,
)
from projects.logos import prepare_logo
from projects.models import Membership, Project, ProjectRight
from projects.services import curator_grant, project_update
from visits.demo import seed_ledger, seed_visits
from visits.models import Visit

ACCOUNTS = len(DEMO_STAFF) + 2 * len(DEMO_PROJECTS) + len(DEMO_VIEWER_PROJECTS)


def demo_logo_png(name: str, colour: tuple[int, int, int], size: int = 256) -> bytes:
    """A coloured square with the project's initials, as a person would upload it."""
    image = Image.new("RGB", (size, size), colour)
    initials = "".join(word[0] for word in name.split()[:2]).upper()
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=size * 2 // 5)
    draw.text((size / 2, size / 2), initials, fill=(255, 255, 255), font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def demo_card(slug: str, name: str, index: int) -> dict:
    inn, bank_index, account = DEMO_LEGAL[slug]
    bank_name, bik, correspondent = DEMO_BANKS[bank_index]
    description, audience, average_check, points, address = DEMO_CARDS[slug]
    first, last = DEMO_REP_NAMES[index]
    return {
        "legal_name": f"ИП {last} {first}" if len(inn) == 12 else f"ООО «{name}»",
        "inn": inn,
        "bank_name": bank_name,
        "bik": bik,
        "settlement_account": account,
        "correspondent_account": correspondent,
        "description": description,
        "audience": audience,
        "average_check": average_check,
        "client_points": points,
        "contact_name": f"{first} {last}",
        "contact_phone": f"+7 495 {200 + index:03d}-{10 + index:02d}-{30 + index:02d}",
        "contact_email": f"hello@{slug}.example",
        "address": address,
        "website": f"https://{slug}.example",
    }


class Command(BaseCommand):
    help = (
        "Load the demo ecosystem (16 projects with cards, legal data and logos, 2 representatives each, "
        "4 viewers, 3 staff; their lots in every status, responses, deals and threads). Safe to run again."
    )

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
                f"These are production settings: seed_demo would create {ACCOUNTS} accounts, an admin among them, "
                "whose password is public. Pass --i-know-this-is-production if this really is a demo server."
            )
        self._seed()

    @transaction.atomic
    def _seed(self):
        password = settings.PORTAL_DEMO_PASSWORD
        # Hashed once for every new account (the same public password): hashing it 39 times took most of the
        # seed's time.
        hashed = make_password(password)
        created_users = 0

        def account(email, **fields):
            nonlocal created_users
            user, created = User.objects.get_or_create(email=email, defaults=fields)
            if created:
                user.password = hashed
                user.save(update_fields=["password"])
                created_users += 1
            return user

        for email, first_name, last_name, role in DEMO_STAFF:
            account(email, first_name=first_name, last_name=last_name, role=role, status=UserStatus.ACTIVE)

        for index, (slug, name, category) in enumerate(DEMO_PROJECTS):
            project, _ = Project.objects.get_or_create(slug=slug, defaults={"name": name, "category": category})
            self._fill_card(project, demo_card(slug, name, index))
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

        # Viewers: they see everything of their project and change nothing.
        for slug, (first, last) in zip(DEMO_VIEWER_PROJECTS, DEMO_VIEWER_NAMES, strict=True):
            viewer = account(
                f"viewer@{slug}.example",
                first_name=first,
                last_name=last,
                role=Role.REPRESENTATIVE,
                status=UserStatus.ACTIVE,
            )
            Membership.objects.get_or_create(
                user=viewer, project=Project.objects.get(slug=slug), defaults={"right": ProjectRight.VIEWER}
            )

        moderator = User.objects.get(email="moderator@misty.example")
        for project in Project.objects.filter(slug__in=DEMO_CURATED_PROJECTS):
            curator_grant(project=project, user=moderator, actor=None)

        new_lots = seed_marketplace()
        new_visits = seed_visits()
        new_payments, new_disputes = seed_ledger()

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ecosystem ready: {Project.objects.count()} projects, {User.objects.count()} users "
                f"({created_users} new), {Lot.objects.count()} lots ({new_lots} new), {Deal.objects.count()} deals, "
                f"{Visit.objects.count()} referred visits ({new_visits} new), {new_payments} payments and "
                f"{new_disputes} disputes new. "
                f"Password for every demo account: {password}"
            )
        )
        self.stdout.write("Try these demo accounts:")
        for email, who in DEMO_PERSONAS:
            self.stdout.write(f"  {email:<34} {who}")

    def _fill_card(self, project: Project, card: dict) -> None:
        """Fill what the card lacks, through the services as staff would (a logo as an upload): a second run
        changes nothing, and what staff or the project changed since stays."""
        missing = {field: value for field, value in card.items() if getattr(project, field) in ("", None, 0)}
        logo = None
        if not project.logo:
            colour = DEMO_LOGO_COLOURS.get(project.category, (96, 125, 139))
            png = demo_logo_png(project.name, colour)
            logo = prepare_logo(SimpleUploadedFile("logo.png", png, content_type="image/png"))
        if missing or logo is not None:
            project_update(project=project, actor=None, data=missing, logo=logo)


def seed_access_requests() -> None:
    """Two open access requests for the staff queue (one per language); kept open on every run, never doubled."""
    for company, name, email, phone, language, message in DEMO_ACCESS_REQUESTS:
        AccessRequest.objects.get_or_create(
            email=email,
            status=AccessRequestStatus.OPEN,
            defaults={"company": company, "name": name, "phone": phone, "language": language, "message": message},
        )
