"""`manage.py invite_user`: invite a person from the shell (SPEC §4 Operations, "invite user"), exactly as
the staff page does — the same service, guards, journal entry and invitation email — on behalf of an
administrator named with `--by`."""

from django.core.management.base import BaseCommand, CommandError

from accounts import services
from accounts.models import Role, User
from portal.exceptions import ApplicationError
from projects.models import Project, ProjectRight


def parse_project(value: str) -> tuple[str, str]:
    """`slug` or `slug:viewer` → (slug, right); a manager unless said otherwise."""
    slug, _colon, right = value.partition(":")
    right = right or ProjectRight.MANAGER
    if right not in ProjectRight.values:
        raise CommandError(f"--project {value!r}: the right must be one of {', '.join(ProjectRight.values)}")
    return slug, right


class Command(BaseCommand):
    help = "Invite a person: creates the account and emails them a one-time link to set their password."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--by", required=True, metavar="ADMIN_EMAIL", help="the administrator who invites")
        parser.add_argument("--first-name", required=True)
        parser.add_argument("--last-name", default="")
        parser.add_argument("--phone", default="")
        parser.add_argument("--role", default=Role.REPRESENTATIVE, choices=Role.values)
        parser.add_argument("--language", default="ru", choices=["ru", "en"])
        parser.add_argument("--time-zone", default="Europe/Moscow")
        parser.add_argument(
            "--project",
            action="append",
            default=[],
            metavar="SLUG[:RIGHT]",
            help="a project of a representative, with the right manager (default) or viewer; repeat for several",
        )

    def handle(self, *args, **options):
        actor = User.objects.filter(email=options["by"].strip().lower()).first()
        if actor is None:
            raise CommandError(f"--by {options['by']!r}: no account has this email")
        if actor.role != Role.ADMIN or not actor.is_active:
            raise CommandError(f"--by {options['by']!r}: only an active administrator invites people")
        wanted = [parse_project(value) for value in options["project"]]
        projects = Project.objects.in_bulk([slug for slug, _right in wanted], field_name="slug")
        unknown = [slug for slug, _right in wanted if slug not in projects]
        if unknown:
            raise CommandError(f"unknown project(s): {', '.join(unknown)}")
        try:
            person = services.user_invite(
                actor=actor,
                email=options["email"],
                first_name=options["first_name"],
                last_name=options["last_name"],
                phone=options["phone"],
                role=options["role"],
                language=options["language"],
                time_zone=options["time_zone"],
                memberships=[(projects[slug], right) for slug, right in wanted],
            )
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Invited {person.email} ({person.get_role_display()}); the email is on its way.")
        )
