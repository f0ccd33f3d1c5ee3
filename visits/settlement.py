"""Settlement netting (SPEC §7.4, PATTERNS "Settlement netting"): for a period, what each pair of projects owes
the other in both directions, less what each already paid the other for it, netted into one amount per pair.

* A project that received a partner's clients owes the partner their rewards (`FlowDay.reward`, net of
  reversals). The platform's commission is owed to Misty and is not netted between projects: it is its own line.
* A payment counts for the period when its own period lies inside it, or, given without a period, when it was
  paid inside it.
* Pairs are unordered and stored once, `a < b` (project ids). `net > 0`: `a` pays `b` that much; `net < 0`: `b`
  pays `a`. Each project's position is the sum of its nets (> 0: it is owed money); all positions sum to zero.
  Pairwise netting, not "simplify debts" across the group: businesses invoice each other, not a chain.

Three queries whatever the number of projects: the roll-ups by pair, the payments by pair, the names.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum

from projects.models import Project
from visits.models import FlowDay, Payment

ZERO = Decimal("0.00")
Pair = tuple[int, int]  # (debtor or payer, creditor or payee)


@dataclass(frozen=True)
class PairNet:
    a: int
    b: int
    a_owes: Decimal = ZERO  # rewards a owes b: b's clients came to a
    b_owes: Decimal = ZERO
    a_paid: Decimal = ZERO  # what a already paid b for the period
    b_paid: Decimal = ZERO

    @property
    def net(self) -> Decimal:
        """> 0: a pays b; < 0: b pays a."""
        return (self.a_owes - self.a_paid) - (self.b_owes - self.b_paid)

    def pays(self, payer: int, payee: int) -> Decimal:
        """What `payer` pays `payee` after netting (negative: it receives)."""
        if (payer, payee) == (self.a, self.b):
            return self.net
        if (payer, payee) == (self.b, self.a):
            return -self.net
        raise ValueError("not this pair")


def net_pairs(owed: Mapping[Pair, Decimal], paid: Mapping[Pair, Decimal]) -> dict[Pair, PairNet]:
    """The pure netting: `owed[(debtor, creditor)]` and `paid[(payer, payee)]` → one `PairNet` per unordered pair."""
    parts: dict[Pair, dict[str, Decimal]] = defaultdict(dict)
    for source, name in ((owed, "owes"), (paid, "paid")):
        for (x, y), amount in source.items():
            if x == y:
                raise ValueError("a project owes nothing to itself")
            a, b = min(x, y), max(x, y)
            key = f"{'a' if x == a else 'b'}_{name}"
            parts[(a, b)][key] = parts[(a, b)].get(key, ZERO) + Decimal(amount)
    return {pair: PairNet(pair[0], pair[1], **amounts) for pair, amounts in sorted(parts.items())}


def positions(pairs: Mapping[Pair, PairNet]) -> dict[int, Decimal]:
    """Each project's position: > 0, the others owe it that much on balance; < 0, it owes."""
    result: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for pair in pairs.values():
        result[pair.b] += pair.net
        result[pair.a] -= pair.net
    return dict(result)


@dataclass
class CounterpartLine:
    """One counterpart seen from one project."""

    project_id: int
    name: str
    slug: str
    they_owe: Decimal
    we_owe: Decimal
    they_paid: Decimal
    we_paid: Decimal
    net: Decimal  # > 0: they pay us; < 0: we pay them


@dataclass
class Settlement:
    start: datetime.date
    end: datetime.date
    pairs: dict[Pair, PairNet]
    names: dict[int, tuple[str, str]]  # id → (name, slug)
    commission: dict[int, Decimal] = field(default_factory=dict)  # owed to Misty, by project
    commission_paid: dict[int, Decimal] = field(default_factory=dict)

    @property
    def positions(self) -> dict[int, Decimal]:
        return positions(self.pairs)

    def name(self, project_id: int) -> str:
        return self.names.get(project_id, ("", ""))[0]

    def lines_for(self, project_id: int) -> list[CounterpartLine]:
        """The project's counterparts, the largest net first (then by name)."""
        lines = []
        for pair in self.pairs.values():
            if project_id not in (pair.a, pair.b):
                continue
            mine = "a" if pair.a == project_id else "b"
            other = pair.b if mine == "a" else pair.a
            theirs = "b" if mine == "a" else "a"
            name, slug = self.names.get(other, ("", ""))
            lines.append(
                CounterpartLine(
                    project_id=other,
                    name=name,
                    slug=slug,
                    they_owe=getattr(pair, f"{theirs}_owes"),
                    we_owe=getattr(pair, f"{mine}_owes"),
                    they_paid=getattr(pair, f"{theirs}_paid"),
                    we_paid=getattr(pair, f"{mine}_paid"),
                    net=pair.pays(other, project_id),
                )
            )
        return sorted(lines, key=lambda line: (-abs(line.net), line.name))

    def transfers(self) -> list[tuple[str, str, Decimal]]:
        """Who pays whom after netting, the largest first: (payer's name, payee's name, amount)."""
        rows = []
        for pair in self.pairs.values():
            if pair.net > 0:
                rows.append((self.name(pair.a), self.name(pair.b), pair.net))
            elif pair.net < 0:
                rows.append((self.name(pair.b), self.name(pair.a), -pair.net))
        return sorted(rows, key=lambda row: (-row[2], row[0], row[1]))


def _payments_of(start: datetime.date, end: datetime.date):
    inside = Q(period_from__gte=start, period_to__lte=end) | Q(period_from__isnull=True, paid_on__range=(start, end))
    return Payment.objects.filter(inside)


def settlement(*, start: datetime.date, end: datetime.date, project: Project | None = None) -> Settlement:
    """The netting of `start`..`end` (days, inclusive) for the whole ecosystem, or only the pairs of `project`."""
    flows = FlowDay.objects.filter(day__range=(start, end))
    payments = _payments_of(start, end)
    if project is not None:
        flows = flows.filter(Q(owner=project) | Q(partner=project))
        payments = payments.filter(Q(payer=project) | Q(payee=project))
    owed: dict[Pair, Decimal] = {}
    commission: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for owner, partner, reward, fee in (
        flows.order_by()
        .values_list("owner", "partner")
        .annotate(reward=Sum("reward"), fee=Sum("commission"))
        .values_list("owner", "partner", "reward", "fee")
    ):
        if reward:
            owed[(owner, partner)] = reward
        commission[owner] += fee or ZERO
    paid: dict[Pair, Decimal] = {}
    commission_paid: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for payer, payee, amount in (
        payments.order_by()
        .values_list("payer", "payee")
        .annotate(total=Sum("amount"))
        .values_list("payer", "payee", "total")
    ):
        if payee is None:
            commission_paid[payer] += amount
        else:
            paid[(payer, payee)] = amount
    pairs = net_pairs(owed, paid)
    ids = {pid for pair in pairs for pid in pair} | set(commission) | set(commission_paid)
    if project is not None:
        ids.add(project.pk)
    names = {
        pk: (name, slug) for pk, name, slug in Project.objects.filter(pk__in=ids).values_list("pk", "name", "slug")
    }
    if project is not None:
        commission = {project.pk: commission.get(project.pk, ZERO)}
        commission_paid = {project.pk: commission_paid.get(project.pk, ZERO)}
    return Settlement(
        start=start,
        end=end,
        pairs=pairs,
        names=names,
        commission=dict(commission),
        commission_paid=dict(commission_paid),
    )


def previous_month(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    end = today.replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1), end


def month_bounds(first: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = first.replace(day=1)
    following = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, following - datetime.timedelta(days=1)
