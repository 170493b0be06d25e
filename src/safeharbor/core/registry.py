"""Registries that areas fill in their ``AppConfig.ready``: navigation, home panels,
periodic checks and demo data. Core knows nothing about the areas themselves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Area:
    """A section of the staff application shown in navigation when the role allows it."""

    slug: str
    label: Any  # a lazy translation string
    url_name: str
    permission: str  # a permission code, e.g. "survivors.person.view"
    order: int = 100


@dataclass(frozen=True)
class Panel:
    """A home-page panel. ``context`` returns None when the panel has nothing to show."""

    slug: str
    template_name: str
    context: Callable[[HttpRequest], dict[str, Any] | None]
    permission: str | None = None
    order: int = 100


@dataclass(frozen=True)
class PeriodicCheck:
    """A job the worker runs on a fixed interval (deadline checks, expiries)."""

    name: str
    run: Callable[[], str | None]


@dataclass(frozen=True)
class DemoLoader:
    """Loads one area's demo data idempotently; runs in ``order``."""

    name: str
    load: Callable[[], None]
    order: int = 100


@dataclass
class _Registry:
    areas: dict[str, Area] = field(default_factory=dict)
    panels: dict[str, Panel] = field(default_factory=dict)
    periodic: dict[str, PeriodicCheck] = field(default_factory=dict)
    demo_loaders: dict[str, DemoLoader] = field(default_factory=dict)


registry = _Registry()


def register_area(area: Area) -> None:
    registry.areas[area.slug] = area


def register_panel(panel: Panel) -> None:
    registry.panels[panel.slug] = panel


def register_periodic(check: PeriodicCheck) -> None:
    registry.periodic[check.name] = check


def register_demo_loader(loader: DemoLoader) -> None:
    registry.demo_loaders[loader.name] = loader


def areas() -> list[Area]:
    return sorted(registry.areas.values(), key=lambda a: (a.order, a.slug))


def panels() -> list[Panel]:
    return sorted(registry.panels.values(), key=lambda p: (p.order, p.slug))


def demo_loaders() -> list[DemoLoader]:
    return sorted(registry.demo_loaders.values(), key=lambda d: (d.order, d.name))
