"""What `make bench` builds and times: datasets and pages, registered by each app's `bench` module."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from django.utils.module_loading import module_has_submodule
from django.utils.text import slugify

SIZES = ("small", "large")


@dataclass(frozen=True)
class Dataset:
    name: str
    build: Callable[..., dict | None]
    order: int
    version: int
    module: str


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[[], str]
    persona: Callable[[], object]
    bare: Callable[..., object] | None
    admin: str | Callable[[], str] | None
    one_row_url: Callable[[], str] | None
    module: str

    @property
    def slug(self) -> str:
        return slugify(self.name)


_datasets: dict[str, Dataset] = {}
_pages: dict[str, Page] = {}
_discovered = False


def dataset(name: str, *, order: int = 100, version: int = 1):
    """Register `build(*, size)` as the builder of dataset `name` (see the package docstring)."""

    def register(build):
        if name in _datasets:
            raise ValueError(
                f"bench dataset {name!r} is registered twice ({_datasets[name].module}, {build.__module__})"
            )
        _datasets[name] = Dataset(name=name, build=build, order=order, version=version, module=build.__module__)
        return build

    return register


def page(name: str, *, url, persona, bare=None, admin=None, one_row_url=None) -> Page:
    """Register a cabinet page to time (see the package docstring)."""
    if not callable(url) or not callable(persona):
        raise TypeError(f"bench page {name!r}: url and persona must be callables (they run after the build)")
    registered = Page(
        name=name, url=url, persona=persona, bare=bare, admin=admin, one_row_url=one_row_url, module=_caller_module()
    )
    if any(p.slug == registered.slug for p in _pages.values()):
        raise ValueError(f"bench page {name!r} is registered twice")
    _pages[name] = registered
    return registered


def datasets() -> list[Dataset]:
    return sorted(_datasets.values(), key=lambda d: (d.order, d.name))


def pages() -> list[Page]:
    return list(_pages.values())


def page_by_slug(slug: str) -> Page | None:
    return next((p for p in _pages.values() if p.slug == slug), None)


def discover() -> None:
    """Import `<app>.bench` for every installed app of this repository (not third-party ones)."""
    global _discovered
    if _discovered:
        return
    from django.apps import apps
    from django.conf import settings

    base = Path(settings.BASE_DIR).resolve()
    for app_config in apps.get_app_configs():
        path = Path(app_config.path).resolve()
        if not path.is_relative_to(base) or {".venv", "site-packages"} & set(path.parts):
            continue
        if module_has_submodule(app_config.module, "bench"):
            import_module(f"{app_config.name}.bench")
    _discovered = True


def _caller_module() -> str:
    import sys

    frame = sys._getframe(2)
    return frame.f_globals.get("__name__", "?")
