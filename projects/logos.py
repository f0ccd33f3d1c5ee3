"""A project's logo: the rules an uploaded image must pass, and how it is stored (docs/RECIPES.md, "Add an upload").

* Checked by content with Pillow, never by name: a file that Pillow cannot read as PNG, JPEG, WebP or GIF is
  refused, whatever it is called (an HTML page named `logo.png`).
* Its size is checked before a byte of it is read (`LOGO_MAX_BYTES`): Django keeps an upload over
  FILE_UPLOAD_MAX_MEMORY_SIZE in a temporary file, so a 40 MB upload is refused without being read.
* Its pixel count is checked from the header before anything is decoded (`LOGO_MAX_PIXELS`), and Pillow's
  own decompression-bomb warning is an error: a small file that decodes into gigabytes is refused.
* What is stored is never the upload: the first frame, turned upright, converted to RGBA, fitted within
  `LOGO_MAX_SIDE` pixels and re-encoded as PNG, under a generated name `projects/logos/<uuid4 hex>.png`
  through `default_storage` (files locally, S3 in production).

`prepare_logo(upload)` checks and converts (raising `ValidationError` with a translated message, storing
nothing); the services store the result (`store_logo`) and delete the replaced file once the change is
committed (`delete_logo_after_commit`).
"""

from __future__ import annotations

import contextlib
import io
import threading
import uuid
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

LOGO_MAX_BYTES = 5 * 1024 * 1024
LOGO_MAX_PIXELS = 25_000_000  # 5000 × 5000: a logo photographed with any phone; far below a bomb
LOGO_MAX_SIDE = 512
LOGO_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}
LOGO_DIRECTORY = "projects/logos"


@dataclass(frozen=True)
class PreparedLogo:
    """A checked logo, re-encoded as PNG and not stored yet."""

    content: bytes
    width: int
    height: int


def prepare_logo(upload) -> PreparedLogo:
    """Check an uploaded file against every rule and convert it; nothing is stored here."""
    size = getattr(upload, "size", None)
    if size is None or size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo is too large: upload an image of at most %(limit)s.")
            % {"limit": filesizeformat(LOGO_MAX_BYTES)},
            code="logo_too_large",
        )
    if size == 0:
        raise ValidationError(_("The logo file is empty."), code="logo_empty")
    upload.seek(0)
    with _strict_decoding(), warnings.catch_warnings():
        # Pillow warns (and only past twice its limit refuses) on an image of more than MAX_IMAGE_PIXELS.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(upload, formats=sorted(LOGO_FORMATS))  # reads the header, decodes nothing
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise _not_an_image() from None
        with image:
            if image.width * image.height > LOGO_MAX_PIXELS:
                raise _too_many_pixels()
            try:
                image.seek(0)
                image = ImageOps.exif_transpose(image)  # decodes: only now, once the size is known
                image = image.convert("RGBA")
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                raise _too_many_pixels() from None
            except (OSError, ValueError, SyntaxError, EOFError):
                raise ValidationError(
                    _("The image is damaged and cannot be read: save it again and upload the new file."),
                    code="logo_damaged",
                ) from None
    image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return PreparedLogo(content=out.getvalue(), width=image.width, height=image.height)


_DECODING = threading.Lock()


@contextlib.contextmanager
def _strict_decoding():
    """A truncated image is damaged, whatever a library imported in this process decided: WeasyPrint (the
    catalog brochure) sets Pillow's process-wide `LOAD_TRUNCATED_IMAGES = True` when it is imported, which
    would silently pad a half-uploaded logo with grey. The flag is put back afterwards."""
    from PIL import ImageFile

    with _DECODING:
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def _not_an_image() -> ValidationError:
    return ValidationError(
        _("This file is not an image we can use as a logo: upload a PNG, JPEG, WebP or GIF."), code="logo_not_image"
    )


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("The image is too large in pixels: upload one of at most %(limit)s megapixels.")
        % {"limit": LOGO_MAX_PIXELS // 1_000_000},
        code="logo_too_many_pixels",
    )


def store_logo(logo: PreparedLogo) -> str:
    """Store a prepared logo under a generated name; returns the stored name."""
    return default_storage.save(f"{LOGO_DIRECTORY}/{uuid.uuid4().hex}.png", ContentFile(logo.content))


def delete_logo_after_commit(name: str) -> None:
    """The replaced file goes once the change that replaced it is committed (never while it may roll back)."""
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))
