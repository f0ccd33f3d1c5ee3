"""Bench dataset `people` and the staff people pages (`make bench`).

The `projects` dataset makes ~420 accounts; this one adds representatives until the user catalog holds
~2,000 people (large): each works for one or two projects (every fifth as a viewer), a mix of active,
invited and blocked, and last activity spread from today to never. Order 70: after every dataset built
before it, so adding it does not rebuild the others.
"""

import datetime as dt
import random

from django.http import HttpResponse
from django.urls import reverse

from accounts.models import Role, User, UserStatus
from accounts.selectors import user_filterset, user_get
from portal.bench import bulk_create_in_batches, by_size, dataset, page, personas
from projects.models import Membership, Project, ProjectRight

_FIRST = ["Анна", "Иван", "Мария", "Дмитрий", "Елена", "Алексей", "Ольга", "Сергей", "Alice", "Bob", "Nina", "Oleg"]
_LAST = ["Смирнова", "Кузнецов", "Попова", "Васильев", "Соколова", "Михайлов", "Новикова", "Фёдоров", "Brown", "Smith"]
CATALOG_SIZE = {"small": 120, "large": 2_000}


@dataset("people", order=70)
def build(*, size):
    rng = random.Random(70)
    wanted = by_size(size, small=CATALOG_SIZE["small"], large=CATALOG_SIZE["large"]) - User.objects.count()
    project_ids = list(Project.objects.filter(active=True).values_list("id", flat=True))
    password = User.objects.get(email=personas.ADMIN_EMAIL).password  # the bench password's one hash
    now = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
    people = []
    for n in range(max(wanted, 0)):
        first, last = _FIRST[n % len(_FIRST)], _LAST[(n // len(_FIRST)) % len(_LAST)]
        status = UserStatus.INVITED if n % 11 == 0 else UserStatus.BLOCKED if n % 29 == 0 else UserStatus.ACTIVE
        seen = None if status == UserStatus.INVITED or n % 7 == 0 else now - dt.timedelta(hours=rng.randint(1, 24 * 90))
        people.append(
            User(  # bulk_create skips save(): the derived full_name is set here too
                email=f"person-{n:05d}@people.bench.example",
                first_name=first,
                last_name=last,
                full_name=f"{first} {last}",
                phone=f"+7 901 {n // 10000 % 1000:03d}-{n // 100 % 100:02d}-{n % 100:02d}",
                role=Role.REPRESENTATIVE,
                status=status,
                language="en" if n % 4 == 0 else "ru",
                password=password if status != UserStatus.INVITED else "!",
                last_login=seen,
                invited_at=now - dt.timedelta(days=rng.randint(1, 400)),
                date_joined=now - dt.timedelta(days=400),
            )
        )
    bulk_create_in_batches(User, people)
    ids = User.objects.filter(email__endswith="@people.bench.example").values_list("id", flat=True)
    memberships = bulk_create_in_batches(
        Membership,
        (
            Membership(
                user_id=user_id,
                project_id=project_id,
                right=ProjectRight.VIEWER if (user_id + k) % 5 == 0 else ProjectRight.MANAGER,
            )
            for user_id in ids
            for k, project_id in enumerate(rng.sample(project_ids, 1 + user_id % 2))
        ),
    )
    return {"people": len(people), "memberships": memberships}


def _text(lines) -> HttpResponse:
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def bare_catalog(request):
    """The catalog's main query without its page: the first 50 people by name, with their projects."""
    filterset = user_filterset(user=request.user, data={})
    rows = filterset.qs[:50]
    return _text(f"{p.full_name} <{p.email}> {len(p.memberships.all())}" for p in rows)


def bare_card(request, pk):
    """The card's reads without its page: the person with projects and inviter, and their recent events."""
    from auditlog.selectors import audit_events_about_user

    person = user_get(user=request.user, pk=pk)
    events = audit_events_about_user(user=request.user, subject=person)
    return _text([str(person), *(m.project.name for m in person.memberships.all()), *(e.event for e in events)])


page(
    "staff: users",
    url=lambda: reverse("staff:users"),
    one_row_url=lambda: f"{reverse('staff:users')}?q={personas.DIRECTOR_EMAIL}",
    persona=personas.admin,
    bare=bare_catalog,
    admin="admin:accounts_user_changelist",
)

_ACTIVE_REPS = "role=representative&status=active&o=-last_login"

page(
    "staff: users, filtered and sorted",
    # Not "last 30 days": the dataset's moments are fixed (deterministic), so that would soon match nobody.
    url=lambda: f"{reverse('staff:users')}?{_ACTIVE_REPS}",
    one_row_url=lambda: f"{reverse('staff:users')}?{_ACTIVE_REPS}&q={personas.REP_EMAIL}",
    persona=personas.director,
    bare=bare_catalog,
    admin=lambda: f"{reverse('admin:accounts_user_changelist')}?status__exact=active",
)

page(
    "staff: user card",
    url=lambda: reverse("staff:user_detail", kwargs={"pk": personas.rep().pk}),
    persona=personas.admin,
    bare=bare_card,
    admin=lambda: reverse("admin:accounts_user_change", args=[personas.rep().pk]),
)
