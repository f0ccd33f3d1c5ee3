import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from offers import services

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def lot_terms(**changes):
    values = {
        "title": "100 new guests for the lounge",
        "description": "Bring friends who never visited us.",
        "age_from": 18,
        "age_to": 35,
        "gender": "any",
        "segment": "students",
        "quota": 100,
        "benefit_type": "discount_percent",
        "benefit_value": Decimal("15"),
        "reward": Decimal("300"),
        "cashback_points": 50,
        "valid_from": TODAY,
        "valid_until": TODAY + dt.timedelta(days=60),
    }
    values.update(changes)
    return values


@pytest.fixture
def live_lot(rep_a, moderator, project_a):
    """A lot of project A, published."""
    lot = services.lot_create(project=project_a, actor=rep_a, data=lot_terms())
    services.lot_submit(lot=lot, actor=rep_a)
    return services.lot_approve(lot=lot, actor=moderator)


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_file(name: str = "brief.pdf"):
    """A small real PDF as a browser uploads it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def checked(*names: str, policy=None) -> list:
    """PDFs called `names`, checked as a form checks them (what the services take)."""
    from offers.attachments import LOT_ATTACHMENTS
    from portal.uploads import check_files

    return check_files([pdf_file(name) for name in names], policy or LOT_ATTACHMENTS)
