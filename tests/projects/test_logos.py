"""Logo uploads: checked by content, bounded in bytes and pixels, converted, stored under a generated name.
Each attack (an HTML page named .png, a 40 MB file, a decompression bomb) is refused with a clear message
and stores nothing."""

import io
import re
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image, ImageFile

from projects import logos
from projects.logos import LOGO_MAX_SIDE, prepare_logo
from projects.services import project_update


@pytest.fixture(autouse=True)
def _english():
    """The messages are matched in English."""
    with translation.override("en"):
        yield


STORED_NAME = re.compile(r"^projects/logos/[0-9a-f]{32}\.png$")


def image_bytes(size=(64, 48), mode="RGB", fmt="PNG", color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color if mode != "1" else 0).save(out, format=fmt)
    return out.getvalue()


def upload(content: bytes, name="logo.png", content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_logos():
    try:
        return default_storage.listdir("projects/logos")[1]
    except FileNotFoundError:
        return []


@pytest.fixture(autouse=True)
def _empty_storage():
    for name in stored_logos():
        default_storage.delete(f"projects/logos/{name}")


def refusal(content: bytes, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        prepare_logo(upload(content, **kwargs))
    return caught.value


def test_a_png_is_converted_to_an_rgba_png():
    logo = prepare_logo(upload(image_bytes((64, 48))))
    image = Image.open(io.BytesIO(logo.content))
    assert (image.format, image.mode, image.size) == ("PNG", "RGBA", (64, 48))


def test_a_large_jpeg_is_fitted_within_the_bound_keeping_its_proportions():
    logo = prepare_logo(upload(image_bytes((1600, 900), fmt="JPEG"), name="photo.jpg", content_type="image/jpeg"))
    image = Image.open(io.BytesIO(logo.content))
    assert image.format == "PNG" and image.size == (LOGO_MAX_SIDE, 288)


def test_an_html_page_named_png_is_refused_by_its_content():
    error = refusal(b"<!doctype html><html><script>alert(1)</script></html>", name="logo.png")
    assert error.code == "logo_not_image"
    assert "not an image" in error.messages[0]


def test_an_svg_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>'
    assert refusal(svg, name="logo.svg", content_type="image/svg+xml").code == "logo_not_image"


def test_a_forty_megabyte_file_is_refused_before_it_is_read():
    big = upload(b"\x89PNG\r\n\x1a\n" + b"\0" * (40 * 1024 * 1024))
    with (
        mock.patch.object(logos.Image, "open", side_effect=AssertionError("the file was read")),
        pytest.raises(ValidationError) as caught,
    ):
        prepare_logo(big)
    assert caught.value.code == "logo_too_large"
    assert "too large" in caught.value.messages[0]


def test_an_image_with_too_many_pixels_is_refused_before_it_is_decoded():
    bomb = image_bytes((6000, 6000), mode="1")  # 36 megapixels in a few kilobytes
    assert len(bomb) < 100_000
    with mock.patch.object(ImageFile.ImageFile, "load", side_effect=AssertionError("decoded")):
        error = refusal(bomb)
    assert error.code == "logo_too_many_pixels"
    assert "megapixels" in error.messages[0]


def test_pillows_decompression_bomb_warning_is_an_error(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # so that a 40×40 image trips Pillow's own check
    monkeypatch.setattr(logos, "LOGO_MAX_PIXELS", 10**9)  # and ours does not
    assert refusal(image_bytes((40, 40))).code == "logo_too_many_pixels"


def test_a_huge_declared_size_trips_pillows_bomb_error():
    bomb = image_bytes((12000, 12000), mode="1")  # over twice Pillow's MAX_IMAGE_PIXELS: an error in Image.open
    assert refusal(bomb).code == "logo_too_many_pixels"


@pytest.mark.parametrize("weasyprint_loaded", [False, True])
def test_a_truncated_image_is_refused_as_damaged(weasyprint_loaded, monkeypatch):
    from PIL import ImageFile

    # True is what importing WeasyPrint (the brochure) does to the whole process; False is Pillow's default.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", weasyprint_loaded)
    content = image_bytes((300, 300), color=(1, 2, 3))
    error = refusal(content[: len(content) // 2])
    assert error.code in {"logo_damaged", "logo_not_image"}
    assert ImageFile.LOAD_TRUNCATED_IMAGES is weasyprint_loaded, "the process-wide flag is put back"


def test_an_empty_file_is_refused():
    assert refusal(b"").code == "logo_empty"


def test_an_animated_gif_keeps_its_first_frame():
    out = io.BytesIO()
    frames = [Image.new("RGB", (20, 20), c) for c in ((255, 0, 0), (0, 0, 255))]
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:])
    logo = prepare_logo(upload(out.getvalue(), name="a.gif", content_type="image/gif"))
    assert Image.open(io.BytesIO(logo.content)).getpixel((0, 0))[:3] == (255, 0, 0)


def test_a_logo_is_stored_under_a_generated_name_and_the_old_one_deleted_after_commit(
    admin, project_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        project_update(project=project_a, actor=admin, data={}, logo=prepare_logo(upload(image_bytes())))
    project_a.refresh_from_db()
    first = project_a.logo.name
    assert STORED_NAME.match(first) and default_storage.exists(first)

    with django_capture_on_commit_callbacks(execute=True):
        project_update(project=project_a, actor=admin, data={}, logo=prepare_logo(upload(image_bytes(color=(0, 0, 0)))))
    project_a.refresh_from_db()
    assert project_a.logo.name != first and STORED_NAME.match(project_a.logo.name)
    assert not default_storage.exists(first)
    assert stored_logos() == [project_a.logo.name.rsplit("/", 1)[1]]


def test_the_old_logo_stays_until_the_change_is_committed(admin, project_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        project_update(project=project_a, actor=admin, data={}, logo=prepare_logo(upload(image_bytes())))
    project_a.refresh_from_db()
    first = project_a.logo.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        project_update(project=project_a, actor=admin, data={}, remove_logo=True)
    assert default_storage.exists(first)  # not yet: the transaction could still roll back
    for callback in callbacks:
        callback()
    assert not default_storage.exists(first)
    project_a.refresh_from_db()
    assert not project_a.logo
