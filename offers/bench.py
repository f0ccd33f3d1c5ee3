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

from offers.models import (
    TERM_FIELDS,
    Deal,
    DealMessage,
    DealStatus,
    DealThreadRead,
    Lot,
    LotRevision,
    LotStatus,
    LotStatusChange,
    Response,
    ResponseStatus,
    RevisionStatus,
    terms_snapshot,
)
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
    # No one-row comparison here: the whole queue's count is also the menu's badge (`remember_lots_waiting`),
    # so this page makes one COUNT fewer than any searched one. The curator's page above is the N+1 check of
    # the same rows and template.
    persona=personas.moderator,
    bare=bare_queue,
)

page(
    "staff: lot card with new terms",
    url=lambda: reverse("staff:lot_detail", kwargs={"pk": _waiting_terms_lot()}),
    persona=personas.moderator,
    bare=bare_card,
    admin=lambda: reverse("admin:offers_lot_change", args=[_waiting_terms_lot()]),
)


# --- dataset `deals`: responses, deals, their threads and who read them ------------------------------------

R, D = ResponseStatus, DealStatus
# The "50k responses and 100k deals": a deal *is* an accepted response (one-to-one), so the dataset
# holds 100k accepted responses, each with its deal, and 50k more that never became one (pending, rejected,
# withdrawn) — 150k responses in all (docs/DECISIONS.md).
_OTHER_RESPONSES = [(R.PENDING, 30), (R.REJECTED, 45), (R.WITHDRAWN, 25)]
THREAD_SHARE = 0.4  # deals whose two sides wrote to each other; the rest have no message yet
LONG_THREADS = 5  # deals of the main project with a long thread: the deal page with the most to show
LONG_THREAD_MESSAGES = 60
_CHANNELS = [
    "Рассылка по базе клиентов и пост в нашем канале.",
    "Листовки на стойке администратора и сторис в соцсетях.",
    "Упоминание в еженедельной email-рассылке, баннер на сайте.",
    "Карточки в зале и личная рекомендация мастеров.",
]
_MESSAGES = [
    "Добрый день! Запускаем рассылку в понедельник.",
    "Отлично, пришлите, пожалуйста, макет листовки.",
    "Макет во вложении, проверьте реквизиты.",
    "Первые пять клиентов пришли по коду, спасибо!",
    "Можно продлить акцию ещё на месяц?",
    "Да, обсудим на следующей неделе.",
]


def _codes(rng, n: int) -> list[str]:
    from offers.codes import ALPHABET, BANNED, LENGTH

    made: set[str] = set()
    while len(made) < n:
        code = "".join(rng.choices(ALPHABET, k=LENGTH))
        if not any(word in code for word in BANNED):
            made.add(code)
    return sorted(made, key=lambda _c: rng.random())


@dataset("deals", order=90)
def build_deals(*, size):
    """Large: 100,000 deals (each from an accepted response) and 50,000 other responses on the 14,600 lots that
    were ever published; 40% of the deals have a thread, the main project has a few long ones; every side's
    representative has read some threads (`DealThreadRead`). The solo project has one response and one deal,
    as the partner, and its own lots none: the "one row" side of the responses and deals pages."""
    from projects.models import Membership, Project

    rng = random.Random(90)
    n_deals = by_size(size, small=5_000, large=100_000)
    n_other = by_size(size, small=2_500, large=50_000)
    solo = personas.project(personas.SOLO_PROJECT_SLUG).pk
    main = personas.project(personas.MAIN_PROJECT_SLUG).pk
    rep = personas.rep().pk
    moderator = personas.moderator().pk
    partners = [p for p in Project.objects.filter(active=True).order_by("id").values_list("id", flat=True) if p != solo]
    members: dict[int, list[int]] = {}
    for project_id, user_id in Membership.objects.order_by("id").values_list("project_id", "user_id"):
        members.setdefault(project_id, []).append(user_id)
    lots = list(
        Lot.objects.filter(published_at__isnull=False)
        .exclude(project_id=solo)
        .order_by("id")
        .values("id", "project_id", "status", "published_at", "closed_at", "live_revision_id", *TERM_FIELDS)
    )
    live = [lot for lot in lots if lot["status"] == S.PUBLISHED]
    codes = iter(_codes(rng, n_deals))
    now = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)

    responses, deals, messages = [], [], []
    reads: dict[tuple[int, int], dt.datetime] = {}  # (deal, user) -> read_at: one row each
    pending_pairs: set[tuple[int, int]] = set()

    def respond(lot, partner, status, at):
        response_id = len(responses) + 1
        decided = at + dt.timedelta(hours=rng.randint(2, 96)) if status != R.PENDING else None
        responses.append(
            (
                response_id,
                lot["id"],
                partner,
                status,
                rng.choice(_CHANNELS),
                rng.choice([None, 200, 500, 1500, 5000]),
                (at + dt.timedelta(days=rng.randint(1, 14))).date(),
                rng.choice(members[partner]),
                at,
                rng.choice(members[lot["project_id"]]) if decided else None,
                decided,
                "Сейчас не подходит по срокам." if status == R.REJECTED else "",
            )
        )
        return response_id, decided

    def thread(deal_id, owner, partner, start, count):
        for k in range(count):
            side = None if k % 11 == 10 else owner if k % 2 == 0 else partner  # now and then Misty staff
            author = moderator if side is None else rng.choice(members[side])
            at = start + dt.timedelta(hours=3 * k + rng.randint(0, 2))
            messages.append((deal_id, author, side, _MESSAGES[(deal_id + k) % len(_MESSAGES)], at))
        last = start + dt.timedelta(hours=3 * count)
        # Each side's first representative (and the persona on its projects) read the thread up to some point.
        for side in (owner, partner):
            for user in {members[side][0], *([rep] if rep in members[side] else [])}:
                if rng.random() < 0.7:
                    reads[deal_id, user] = start + (last - start) * rng.random()

    def end_of(lot):
        return lot["closed_at"] or now

    def when(lot):
        return lot["published_at"] + (end_of(lot) - lot["published_at"]) * rng.random()

    terms: dict[int, dict] = {}

    def terms_of(lot):
        if lot["id"] not in terms:
            terms[lot["id"]] = terms_snapshot(lot)
        return terms[lot["id"]]

    for i in range(n_deals - 1):  # and the solo project's deal below
        lot = lots[i % len(lots)] if i < len(lots) else rng.choice(lots)
        owner = lot["project_id"]
        partner = rng.choice(partners)
        while partner == owner:
            partner = rng.choice(partners)
        response_id, created = respond(lot, partner, R.ACCEPTED, when(lot))
        if lot["status"] in (S.PUBLISHED, S.PAUSED):
            status = rng.choices([D.ACTIVE, D.COMPLETED, D.CANCELLED], [70, 20, 10])[0]
        else:
            status = rng.choices([D.COMPLETED, D.CANCELLED], [85, 15])[0]
        ended = None if status == D.ACTIVE else min(created + dt.timedelta(days=rng.randint(3, 90)), end_of(lot))
        deal_id = i + 1
        deals.append(
            (
                deal_id,
                lot["id"],
                response_id,
                owner,
                partner,
                next(codes),
                terms_of(lot),
                lot["live_revision_id"],
                status,
                created,
                ended,
                rng.choice(members[owner]) if ended else None,
                "Не сработались." if status == D.CANCELLED else "",
            )
        )
        if rng.random() < THREAD_SHARE:
            thread(deal_id, owner, partner, created + dt.timedelta(hours=1), rng.randint(2, 10))

    # The solo project's single response and deal, as the partner of the main project's newest live lot.
    main_live = [lot for lot in live if lot["project_id"] == main]
    solo_lot = max(main_live, key=lambda lot: lot["published_at"])
    response_id, created = respond(solo_lot, solo, R.ACCEPTED, when(solo_lot))
    deal_id = len(deals) + 1
    deals.append(
        (deal_id, solo_lot["id"], response_id, main, solo, next(iter(_codes(random.Random(91), 1))),
         terms_of(solo_lot), solo_lot["live_revision_id"], D.ACTIVE, created, None, None, "")
    )  # fmt: skip
    thread(deal_id, main, solo, created + dt.timedelta(hours=1), 1)
    # The main project's long threads: its newest active deals as the owner.
    main_active = sorted(
        (d for d in deals if d[3] == main and d[8] == D.ACTIVE and d[4] != solo), key=lambda d: d[9], reverse=True
    )
    for d in main_active[:LONG_THREADS]:
        thread(d[0], main, d[4], d[9] + dt.timedelta(minutes=30), LONG_THREAD_MESSAGES)

    statuses, weights = zip(*_OTHER_RESPONSES, strict=True)
    made = 0
    while made < n_other:
        status = rng.choices(statuses, weights)[0]
        lot = rng.choice(live if status == R.PENDING else lots)
        partner = rng.choice(partners)
        if partner == lot["project_id"] or (status == R.PENDING and (lot["id"], partner) in pending_pairs):
            continue
        if status == R.PENDING:
            pending_pairs.add((lot["id"], partner))
        respond(lot, partner, status, when(lot))
        made += 1

    response_columns = [
        "id",
        "lot_id",
        "project_id",
        "status",
        "channels",
        "expected_reach",
        "proposed_start",
        "created_by_id",
        "created_at",
        "decided_by_id",
        "decided_at",
        "reason",
    ]
    insert_rows(Response._meta.db_table, response_columns, responses)
    deal_columns = [
        "id",
        "lot_id",
        "response_id",
        "owner_id",
        "partner_id",
        "code",
        "terms",
        "revision_id",
        "status",
        "created_at",
        "ended_at",
        "ended_by_id",
        "end_reason",
    ]
    insert_rows(Deal._meta.db_table, deal_columns, deals)
    message_columns = ["deal_id", "author_id", "author_project_id", "body", "created_at"]
    insert_rows(DealMessage._meta.db_table, message_columns, sorted(messages, key=lambda m: (m[4], m[0])))
    read_rows = ((deal_id, user, at) for (deal_id, user), at in reads.items())
    insert_rows(DealThreadRead._meta.db_table, ["deal_id", "user_id", "read_at"], read_rows)
    return {"responses": len(responses), "deals": len(deals), "messages": len(messages), "thread reads": len(reads)}


# --- the representative's pages: marketplace, own lots, lot card, responses, deals, deal thread ------------
# A page is one `page(...)` declaration: its URL (`_cabinet`), a one-row URL when it is a list, a bare view
# over the same selector without the page's templates, and the admin page of the same rows.


def _cabinet(name: str, slug: str = personas.MAIN_PROJECT_SLUG, query: str = "", **kwargs) -> str:
    return reverse(f"cabinet:{name}", kwargs={"project_slug": slug, **kwargs}) + (f"?{query}" if query else "")


def _admin(model: str, query: str = "") -> str:
    return reverse(f"admin:offers_{model}_changelist") + (f"?{query}" if query else "")


def _main() -> int:
    return personas.project(personas.MAIN_PROJECT_SLUG).pk


def _cabinet_project(request, project_slug):
    from projects.selectors import project_get

    return project_get(user=request.user, slug=project_slug)


def _code(title: str) -> str:
    return "%23" + title.rsplit("#", 1)[1]  # "#00042", URL-encoded: a search that leaves one lot


def bare_market(request, project_slug):
    from offers.selectors import market_lots

    rows = market_lots(project=_cabinet_project(request, project_slug))[:24]
    return _text(f"{lot.title} {lot.project.name} {lot.reward} {lot.my_deal_code}" for lot in rows)


def _market_one_lot() -> str:
    title = (
        Lot.objects.filter(status=S.PUBLISHED, project__active=True)
        .exclude(project=_main())
        .order_by("id")
        .values_list("title", flat=True)
        .first()
    )
    return _code(title)


page(
    "rep: marketplace",
    url=lambda: _cabinet("market"),
    one_row_url=lambda: _cabinet("market", query=f"q={_market_one_lot()}"),
    persona=personas.rep,
    bare=bare_market,
    admin=lambda: _admin("lot", "status__exact=published"),
)

_MARKET_FILTERED = "category=lounge&benefit_type=discount_percent&reward_min=300&age=30"
page(
    "rep: marketplace, filtered",
    url=lambda: _cabinet("market", query=_MARKET_FILTERED),
    one_row_url=lambda: _cabinet("market", query=f"q={_market_one_lot()}&reward_min=0"),
    persona=personas.rep,
    bare=bare_market,
    admin=lambda: _admin("lot", "status__exact=published&benefit_type__exact=discount_percent"),
)


def bare_own_lots(request, project_slug):
    from offers.selectors import own_lots

    rows = own_lots(project=_cabinet_project(request, project_slug)).exclude(status=S.ARCHIVED)[:50]
    return _text(f"{lot.title} {lot.status} {lot.reward} {lot.has_pending_revision}" for lot in rows)


def _own_one_lot() -> str:
    title = Lot.objects.filter(project=_main()).exclude(status=S.ARCHIVED).values_list("title", flat=True).first()
    return _code(title)


page(
    "rep: own lots",
    url=lambda: _cabinet("lots"),
    one_row_url=lambda: _cabinet("lots", query=f"q={_own_one_lot()}"),
    persona=personas.rep,
    bare=bare_own_lots,
    admin=lambda: _admin("lot", f"project__id__exact={_main()}"),
)


def _busiest_own_lot() -> int:
    """The main project's lot with the most deals (and new terms waiting, when one has them)."""
    from django.db.models import Count

    return (
        Deal.objects.filter(owner=_main())
        .values("lot")
        .annotate(n=Count("pk"))
        .order_by("-n", "lot")
        .values_list("lot", flat=True)
        .first()
    )


def bare_own_lot(request, project_slug, pk):
    from offers.selectors import own_lot_get, own_lot_history, own_lot_latest_revision

    lot = own_lot_get(project=_cabinet_project(request, project_slug), pk=int(pk))
    revision = own_lot_latest_revision(lot=lot)
    history = own_lot_history(lot=lot)
    return _text([lot.title, str(lot.deals_count), str(revision.terms), *(h.to_status for h in history)])


page(
    "rep: lot card",
    url=lambda: _cabinet("lot_detail", pk=_busiest_own_lot()),
    persona=personas.rep,
    bare=bare_own_lot,
    admin=lambda: reverse("admin:offers_lot_change", args=[_busiest_own_lot()]),
)


def bare_responses(request, project_slug):
    from offers.selectors import responses_filterset

    rows = responses_filterset(project=_cabinet_project(request, project_slug), data={}).qs[:50]
    return _text(f"{r.lot.title} {r.project.name} {r.status} {r.side}" for r in rows)


page(
    "rep: responses",
    url=lambda: _cabinet("responses"),
    one_row_url=lambda: _cabinet("responses", personas.SOLO_PROJECT_SLUG),
    persona=personas.rep,
    bare=bare_responses,
    admin=lambda: _admin("response", f"project__id__exact={_main()}"),
)


def bare_deals(request, project_slug):
    from offers.selectors import deals_filterset

    project = _cabinet_project(request, project_slug)
    rows = deals_filterset(project=project, user=request.user, data={}).qs[:50]
    return _text(f"{d.code} {d.lot.title} {d.owner.name} {d.partner.name} {d.unread}" for d in rows)


page(
    "rep: deals",
    url=lambda: _cabinet("deals"),
    one_row_url=lambda: _cabinet("deals", personas.SOLO_PROJECT_SLUG),
    persona=personas.rep,
    bare=bare_deals,
    admin=lambda: _admin("deal", f"owner__id__exact={_main()}"),
)


def _longest_thread() -> Deal:
    from django.db.models import Count

    return (
        Deal.objects.filter(owner=_main(), status=D.ACTIVE)
        .annotate(n=Count("messages"))
        .order_by("-n", "id")
        .only("pk", "code")
        .first()
    )


def _solo_deal_code() -> str:
    """The main project's deal with the solo project: a thread of one message."""
    solo = personas.project(personas.SOLO_PROJECT_SLUG)
    return Deal.objects.filter(partner=solo).values_list("code", flat=True).get()


def bare_deal(request, project_slug, code):
    from offers.selectors import deal_get, deal_messages

    deal = deal_get(project=_cabinet_project(request, project_slug), code=code)
    thread = deal_messages(deal=deal)
    return _text([deal.code, deal.owner.name, deal.partner.name, *(f"{m.author.full_name}: {m.body}" for m in thread)])


page(
    "rep: deal thread",
    url=lambda: _cabinet("deal_detail", code=_longest_thread().code),
    one_row_url=lambda: _cabinet("deal_detail", code=_solo_deal_code()),
    persona=personas.rep,
    bare=bare_deal,
    admin=lambda: _admin("dealmessage", f"deal__id__exact={_longest_thread().pk}"),
)


def bare_overview(request, project_slug):
    from offers.overview import overview_filterset, overview_page_rows

    project = _cabinet_project(request, project_slug)
    rows = overview_filterset(project=project, data={}).qs[:50]
    rows = overview_page_rows(project=project, user=request.user, rows=rows)
    return _text(f"{r.lot.title} {r.counterpart.name} {r.status} {r.reward} {r.commission} {r.active}" for r in rows)


page(
    "rep: overview",
    url=lambda: _cabinet("overview"),
    one_row_url=lambda: _cabinet("overview", personas.SOLO_PROJECT_SLUG),
    persona=personas.rep,
    bare=bare_overview,
    admin=lambda: _admin("response", f"project__id__exact={_main()}"),
)


# --- staff: every project's overview and deals -------------------------------------------------------------


def _solo() -> int:
    return personas.project(personas.SOLO_PROJECT_SLUG).pk


def bare_staff_overview(request):
    from offers.overview import staff_overview_filterset, staff_overview_page_rows

    rows = staff_overview_filterset(user=request.user, data={}).qs[:50]
    rows = staff_overview_page_rows(user=request.user, rows=rows)
    return _text(f"{r.lot.title} {r.project.name} {r.status} {r.reward} {r.commission} {r.active}" for r in rows)


page(
    "staff: overview",
    url=lambda: reverse("staff:overview"),
    one_row_url=lambda: f"{reverse('staff:overview')}?project={_solo()}",
    persona=personas.director,
    bare=bare_staff_overview,
    admin=lambda: _admin("response"),
)


def bare_staff_deals(request):
    from offers.selectors import staff_deal_filterset, staff_deal_page_rows

    rows = staff_deal_filterset(user=request.user, data={}).qs[:50]
    rows = staff_deal_page_rows(user=request.user, rows=rows)
    return _text(f"{d.code} {d.lot.title} {d.owner.name} {d.partner.name} {d.messages_count}" for d in rows)


page(
    "staff: deals",
    url=lambda: reverse("staff:deals"),
    one_row_url=lambda: f"{reverse('staff:deals')}?project={_solo()}",
    persona=personas.director,
    bare=bare_staff_deals,
    admin=lambda: _admin("deal"),
)


def bare_staff_deal(request, code):
    from offers.selectors import deal_messages, staff_deal_get

    deal = staff_deal_get(user=request.user, code=code)
    thread = deal_messages(deal=deal)
    return _text([deal.code, deal.owner.name, deal.partner.name, *(f"{m.author.full_name}: {m.body}" for m in thread)])


page(
    "staff: deal thread",
    url=lambda: reverse("staff:deal_detail", kwargs={"code": _longest_thread().code}),
    one_row_url=lambda: reverse("staff:deal_detail", kwargs={"code": _solo_deal_code()}),
    persona=personas.moderator,
    bare=bare_staff_deal,
    admin=lambda: _admin("dealmessage", f"deal__id__exact={_longest_thread().pk}"),
)
