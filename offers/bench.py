"""Bench dataset `lots` and the staff moderation pages (`make bench`).

Large: 20,000 lots across the bench projects in every status, each with the revisions and status history
its status implies — about 3,000 of them waiting for moderation (first submissions, resubmissions after
changes were requested, and new terms of live lots). The bench moderator curates ten projects, so the
queue opens on "my projects" as a curator's does. Order 80: after every dataset built before it, so adding
it does not rebuild the others.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.urls import reverse

from offers.models import Lot, LotRevision, LotStatus, LotStatusChange, RevisionStatus
from portal.bench import by_size, dataset, insert_rows, page, personas

S = LotStatus
# (status, weight): most lots are live; a steady share waits for moderation.
_STATUSES = [
    (S.DRAFT, 10),
    (S.MODERATION, 8),
    (S.CHANGES_REQUESTED, 5),
    (S.REJECTED, 4),
    (S.PUBLISHED, 45),
    (S.PAUSED, 8),
    (S.CLOSED, 15),
    (S.ARCHIVED, 5),
]
LIVE_WITH_NEW_TERMS = 0.13  # published and paused lots whose owner proposed new terms that wait
CURATED_PROJECTS = 10
_OFFERS = [
    "Приведи друга",
    "Скидка новым гостям",
    "Бонусы за первый визит",
    "Welcome offer",
    "Кешбэк за первую покупку",
    "Вечер для новых клиентов",
]
_SEGMENTS = ["студенты", "молодые семьи", "офисные сотрудники", "владельцы собак", "спортсмены", ""]
_DESCRIPTION = (
    "Ищем партнёров, которые расскажут о нас своим клиентам: {offer}. Каждый новый гость получает выгоду, "
    "партнёр — вознаграждение за каждого приведённого клиента. Материалы для рассылки предоставим."
)
START = dt.datetime(2025, 1, 6, 9, tzinfo=dt.UTC)


def _terms(rng, i: int) -> dict:
    offer = _OFFERS[i % len(_OFFERS)]
    age_from = rng.choice([None, 18, 21, 25])
    valid_from = (START + dt.timedelta(days=i % 480)).date()
    return {
        "title": f"{offer} #{i:05d}",
        "description": _DESCRIPTION.format(offer=offer.lower()),
        "age_from": age_from,
        "age_to": None if age_from is None else age_from + rng.choice([10, 20, 30]),
        "gender": rng.choice(["any", "any", "female", "male"]),
        "segment": rng.choice(_SEGMENTS),
        "quota": rng.choice([10, 20, 50, 100, 200]),
        "benefit_type": rng.choice(["discount_percent", "discount_fixed", "bonus_points"]),
        "benefit_value": str(Decimal(rng.choice([5, 10, 15, 20, 500])).quantize(Decimal("0.01"))),
        "reward": str(Decimal(rng.choice([100, 150, 300, 500, 1000, 2500])).quantize(Decimal("0.01"))),
        "cashback_points": rng.choice([0, 0, 50, 100]),
        "valid_from": valid_from.isoformat(),
        "valid_until": (valid_from + dt.timedelta(days=rng.choice([30, 60, 90, 180]))).isoformat(),
    }


def _revised(terms: dict, rng) -> dict:
    """Terms an owner proposes instead: another reward and quota, a reworded description."""
    changed = dict(terms)
    changed["reward"] = str(Decimal(terms["reward"]) + rng.choice([50, 100, 200]))
    changed["quota"] = terms["quota"] + rng.choice([10, 50])
    changed["description"] = terms["description"].replace("Материалы", "Готовые материалы и промокоды")
    return changed


@dataset("lots", order=80)
def build(*, size):
    from guardian.shortcuts import assign_perm

    from projects.models import CURATE_PROJECT, Membership, Project

    rng = random.Random(80)
    n = by_size(size, small=1_000, large=20_000)
    projects = list(Project.objects.filter(active=True).order_by("id").values_list("id", flat=True))
    managers = dict(Membership.objects.order_by("project_id", "id").values_list("project_id", "user_id"))
    moderator = personas.moderator()
    moderator_id = moderator.pk
    for project in Project.objects.filter(pk__in=projects[:CURATED_PROJECTS]):
        assign_perm(f"projects.{CURATE_PROJECT}", moderator, project)

    statuses, weights = zip(*_STATUSES, strict=True)
    next_lot = (Lot.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    next_revision = (LotRevision.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    lots, revisions, history = [], [], []
    waiting = 0
    for i in range(n):
        lot_id = next_lot + i
        project_id = rng.choice(projects)
        author = managers.get(project_id)
        status = rng.choices(statuses, weights)[0]
        terms = _terms(rng, i)
        created = START + dt.timedelta(minutes=37 * i)
        submitted = created + dt.timedelta(hours=rng.randint(1, 72))
        reviewed = submitted + dt.timedelta(hours=rng.randint(1, 48))
        published = reviewed if status in (S.PUBLISHED, S.PAUSED, S.CLOSED, S.ARCHIVED) else None
        closed = reviewed + dt.timedelta(days=rng.randint(5, 60)) if status in (S.CLOSED, S.ARCHIVED) else None
        lots.append(
            (
                lot_id,
                project_id,
                status,
                *terms.values(),
                author,
                created,
                closed or reviewed,
                None if status == S.DRAFT else submitted,
                published,
                closed,
                "owner" if closed else "",
            )
        )
        history.append((lot_id, "", S.DRAFT, author, "", created))
        if status == S.DRAFT:
            continue
        history.append((lot_id, S.DRAFT, S.MODERATION, author, "", submitted))

        def revision(number, status_, terms_, at, reviewed_at=None, comment="", lot_id=lot_id, author=author):
            reviewer = moderator_id if reviewed_at else None
            row = (number, terms_, status_, author, at, reviewer, reviewed_at, comment)
            revisions.append((next_revision + len(revisions), lot_id, *row))

        if status == S.MODERATION:
            waiting += 1
            if i % 3 == 0:  # a resubmission: changes were asked for once
                revision(1, RevisionStatus.CHANGES_REQUESTED, terms, submitted, reviewed, "Уточните сегмент.")
                revision(2, RevisionStatus.PENDING, _revised(terms, rng), reviewed + dt.timedelta(hours=5))
            else:
                revision(1, RevisionStatus.PENDING, terms, submitted)
            continue
        outcome = {S.CHANGES_REQUESTED: RevisionStatus.CHANGES_REQUESTED, S.REJECTED: RevisionStatus.REJECTED}.get(
            status, RevisionStatus.APPROVED
        )
        comment = {RevisionStatus.CHANGES_REQUESTED: "Уточните сегмент.", RevisionStatus.REJECTED: "Не по теме."}
        revision(1, outcome, terms, submitted, reviewed, comment.get(outcome, ""))
        history.append(
            (
                lot_id,
                S.MODERATION,
                S.PUBLISHED if published else status,
                moderator_id,
                comment.get(outcome, ""),
                reviewed,
            )
        )
        if status in (S.PUBLISHED, S.PAUSED) and rng.random() < LIVE_WITH_NEW_TERMS:
            waiting += 1
            revision(2, RevisionStatus.PENDING, _revised(terms, rng), reviewed + dt.timedelta(days=rng.randint(1, 90)))
        if status == S.PAUSED:
            history.append((lot_id, S.PUBLISHED, S.PAUSED, author, "", reviewed + dt.timedelta(days=3)))
        if closed:
            history.append((lot_id, S.PUBLISHED, S.CLOSED, author, "", closed))
        if status == S.ARCHIVED:
            history.append((lot_id, S.CLOSED, S.ARCHIVED, author, "", closed + dt.timedelta(days=1)))

    term_columns = list(_terms(random.Random(0), 0))
    lot_columns = [
        "id",
        "project_id",
        "status",
        *term_columns,
        "created_by_id",
        "created_at",
        "updated_at",
        "submitted_at",
        "published_at",
        "closed_at",
        "close_reason",
    ]
    insert_rows(Lot._meta.db_table, lot_columns, lots)
    revision_columns = [
        "id",
        "lot_id",
        "number",
        "terms",
        "status",
        "author_id",
        "created_at",
        "reviewer_id",
        "reviewed_at",
        "comment",
    ]
    insert_rows(LotRevision._meta.db_table, revision_columns, revisions)
    history_columns = ["lot_id", "from_status", "to_status", "actor_id", "comment", "created_at"]
    insert_rows(LotStatusChange._meta.db_table, history_columns, history)
    approved = LotRevision.objects.filter(lot=OuterRef("pk"), status=RevisionStatus.APPROVED).order_by("-number")
    Lot.objects.filter(published_at__isnull=False).update(live_revision=Subquery(approved.values("pk")[:1]))
    return {"lots": len(lots), "revisions": len(revisions), "waiting": waiting, "status changes": len(history)}


def _text(lines) -> HttpResponse:
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def bare_pool(request):
    """The pool's main query without its page: the first 50 lots, newest first, with their project."""
    rows = Lot.objects.select_related("project").order_by("-created_at", "-id")[:50]
    return _text(f"{lot.title} {lot.project.name} {lot.status} {lot.reward}" for lot in rows)


def bare_queue(request):
    """The queue's main query without its page: the 50 oldest pending revisions, with lot and project."""
    rows = (
        LotRevision.objects.filter(status=RevisionStatus.PENDING, lot__status__in=[S.MODERATION, S.PUBLISHED, S.PAUSED])
        .select_related("lot__project")
        .order_by("created_at", "id")[:50]
    )
    return _text(f"{r.lot.title} {r.lot.project.name} #{r.number} {r.created_at}" for r in rows)


def bare_card(request, pk):
    """The card's reads without its page: the lot, its revisions and its history."""
    lot = Lot.objects.select_related("project").get(pk=pk)
    revisions = list(lot.revisions.order_by("-number"))
    history = list(lot.history.order_by("-created_at")[:100])
    return _text([lot.title, lot.project.name, *(str(r.terms) for r in revisions), *(h.to_status for h in history)])


def _waiting_terms_lot() -> int:
    """A live lot with new terms waiting after several reviews: the card with the most to show."""
    return (
        LotRevision.objects.filter(status=RevisionStatus.PENDING, lot__status=S.PUBLISHED)
        .order_by("id")
        .values_list("lot_id", flat=True)
        .first()
    )


def _curated():
    from projects.selectors import curated_projects

    return list(curated_projects(personas.moderator()).values_list("pk", flat=True))


def _one_title(**lot_filters) -> str:
    """The code of one pending lot matching `lot_filters` ("#00042"): searching for it leaves a single row."""
    lot_filters = {f"lot__{key}": value for key, value in (lot_filters or {"status": S.MODERATION}).items()}
    title = (
        LotRevision.objects.filter(status=RevisionStatus.PENDING, **lot_filters)
        .order_by("id")
        .values_list("lot__title", flat=True)
        .first()
    )
    return "%23" + title.rsplit("#", 1)[1]


page(
    "staff: lots pool",
    url=lambda: reverse("staff:lots"),
    one_row_url=lambda: f"{reverse('staff:lots')}?q={_one_title()}",
    persona=personas.director,
    bare=bare_pool,
)

_FILTERED = "status=published&category=lounge&o=-reward"
page(
    "staff: lots pool, filtered and sorted",
    url=lambda: f"{reverse('staff:lots')}?{_FILTERED}",
    one_row_url=lambda: (
        f"{reverse('staff:lots')}?{_FILTERED}&q={_one_title(status=S.PUBLISHED, project__category='lounge')}"
    ),
    persona=personas.moderator,
    bare=bare_pool,
)

page(
    "staff: lots queue (a curator: my projects)",
    url=lambda: reverse("staff:lot_queue"),
    one_row_url=lambda: f"{reverse('staff:lot_queue')}?q={_one_title(project__in=_curated())}",
    persona=personas.moderator,
    bare=bare_queue,
)

page(
    "staff: lots queue, all projects",
    url=lambda: f"{reverse('staff:lot_queue')}?scope=all",
    one_row_url=lambda: f"{reverse('staff:lot_queue')}?scope=all&q={_one_title()}",
    persona=personas.moderator,
    bare=bare_queue,
)

page(
    "staff: lot card with new terms",
    url=lambda: reverse("staff:lot_detail", kwargs={"pk": _waiting_terms_lot()}),
    persona=personas.moderator,
    bare=bare_card,
)
