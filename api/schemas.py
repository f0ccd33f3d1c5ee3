"""The visits API's request and response bodies (pydantic, through django-ninja): what the OpenAPI schema says."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from ninja import Field, Schema
from pydantic import field_validator


def in_utc(value: datetime.datetime | None) -> datetime.datetime | None:
    """A moment as UTC: any offset ISO 8601 allows (PostgreSQL refuses those beyond ±15:59), a naive one read
    in the portal's time zone; a moment that leaves the calendar on conversion is a validation error."""
    if value is None:
        return None
    if value.tzinfo is None:
        from zoneinfo import ZoneInfo

        value = value.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    try:
        return value.astimezone(datetime.UTC)
    except (OverflowError, ValueError):
        raise ValueError("the moment is out of range") from None


class VisitIn(Schema):
    code: str = Field(
        ..., min_length=1, max_length=40, description="The deal's referral code, any case, dashes allowed"
    )
    client_phone: str | None = Field(
        None, max_length=40, description="The client's phone (e.g. +7 916 123-45-67); or give client_card"
    )
    client_card: str | None = Field(None, max_length=40, description="The client's loyalty card number")
    visited_at: datetime.datetime | None = Field(None, description="When the client came (ISO 8601); default: now")
    check_amount: Decimal | None = Field(None, ge=0, le=100_000_000, decimal_places=2, description="Check, ₽")
    points_spent: int = Field(0, ge=0, le=10_000_000, description="Loyalty points the client spent")
    external_id: str = Field(
        ...,
        min_length=1,
        max_length=100,
        description="Your id of this visit: a retry with it is answered, not repeated",
    )

    _visited_at_in_utc = field_validator("visited_at")(in_utc)


class VisitOut(Schema):
    id: int
    deal: str = Field(..., description="The deal's referral code, as printed (ABC-789)")
    visited_at: datetime.datetime
    check_amount: Decimal | None
    reward: Decimal = Field(..., description="Reward to the partner, ₽")
    commission: Decimal = Field(..., description="Platform commission, ₽")
    points_accrued: int
    points_spent: int
    status: str = Field(..., description="confirmed | reversed")
    source: str = Field(..., description="manual | import | api")
    external_id: str
    recorded_at: datetime.datetime


class VisitCreated(VisitOut):
    quota_reached: bool = Field(..., description="This visit filled the lot: it is closed, its deals completed")


class VisitPage(Schema):
    items: list[VisitOut]
    next_after: int | None = Field(None, description="Pass as `after` for the next page; null on the last page")


class ErrorBody(Schema):
    code: str = Field(..., description="Stable error code (see the table in the description)")
    message: str = Field(..., description="What went wrong, in the request's language (Russian by default)")


class ErrorOut(Schema):
    error: ErrorBody


class VisitsQuery(Schema):
    since: datetime.datetime | None = Field(None, description="Only visits recorded at or after this moment")
    after: int | None = Field(None, ge=0, description="The `next_after` of the previous page")
    limit: int = Field(100, ge=1, le=500, description="At most this many visits (1–500)")

    _since_in_utc = field_validator("since")(in_utc)
