"""An app's manifest: everything it plugs into the platform, declared in one place (ADR 0023).

An app's ``AppConfig`` subclasses :class:`DimosAppConfig` and sets ``manifest``::

    class ReportsConfig(DimosAppConfig):
        name = "dimos.reports"
        label = "reports"
        verbose_name = _("Issue reports")
        manifest = Manifest(
            urls="dimos.reports.urls",                      # at /reports/
            staff_urls="dimos.reports.staff_urls",          # at /staff/reports/
            api=ApiRouter("/reports", "dimos.reports.api.router"),   # at /api/v1/reports
            catalogue=(CatalogueEntry(key="report-problem", …, url_name="reports:new"),),
            queues=(StaffQueue(…, counts=ref("dimos.reports.panels.queue_counts")),),
            seeders=(DemoSeeder("reports", ref("dimos.reports.demo.seed_reports"),
                                after=("municipality", "report-categories")),),
            …
        )

The base ``ready()`` registers it all with :mod:`dimos.core.registry`; the root URL map is
built from the installed apps' manifests (:func:`app_urlpatterns`). Adding an app is one line
in ``INSTALLED_APPS``.

Callables are given as ``ref("dotted.path")``: nothing of the app (its models, its views) is
imported while apps load; ``ready()`` imports each one once, so a wrong path fails at start-up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, is_dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig, apps
from django.core import checks as django_checks
from django.utils.module_loading import import_string

from dimos.core import registry as r
from dimos.core.registry import (
    AccountPanel,
    ApiRouter,
    CatalogueEntry,
    CompletedTransaction,
    ConfidentialTarget,
    DemoSeeder,
    Figure,
    HomeCard,
    MonthFigures,
    NotificationKind,
    OpenDataFile,
    OpenDataset,
    PagePart,
    PersonalDataHandler,
    Role,
    StaffQueue,
    Table,
    Text,
    Topic,
    TransactionListener,
)

if TYPE_CHECKING:
    from django.urls import URLPattern, URLResolver

__all__ = [
    "AccountPanel",
    "ApiRouter",
    "CatalogueEntry",
    "Check",
    "CompletedTransaction",
    "ConfidentialTarget",
    "DemoSeeder",
    "DimosAppConfig",
    "Figure",
    "HomeCard",
    "Manifest",
    "MonthFigures",
    "Mount",
    "NotificationKind",
    "OpenDataFile",
    "OpenDataset",
    "PagePart",
    "PersonalDataHandler",
    "Ref",
    "Role",
    "StaffQueue",
    "Table",
    "Topic",
    "TransactionListener",
    "app_urlpatterns",
    "ref",
]


@dataclass(frozen=True)
class Ref:
    """A callable named by its dotted path, imported when first needed."""

    path: str

    @cached_property
    def target(self) -> Any:
        return import_string(self.path)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.target(*args, **kwargs)


def ref(path: str) -> Any:
    """``ref("dimos.reports.panels.queue_counts")``: a callable of the app, imported lazily."""
    return Ref(path)


@dataclass(frozen=True)
class Mount:
    """A URL module (``urlpatterns``) mounted at ``prefix`` (``"open311/v2/"``)."""

    prefix: str
    urls: str


@dataclass(frozen=True)
class Check:
    """A system check function (dotted path), registered with Django's check framework."""

    check: str
    tags: tuple[str, ...] = ()
    deploy: bool = False


@dataclass(frozen=True)
class Manifest:
    """What an app plugs into the platform. Every part is optional.

    URLs, one convention for every app:

    - ``urls``: its public pages, mounted at ``url_prefix`` (default ``"<label>/"``; the
      foundations and apps whose pages already span several prefixes use ``""``, the root);
    - ``staff_urls``: its back office, mounted at ``staff/<staff_prefix>/`` (default the
      label), where staff MFA and the staff-only rules apply;
    - ``api``: its ``ninja.Router``, mounted by the ``api`` app at ``/api/v1/<prefix>``;
    - ``mounts``: anything else at a fixed prefix (Open311 at ``open311/v2/``).

    Each URL module names its namespace with ``app_name``, as usual in Django.

    ``audit_sentences`` and ``conf`` are dotted paths: the app's ``{action: sentence}``
    mapping and its settings (:class:`dimos.core.conf.AppConf`), read once at start-up so a
    badly set environment variable stops the process with its name.
    """

    urls: str = ""
    url_prefix: str | None = None
    staff_urls: str = ""
    staff_prefix: str | None = None
    api: ApiRouter | None = None
    mounts: tuple[Mount, ...] = ()
    topics: tuple[Topic, ...] = ()
    catalogue: tuple[CatalogueEntry, ...] = ()
    panels: tuple[AccountPanel, ...] = ()
    queues: tuple[StaffQueue, ...] = ()
    roles: tuple[Role, ...] = ()
    notification_kinds: tuple[NotificationKind, ...] = ()
    personal_data: tuple[PersonalDataHandler, ...] = ()
    figures: tuple[Figure, ...] = ()
    home_cards: tuple[HomeCard, ...] = ()
    confidential_targets: tuple[ConfidentialTarget, ...] = ()
    # What a completed transaction is in this app, for ratings and service performance.
    transactions: tuple[CompletedTransaction, ...] = ()
    transaction_listeners: tuple[TransactionListener, ...] = ()
    page_parts: tuple[PagePart, ...] = ()
    audit_sentences: str = ""
    seeders: tuple[DemoSeeder, ...] = ()
    # Datasets about the app's own service, published by the open-data catalogue.
    open_data: tuple[OpenDataset, ...] = ()
    checks: tuple[Check, ...] = ()
    conf: str = ""


def _resolve_refs(item: Any) -> None:
    """Import every ``ref()`` of a declaration now: a wrong path fails at start-up."""
    if not is_dataclass(item):
        return
    for f in fields(item):
        value = getattr(item, f.name)
        if isinstance(value, Ref):
            value.target  # noqa: B018 - imports it
        elif isinstance(value, tuple):
            for part in value:
                _resolve_refs(part)


def _own(item: Any, app_label: str) -> Any:
    """A role or personal-data handler, with the declaring app's label unless it names one."""
    return item if item.app_label else replace(item, app_label=app_label)


# Each part of a manifest that is a tuple of declarations, and how one is registered.
_PARTS: tuple[tuple[str, Callable[[Any, str], None]], ...] = (
    ("topics", lambda item, label: r.register_topic(item)),
    ("catalogue", lambda item, label: r.register_service(item)),
    ("panels", lambda item, label: r.register_panel(item)),
    ("queues", lambda item, label: r.register_queue(item)),
    ("roles", lambda item, label: r.register_role(_own(item, label))),
    ("notification_kinds", lambda item, label: r.register_notification_kind(item)),
    ("personal_data", lambda item, label: r.register_personal_data(_own(item, label))),
    ("figures", lambda item, label: r.register_figure(item)),
    ("home_cards", lambda item, label: r.register_home_card(item)),
    ("confidential_targets", lambda item, label: r.register_confidential_target(item)),
    ("seeders", lambda item, label: r.register_demo_seeder(item)),
    ("open_data", lambda item, label: r.register_open_dataset(item)),
    ("transactions", lambda item, label: r.register_transaction(item)),
    ("transaction_listeners", lambda item, label: r.register_transaction_listener(item)),
    ("page_parts", lambda item, label: r.register_page_part(item)),
)


def register(manifest: Manifest, app_label: str) -> None:
    """Register one app's declarations (what ``DimosAppConfig.ready()`` does)."""
    for part, _add in _PARTS:
        for item in getattr(manifest, part):
            _resolve_refs(item)
    for part, add in _PARTS:
        for item in getattr(manifest, part):
            add(item, app_label)
    if manifest.api is not None:
        r.register_api_router(manifest.api)
    if manifest.audit_sentences:
        sentences: Mapping[str, Text] = import_string(manifest.audit_sentences)
        r.register_audit_sentences(sentences)
    for check in manifest.checks:
        django_checks.register(import_string(check.check), *check.tags, deploy=check.deploy)
    if manifest.conf:
        import_string(manifest.conf).validate()


class DimosAppConfig(AppConfig):
    """An app of the platform: its ``manifest`` is registered when Django is ready.

    Override ``ready()`` only for what cannot be declared (connecting a signal), and call
    ``super().ready()``.
    """

    manifest: Manifest = Manifest()
    # Imported into every apps.py, the base must not look like that app's config to Django's
    # discovery of the one AppConfig in apps.py; each subclass is its app's default.
    default = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "default" not in cls.__dict__:
            cls.default = True

    def ready(self) -> None:
        register(self.manifest, self.label)


def _include(prefix: str, module: str) -> URLResolver:
    from django.urls import include, path

    return path(prefix, include(module))


def manifest_urlpatterns(manifest: Manifest, label: str) -> list[URLPattern | URLResolver]:
    """One app's URL mounts: public pages, back office, then its other mounts."""
    patterns: list[URLPattern | URLResolver] = []
    if manifest.urls:
        prefix = f"{label}/" if manifest.url_prefix is None else manifest.url_prefix
        patterns.append(_include(prefix, manifest.urls))
    if manifest.staff_urls:
        staff = label if manifest.staff_prefix is None else manifest.staff_prefix
        patterns.append(_include(f"staff/{staff}/", manifest.staff_urls))
    patterns += [_include(mount.prefix, mount.urls) for mount in manifest.mounts]
    return patterns


def installed_manifests() -> list[tuple[str, Manifest]]:
    """``(label, manifest)`` of the installed platform apps, in ``INSTALLED_APPS`` order."""
    return [
        (config.label, config.manifest)
        for config in apps.get_app_configs()
        if isinstance(config, DimosAppConfig)
    ]


def app_urlpatterns() -> list[URLPattern | URLResolver]:
    """The URL mounts of every installed app, in ``INSTALLED_APPS`` order (the root URL map)."""
    return [
        pattern
        for label, manifest in installed_manifests()
        for pattern in manifest_urlpatterns(manifest, label)
    ]
