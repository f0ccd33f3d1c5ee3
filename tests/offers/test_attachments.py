"""Attachments of lots and deal messages (offers/attachments.py, the services, cabinets/views/attachments.py):
upload attacks refused through the pages with nothing stored, a lot's files moderated with its terms, who may
download what (and the 404 for everyone else), the download's headers and its journal entry, and the query
budgets of the pages that list files."""

import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from auditlog.models import AuditEvent
from offers import services
from offers.attachments import ATTACHMENTS_KEY, LOT_ATTACHMENTS, MESSAGE_ATTACHMENTS
from offers.models import Attachment, Lot, LotRevision
from portal.budget import MAX_QUERIES_PER_PAGE
from portal.exceptions import ApplicationError
from portal.uploads import MB
from tests.cabinets.test_lot_pages import form_data
from tests.factories import MembershipFactory, ProjectFactory, UserFactory
from tests.offers.conftest import PDF_BYTES, checked, lot_terms, pdf_file
from tests.portal.test_uploads import docx

STORED_NAME = re.compile(r"offers/(lots|messages)/[0-9a-f]{32}\.pdf")


def cabinet(name, project, **kwargs):
    return reverse(f"cabinet:{name}", kwargs={"project_slug": project.slug, **kwargs})


def stored(prefix="offers/lots") -> set[str]:
    """The names the storage holds under `prefix` (the in-memory storage outlives a test: compare sets)."""
    try:
        return {f"{prefix}/{name}" for name in default_storage.listdir(prefix)[1]}
    except FileNotFoundError:
        return set()


def live_names(lot) -> list[str]:
    return sorted(Attachment.objects.filter(lot=lot, live=True).values_list("display_name", flat=True))


def names_of(ids) -> list[str]:
    return sorted(Attachment.objects.filter(pk__in=ids).values_list("display_name", flat=True))


@pytest.fixture
def live_lot_with_file(rep_a, moderator, project_a):
    lot = services.lot_create(project=project_a, actor=rep_a, data=lot_terms(), files=checked("brief.pdf"))
    services.lot_submit(lot=lot, actor=rep_a)
    return services.lot_approve(lot=lot, actor=moderator)


# --- upload attacks, through the lot form ------------------------------------------------------------------


def zip_bomb_docx() -> bytes:
    """A real .docx with one more part of 101 MB of zeros: ~100 KB packed, over the 100 MB unpacked bound."""
    return docx(**{"word/media/zeros.bin": b"\0" * (101 * MB)})


@pytest.mark.parametrize(
    "files,message",
    [
        (
            [SimpleUploadedFile("offer.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>")],
            "“offer.pdf” is not a file of an allowed type. Allowed: PDF, DOCX, PPTX, XLSX, JPG, PNG, WEBP.",
        ),
        ([SimpleUploadedFile("huge.pdf", PDF_BYTES + b"\0" * (10 * MB))], "“huge.pdf” is larger than 10.0"),
        ([pdf_file(f"f{i}.pdf") for i in range(11)], "Upload at most 10 files."),
        ([SimpleUploadedFile("bomb.docx", zip_bomb_docx())], "“bomb.docx” unpacks to more than 100.0"),
    ],
    ids=["html-named-pdf", "oversized", "too-many", "zip-bomb-docx"],
)
def test_an_upload_attack_is_refused_with_a_clear_message_and_nothing_stored(client_as, project_a, files, message):
    before = stored()
    response = client_as("rep_a").post(
        cabinet("lot_create", project_a), {**form_data(title="Kept title", segment="kept segment"), "files": files}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'value="Kept title"' in html and 'value="kept segment"' in html, "what was typed is kept"
    assert not Lot.objects.exists() and not Attachment.objects.exists()
    assert stored() == before


def test_the_count_includes_the_files_already_attached(client_as, project_a, rep_a):
    lot = services.lot_create(
        project=project_a, actor=rep_a, data=lot_terms(), files=checked(*[f"f{i}.pdf" for i in range(9)])
    )
    client = client_as("rep_a")
    two = [pdf_file("x.pdf"), pdf_file("y.pdf")]
    response = client.post(cabinet("lot_edit", project_a, pk=lot.pk), {**form_data(), "files": two})
    assert "At most 10 files may be attached, and 9 are attached already." in response.content.decode()
    assert lot.attachments.count() == 9
    # A refused file keeps the ticks of the files to remove as well as the typed fields.
    first = lot.attachments.order_by("pk").first()
    html_pdf = SimpleUploadedFile("fake.pdf", b"<html><body>x</body></html>")
    response = client.post(
        cabinet("lot_edit", project_a, pk=lot.pk),
        {**form_data(title="Typed"), "files": [html_pdf], "remove": [first.pk]},
    )
    html = response.content.decode()
    assert "“fake.pdf” is not a file of an allowed type." in html and 'value="Typed"' in html
    assert re.search(rf'value="{first.pk}" id="remove-{first.pk}" checked', html)
    # Taking one off makes room for the two.
    first = lot.attachments.order_by("pk").first()
    two = [pdf_file("x.pdf"), pdf_file("y.pdf")]
    response = client.post(
        cabinet("lot_edit", project_a, pk=lot.pk), {**form_data(), "files": two, "remove": [first.pk], "then": "draft"}
    )
    assert response.status_code == 302
    assert len(live_names(lot)) == 10 and "x.pdf" in live_names(lot) and first.display_name not in live_names(lot)


def test_the_service_counts_again(project_a, rep_a):
    before = stored()
    with pytest.raises(ApplicationError, match="at most 10 files"):
        services.lot_create(project=project_a, actor=rep_a, data=lot_terms(), files=checked(*["a.pdf"] * 10) * 2)
    assert stored() == before and not Lot.objects.exists()


def test_a_file_name_with_path_parts_and_control_characters_is_stored_under_a_generated_name(
    client_as, project_a, rep_a
):
    evil = pdf_file("../../etc/\u202eevil\x07\nname.pdf")
    response = client_as("rep_a").post(cabinet("lot_create", project_a), {**form_data(then="draft"), "files": [evil]})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert STORED_NAME.fullmatch(attachment.file), attachment.file
    # The path parts are gone, the bidi override and the bell too (the test client may drop the newline itself).
    assert re.fullmatch(r"evil ?name\.pdf", attachment.display_name), attachment.display_name
    card = client_as("rep_a").get(response["Location"]).content.decode()
    assert attachment.display_name in card and "\u202e" not in card and "../" not in card


def test_a_failing_service_deletes_the_files_it_stored(project_a, rep_a, monkeypatch):
    before = stored()

    def broken(**kwargs):
        raise RuntimeError("the journal is down")

    monkeypatch.setattr(services.auditlog, "record", broken)
    with pytest.raises(RuntimeError):
        services.lot_create(project=project_a, actor=rep_a, data=lot_terms(), files=checked("a.pdf"))
    assert stored() == before


# --- a lot's files are part of its terms under moderation -----------------------------------------------------


def test_a_draft_takes_files_and_a_file_taken_off_is_deleted(
    project_a, rep_a, django_capture_on_commit_callbacks, client_as
):
    lot = services.lot_create(project=project_a, actor=rep_a, data=lot_terms(), files=checked("a.pdf", "b.pdf"))
    assert live_names(lot) == ["a.pdf", "b.pdf"]
    a = lot.attachments.get(display_name="a.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        services.lot_update(lot=lot, actor=rep_a, data=lot_terms(), remove={a.pk})
    assert live_names(lot) == ["b.pdf"]
    assert not Attachment.objects.filter(pk=a.pk).exists(), "nothing names a draft's removed file"
    assert not default_storage.exists(a.file)
    services.lot_submit(lot=lot, actor=rep_a)
    revision = LotRevision.objects.get(lot=lot)
    assert names_of(revision.terms[ATTACHMENTS_KEY]) == ["b.pdf"]


def test_a_file_taken_off_after_review_is_kept_for_the_diff(client_as, project_a, rep_a, moderator):
    lot = services.lot_create(project=project_a, actor=rep_a, data=lot_terms(), files=checked("old.pdf"))
    services.lot_submit(lot=lot, actor=rep_a)
    services.lot_request_changes(lot=lot, actor=moderator, comment="Another menu, please.")
    old = lot.attachments.get()
    services.lot_update(lot=lot, actor=rep_a, data=lot_terms(), files=checked("new.pdf"), remove={old.pk})
    assert Attachment.objects.filter(pk=old.pk).exists(), "revision #1, reviewed, names it"
    services.lot_submit(lot=lot, actor=rep_a)
    response = client_as("moderator").get(reverse("staff:lot_detail", args=[lot.pk]))
    change = next(c for c in response.context["changed"] if c.name == ATTACHMENTS_KEY)
    assert str(change.html) == "<ins>new.pdf</ins><br><del>old.pdf</del>"
    assert client_as("moderator").get(reverse("staff:attachment", args=[old.pk])).status_code == 200


def test_a_live_lots_file_change_waits_for_approval(
    client_as, project_a, project_b, rep_a, moderator, live_lot_with_file
):
    lot = live_lot_with_file
    brief = lot.attachments.get()
    services.lot_update(lot=lot, actor=rep_a, data=lot_terms(), files=checked("deck.pdf"), remove={brief.pk})
    deck = lot.attachments.get(display_name="deck.pdf")
    assert live_names(lot) == ["brief.pdf"], "partners keep the approved file"
    pending = lot.revisions.get(status="pending")
    assert pending.terms[ATTACHMENTS_KEY] == [deck.pk]

    partner = client_as("rep_b")
    page = partner.get(cabinet("market_lot", project_b, pk=lot.pk)).content.decode()
    assert "brief.pdf" in page and "deck.pdf" not in page
    assert partner.get(cabinet("market_attachment", project_b, pk=lot.pk, attachment_pk=deck.pk)).status_code == 404
    assert partner.get(cabinet("market_attachment", project_b, pk=lot.pk, attachment_pk=brief.pk)).status_code == 200
    # The owner sees both, the proposed one marked new and the removed one struck out.
    card = client_as("rep_a").get(cabinet("lot_detail", project_a, pk=lot.pk)).content.decode()
    assert 'data-testid="proposed-files"' in card and "<del" in card and 'data-changed="attachments"' in card
    assert (
        client_as("rep_a").get(cabinet("lot_attachment", project_a, pk=lot.pk, attachment_pk=deck.pk)).status_code
        == 200
    )

    services.lot_approve(lot=lot, actor=moderator)
    partner = client_as("rep_b")
    assert live_names(lot) == ["deck.pdf"]
    assert Attachment.objects.filter(pk=brief.pk).exists(), "revision #1 still names it: kept for the history"
    assert partner.get(cabinet("market_attachment", project_b, pk=lot.pk, attachment_pk=brief.pk)).status_code == 404
    assert partner.get(cabinet("market_attachment", project_b, pk=lot.pk, attachment_pk=deck.pk)).status_code == 200
    event = AuditEvent.objects.filter(event="offers.lot.revision_approved").latest("pk")
    assert event.changes[ATTACHMENTS_KEY] == {"old": ["brief.pdf"], "new": ["deck.pdf"]}


def test_a_rejected_file_change_leaves_the_live_files(rep_a, moderator, live_lot_with_file):
    lot = live_lot_with_file
    services.lot_update(lot=lot, actor=rep_a, data=lot_terms(), files=checked("deck.pdf"))
    services.lot_reject(lot=lot, actor=moderator, reason="Not this deck.")
    assert live_names(lot) == ["brief.pdf"]
    assert lot.attachments.filter(display_name="deck.pdf").exists(), "the rejected revision names it"


def test_editing_again_while_waiting_replaces_the_proposed_files(
    rep_a, live_lot_with_file, django_capture_on_commit_callbacks
):
    lot = live_lot_with_file
    services.lot_update(lot=lot, actor=rep_a, data=lot_terms(), files=checked("v1.pdf"))
    v1 = lot.attachments.get(display_name="v1.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        services.lot_update(lot=lot, actor=rep_a, data=lot_terms(), files=checked("v2.pdf"), remove={v1.pk})
    pending = lot.revisions.get(status="pending")
    assert names_of(pending.terms[ATTACHMENTS_KEY]) == ["brief.pdf", "v2.pdf"]
    assert not Attachment.objects.filter(pk=v1.pk).exists() and not default_storage.exists(v1.file)


def test_an_edit_that_changes_nothing_is_refused_and_a_file_alone_is_a_change(rep_a, live_lot_with_file):
    lot = live_lot_with_file
    with pytest.raises(ApplicationError, match="Nothing changed"):
        services.lot_update(lot=lot, actor=rep_a, data=lot_terms())
    services.lot_update(lot=lot, actor=rep_a, data=lot_terms(), remove={lot.attachments.get().pk})
    assert lot.revisions.get(status="pending").terms[ATTACHMENTS_KEY] == []


def test_the_edit_form_starts_from_the_proposed_files(client_as, project_a, rep_a, live_lot_with_file):
    lot = live_lot_with_file
    services.lot_update(lot=lot, actor=rep_a, data=lot_terms(), files=checked("deck.pdf"))
    response = client_as("rep_a").get(cabinet("lot_edit", project_a, pk=lot.pk))
    rows = [a.display_name for a, _ticked in response.context["form"].attachment_rows()]
    assert rows == ["brief.pdf", "deck.pdf"]
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_the_moderator_sees_the_files_added_and_removed_by_name(client_as, rep_a, live_lot_with_file):
    lot = live_lot_with_file
    services.lot_update(
        lot=lot,
        actor=rep_a,
        data=lot_terms(),
        files=checked("<img src=x onerror=alert(1)>.pdf"),
        remove={lot.attachments.get().pk},
    )
    response = client_as("moderator").get(reverse("staff:lot_detail", args=[lot.pk]))
    change = next(c for c in response.context["changed"] if c.name == ATTACHMENTS_KEY)
    assert str(change.html) == "<ins>&lt;img src=x onerror=alert(1)&gt;.pdf</ins><br><del>brief.pdf</del>"
    html = response.content.decode()
    assert 'data-field="attachments"' in html and 'data-testid="pending-files"' in html
    deck = lot.attachments.get(display_name="<img src=x onerror=alert(1)>.pdf")
    assert "<img src=x" not in html
    assert f'href="/staff/files/{deck.pk}/"' in html
    director = client_as("director").get(reverse("staff:lot_detail", args=[lot.pk])).content.decode()
    assert "/staff/files/" not in director, "the director may not open files: no link"


# --- deal messages -----------------------------------------------------------------------------------------


@pytest.fixture
def deal(live_lot, project_b, rep_b, rep_a):
    response = services.response_submit(lot=live_lot, project=project_b, actor=rep_b, data={"channels": "Posters"})
    return services.response_accept(response=response, actor=rep_a)


def test_a_message_carries_files_the_other_side_downloads(client_as, project_a, project_b, deal):
    response = client_as("rep_b").post(
        cabinet("deal_message", project_b, code=deal.code), {"body": "", "files": [pdf_file("poster.pdf")]}
    )
    assert response.status_code == 302, "a file alone is a message"
    attachment = Attachment.objects.get()
    assert STORED_NAME.fullmatch(attachment.file) and attachment.message.deal == deal
    page = client_as("rep_a").get(cabinet("deal_detail", project_a, code=deal.code)).content.decode()
    href = cabinet("deal_attachment", project_a, code=deal.code, attachment_pk=attachment.pk)
    assert f'href="{href}"' in page and "poster.pdf" in page
    download = client_as("rep_a").get(href)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES


def test_a_message_with_too_many_or_bad_files_is_refused_and_keeps_its_text(client_as, project_b, deal):
    before = stored("offers/messages")
    files = [pdf_file(f"f{i}.pdf") for i in range(MESSAGE_ATTACHMENTS.max_files + 1)]
    response = client_as("rep_b").post(
        cabinet("deal_message", project_b, code=deal.code), {"body": "Our posters", "files": files}
    )
    html = response.content.decode()
    assert "Upload at most 5 files." in html and "Our posters" in html
    fake = SimpleUploadedFile("photo.png", b"<html><body>no</body></html>")
    response = client_as("rep_b").post(
        cabinet("deal_message", project_b, code=deal.code), {"body": "Our posters", "files": [fake]}
    )
    assert "“photo.png” is not a file of an allowed type." in response.content.decode()
    assert not deal.messages.exists() and not Attachment.objects.exists()
    assert stored("offers/messages") == before


# --- downloads: who, how, journaled -----------------------------------------------------------------------------


def test_a_download_is_an_attachment_never_rendered_and_is_journaled(client_as, project_a, rep_a):
    lot = services.lot_create(project=project_a, actor=rep_a, data=lot_terms(), files=checked("Отчёт.pdf"))
    attachment = lot.attachments.get()
    response = client_as("rep_a").get(cabinet("lot_attachment", project_a, pk=lot.pk, attachment_pk=attachment.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == "attachment; filename=\"Otchet.pdf\"; filename*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(event="files.downloaded")
    assert (event.actor, event.project, event.object_type, event.object_id) == (
        rep_a,
        project_a,
        "offers.attachment",
        str(attachment.pk),
    )
    assert event.object_text == "Отчёт.pdf"


def test_another_project_gets_404_for_a_drafts_file_and_it_is_journaled(client_as, project_a, project_b, rep_a):
    lot = services.lot_create(project=project_a, actor=rep_a, data=lot_terms(), files=checked("a.pdf"))
    attachment = lot.attachments.get()
    client = client_as("rep_b")
    # A's file asked for in B's own cabinet, as the owner's file and as a marketplace file: nothing there.
    assert client.get(cabinet("lot_attachment", project_b, pk=lot.pk, attachment_pk=attachment.pk)).status_code == 404
    assert (
        client.get(cabinet("market_attachment", project_b, pk=lot.pk, attachment_pk=attachment.pk)).status_code == 404
    )
    assert client.get(cabinet("lot_attachment", project_a, pk=lot.pk, attachment_pk=attachment.pk)).status_code == 404
    assert not AuditEvent.objects.filter(event="files.downloaded").exists()
    assert AuditEvent.objects.filter(event="access.not_found").count() == 3


def test_a_file_of_a_deal_is_404_for_a_project_not_party_to_it(client_as, project_a, project_b, rep_a, deal):
    message = services.deal_message_post(deal=deal, actor=rep_a, body="Poster", files=checked("p.pdf"))
    attachment = message.attachments.get()
    other = ProjectFactory(name="Gamma Gym", slug="gamma")
    stranger = UserFactory(email="rep@gamma.example")
    MembershipFactory(user=stranger, project=other)
    client = client_as("rep_a")
    client.force_login(stranger)
    assert client.get(cabinet("deal_attachment", other, code=deal.code, attachment_pk=attachment.pk)).status_code == 404
    # A file of a lot is not a file of a deal, even to a party of both.
    lot_file = services.lot_create(project=project_a, actor=rep_a, data=lot_terms(), files=checked("l.pdf"))
    lot_file = lot_file.attachments.get()
    partner = client_as("rep_b")
    assert (
        partner.get(cabinet("deal_attachment", project_b, code=deal.code, attachment_pk=lot_file.pk)).status_code == 404
    )
    assert (
        partner.get(cabinet("deal_attachment", project_b, code=deal.code, attachment_pk=attachment.pk)).status_code
        == 200
    )


def test_staff_who_moderate_open_any_file_the_director_does_not(client_as, rep_a, project_a, deal):
    message = services.deal_message_post(deal=deal, actor=rep_a, body="Poster", files=checked("p.pdf"))
    attachment = message.attachments.get()
    url = reverse("staff:attachment", kwargs={"pk": attachment.pk})
    assert client_as("moderator").get(url).status_code == 200
    event = AuditEvent.objects.get(event="files.downloaded")
    assert event.project == project_a and event.object_id == str(attachment.pk)
    assert client_as("director").get(url).status_code == 403
    assert client_as("rep_a").get(url).status_code == 403


def test_a_file_missing_from_the_storage_is_404(client_as, project_a, rep_a):
    lot = services.lot_create(project=project_a, actor=rep_a, data=lot_terms(), files=checked("a.pdf"))
    attachment = lot.attachments.get()
    default_storage.delete(attachment.file)
    response = client_as("rep_a").get(cabinet("lot_attachment", project_a, pk=lot.pk, attachment_pk=attachment.pk))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(event="files.downloaded").exists()


# --- query budgets ------------------------------------------------------------------------------------------


def bulk_files(n, **owner) -> None:
    Attachment.objects.bulk_create(
        Attachment(
            file=f"offers/lots/{i:032x}.pdf",
            display_name=f"file {i}.pdf",
            content_type="application/pdf",
            size=10,
            **owner,
        )
        for i in range(n)
    )


def test_the_pages_with_files_cost_the_same_with_one_file_or_many(
    client_as, project_a, project_b, rep_a, live_lot_with_file, deal
):
    lot = live_lot_with_file
    services.lot_update(lot=lot, actor=rep_a, data=lot_terms(), files=checked("deck.pdf"))
    services.deal_message_post(deal=deal, actor=rep_a, body="hello", files=checked("p.pdf", policy=MESSAGE_ATTACHMENTS))

    def grow():
        bulk_files(LOT_ATTACHMENTS.max_files, lot=lot, live=True)
        pending = lot.revisions.get(status="pending")
        pending.terms[ATTACHMENTS_KEY] += list(lot.attachments.filter(live=True).values_list("pk", flat=True))
        pending.save()
        for i in range(40):
            message = services.deal_message_post(deal=deal, actor=rep_a, body=f"m{i}")
            bulk_files(3, message=message)

    pages = [
        ("rep_a", cabinet("lot_detail", project_a, pk=lot.pk)),
        ("rep_a", cabinet("lot_edit", project_a, pk=lot.pk)),
        ("rep_b", cabinet("market_lot", project_b, pk=lot.pk)),
        ("rep_b", cabinet("deal_detail", project_b, code=deal.code)),
        ("moderator", reverse("staff:lot_detail", args=[lot.pk])),
    ]

    def count(persona, url):
        client = client_as(persona)
        client.get(url)  # warm, as page_queries does
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        return len(captured.captured_queries), response.content.decode().count('data-testid="attach')

    before = {url: count(persona, url) for persona, url in pages}
    grow()
    after = {url: count(persona, url) for persona, url in pages}
    for url in before:
        assert after[url][0] == before[url][0] <= MAX_QUERIES_PER_PAGE, (url, before[url], after[url])
        assert after[url][1] > before[url][1], f"{url}: the new files are listed"
