"""Bench dataset `projects`: the ecosystem every other bench dataset builds on.

Large: 200 projects (every 25th inactive; each with a catalog card) with two representatives of their own,
20 representatives who work for 3-5 projects, the persona `rep@bench.example` (5 projects), and three staff
accounts. The fixed names are in `portal.bench.personas`. Also the catalog pages a representative opens.
"""

import datetime as dt
import random
from urllib.parse import urlencode

from django.contrib.auth.hashers import make_password
from django.http import HttpResponse
from django.urls import reverse

from accounts.models import Role, User, UserStatus
from portal.bench import bulk_create_in_batches, by_size, dataset, page, personas
from projects.models import Category, Membership, Project
from projects.selectors import catalog_list, catalog_project_get

_KINDS = ["Lounge", "Grooming", "Steak House", "Barbershop", "Coffee", "Fitness", "Beauty Studio", "Kids Club"]
_WORDS = ["Misty", "Cloud", "Amber", "Velvet", "North", "Sunny", "Silver", "Green", "Urban", "Cosy"]
_CATEGORIES = [
    Category.LOUNGE,
    Category.GROOMING,
    Category.RESTAURANT,
    Category.BARBERSHOP,
    Category.COFFEE,
    Category.FITNESS,
    Category.BEAUTY,
    Category.KIDS,
]  # one per entry of _KINDS
_PLACES = ["в центре города", "у метро", "в спальном районе", "в торговом центре", "на набережной"]
_AUDIENCES = [
    "Молодёжь 20–35 лет, студенты и офисные сотрудники",
    "Семьи с детьми и владельцы домашних животных",
    "Ценители кофе, фрилансеры, гости района",
    "Мужчины 25–45 лет, предприниматели",
    "Женщины 25–50 лет, постоянные клиентки салонов",
]
_FIRST = ["Анна", "Иван", "Мария", "Дмитрий", "Елена", "Алексей", "Ольга", "Сергей", "Alice", "Bob"]
_LAST = ["Смирнова", "Кузнецов", "Попова", "Васильев", "Соколова", "Михайлов", "Новикова", "Фёдоров", "Brown", "Smith"]
_ZONES = [
    "Europe/Moscow",
    "Europe/Moscow",
    "Europe/Moscow",
    "Asia/Yekaterinburg",
    "Asia/Novosibirsk",
    "Europe/Kaliningrad",
]


def _card(i: int) -> dict:
    """A catalog card as staff would fill it: category, a short description, an audience, figures."""
    kind = _KINDS[i % len(_KINDS)]
    return {
        "category": _CATEGORIES[i % len(_CATEGORIES)],
        "description": (
            f"{kind} {_PLACES[i % len(_PLACES)]}: работаем с {2010 + i % 15} года, "
            f"{2 + i % 4} зала, своя программа лояльности и события для гостей по выходным."
        ),
        "audience": _AUDIENCES[i % len(_AUDIENCES)],
        "average_check": 500 + (i * 137) % 4500,
        "client_points": (i * 7919) % 2_000_000,
    }


@dataset("projects", order=10, version=2)
def build(*, size):
    rng = random.Random(10)
    project_count = by_size(size, small=20, large=200)
    multi_count = by_size(size, small=4, large=20)
    password = make_password(personas.PASSWORD)  # one hash shared by every account: hashing is the slow part
    joined = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)

    def account(email, full_name, role=Role.REPRESENTATIVE, status=UserStatus.ACTIVE, n=0):
        first_name, _space, last_name = full_name.partition(" ")
        return User(  # bulk_create skips save(): the derived full_name is set here too
            email=email,
            first_name=first_name,
            last_name=last_name,
            full_name=full_name,
            phone=f"+7 900 {n // 10000 % 1000:03d}-{n // 100 % 100:02d}-{n % 100:02d}",
            role=role,
            status=status,
            language="en" if n % 5 == 0 else "ru",
            time_zone=_ZONES[n % len(_ZONES)],
            password=password,
            date_joined=joined + dt.timedelta(hours=n),
        )

    staff = [
        account(personas.ADMIN_EMAIL, "Bench Admin", Role.ADMIN, n=1),
        account(personas.MODERATOR_EMAIL, "Bench Moderator", Role.MODERATOR, n=2),
        account(personas.DIRECTOR_EMAIL, "Bench Director", Role.DIRECTOR, n=3),
    ]
    persona = account(personas.REP_EMAIL, "Bench Representative", n=4)

    slugs = [f"bench-{i:03d}" for i in range(1, project_count)] + [personas.SOLO_PROJECT_SLUG]
    bulk_create_in_batches(
        Project,
        (
            Project(
                name=f"{_WORDS[i % len(_WORDS)]} {_KINDS[i % len(_KINDS)]} {i:03d}",
                slug=slug,
                active=(i % 25 != 0) or slug == personas.SOLO_PROJECT_SLUG,
                **_card(i),
            )
            for i, slug in enumerate(slugs, start=1)
        ),
    )
    project_ids = dict(Project.objects.filter(slug__in=slugs).values_list("slug", "id"))
    shared_slugs = slugs[:-1]  # the solo project keeps the persona as its only representative

    reps = []
    own_project = {}
    for i, slug in enumerate(shared_slugs, start=1):
        for number in (1, 2):
            email = f"rep-{i:03d}-{number}@bench.example"
            status = (
                UserStatus.BLOCKED
                if i % 17 == 0 and number == 2
                else UserStatus.INVITED
                if i % 13 == 0 and number == 2
                else UserStatus.ACTIVE
            )
            reps.append(
                account(email, f"{_FIRST[(i + number) % 10]} {_LAST[i % 10]}", status=status, n=100 + 2 * i + number)
            )
            own_project[email] = [slug]
    for k in range(1, multi_count + 1):
        email = f"multi-{k:02d}@bench.example"
        reps.append(account(email, f"{_FIRST[k % 10]} {_LAST[(k + 3) % 10]} (multi)", n=5000 + k))
        own_project[email] = rng.sample(shared_slugs, rng.randint(3, 5))
    reps.append(persona)
    own_project[personas.REP_EMAIL] = [personas.MAIN_PROJECT_SLUG, *shared_slugs[1:4], personas.SOLO_PROJECT_SLUG]
    # The main project also has a few multi-project representatives, so its team has the most rows.
    for k in range(1, min(3, multi_count) + 1):
        slugs_of_k = own_project[f"multi-{k:02d}@bench.example"]
        if personas.MAIN_PROJECT_SLUG not in slugs_of_k:
            slugs_of_k.append(personas.MAIN_PROJECT_SLUG)

    bulk_create_in_batches(User, [*staff, *reps])
    user_ids = dict(User.objects.filter(email__in=list(own_project)).values_list("email", "id"))
    memberships = bulk_create_in_batches(
        Membership,
        (
            Membership(user_id=user_ids[email], project_id=project_ids[slug])
            for email, project_slugs in own_project.items()
            for slug in project_slugs
        ),
    )
    return {"projects": len(slugs), "users": len(staff) + len(reps), "memberships": memberships}


def _catalog_url(query: str = "") -> str:
    return reverse("cabinet:catalog", kwargs={"project_slug": personas.MAIN_PROJECT_SLUG}) + query


def bare_catalog(request, project_slug=None):
    """The catalog's main query — the first page of cards — as plain text."""
    cards = catalog_list(user=request.user)[:48]
    return HttpResponse(
        "\n".join(f"{p.name} {p.category} {p.average_check} {p.client_points} {p.audience}" for p in cards),
        content_type="text/plain; charset=utf-8",
    )


def bare_catalog_project(request, project_slug=None, slug=None):
    project = catalog_project_get(user=request.user, slug=slug)
    return HttpResponse(f"{project.name}\n{project.description}\n{project.address}", content_type="text/plain")


page(
    "rep: project catalog",
    url=_catalog_url,
    # One card: the solo project found by its name (the same queries, one row).
    one_row_url=lambda: _catalog_url("?" + urlencode({"q": personas.project(personas.SOLO_PROJECT_SLUG).name})),
    persona=personas.rep,
    bare=bare_catalog,
    admin="admin:projects_project_changelist",
)

page(
    "rep: catalog project card",
    url=lambda: reverse(
        "cabinet:catalog_project",
        kwargs={"project_slug": personas.MAIN_PROJECT_SLUG, "slug": personas.SOLO_PROJECT_SLUG},
    ),
    persona=personas.rep,
    bare=bare_catalog_project,
    admin="admin:projects_project_changelist",
)
