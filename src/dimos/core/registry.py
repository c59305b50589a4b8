"""The seam through which every app plugs into the platform.

An app declares what it plugs in on its manifest (:mod:`dimos.core.manifest`); the manifest's
``ready()`` calls these ``register_*`` functions. The portal lists whatever is registered here
and never hard-codes a list of services, panels or queues.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from django.http import HttpRequest

    from dimos.accounts.models import User

Text = str | Promise


@dataclass(frozen=True)
class Topic:
    """A heading of the service catalogue: a topic or a life event."""

    key: str
    title: Text
    order: int = 100


@dataclass(frozen=True)
class CatalogueEntry:
    """One service in the catalogue on the home page."""

    key: str
    topic: str
    name: Text
    summary: Text
    audience: Text
    url_name: str
    online: bool = True
    at_desk: bool = False
    order: int = 100
    keywords: Text = ""
    # A callable answering whether the service is open now (e.g. a closed season).
    available: Callable[[], bool] = field(default=lambda: True)
    availability_note: Text = ""
    # Listed first, and offered on the home page's banner, while a stay-at-home emergency is
    # switched on (dimos.portal.emergency).
    emergency: bool = False


@dataclass(frozen=True)
class AccountPanel:
    """A panel of the resident's "My account" page."""

    key: str
    title: Text
    template: str
    context: Callable[[HttpRequest], dict[str, Any]]
    order: int = 100


@dataclass(frozen=True)
class QueueCounts:
    open: int
    overdue: int = 0


@dataclass(frozen=True)
class StaffQueue:
    """A work queue on the staff home page."""

    key: str
    title: Text
    url_name: str
    permission: str
    counts: Callable[[User], QueueCounts]
    description: Text = ""
    order: int = 100


@dataclass(frozen=True)
class Role:
    """A staff role: a Django group with the permissions its app declares."""

    key: str
    name: Text
    description: Text
    permissions: tuple[str, ...]
    # Filled in with the declaring app's label by its manifest.
    app_label: str = ""
    # Superuser-level: only a superuser may give or take it (ADR 0014).
    superuser_only: bool = False


@dataclass(frozen=True)
class NotificationKind:
    """A kind of notification, rendered from ``notifications/<key>/`` templates."""

    key: str
    title: Text
    # Kinds a user may not switch off (security notices).
    mandatory: bool = False


@dataclass(frozen=True)
class PersonalDataHandler:
    """What an app knows about a person: exported on request, erased on account deletion.

    ``models`` are the app's models (``"app.Model"``) holding personal data that ``export``
    returns and ``erase`` clears; ``keeps`` are its models whose personal-looking fields are
    not about the person (an office's phone) or that point at staff as the author of their
    work (kept, pointing at the erased account's anonymous stub). The system check
    ``dimos.E010`` refuses an app with such a model that no handler declares (ADR 0005).
    ``files`` gives the person's files for the downloadable archive: (name, open callable).
    ``retained`` names the rows an erasure keeps by law (an issued certificate), as
    ``(model label, pk)`` pairs.
    """

    key: str
    export: Callable[[User], Any]
    erase: Callable[[User], None]
    app_label: str = ""
    models: tuple[str, ...] = ()
    keeps: tuple[str, ...] = ()
    files: Callable[[User], Iterable[ExportFile]] | None = None
    retained: Callable[[User], Iterable[tuple[str, Any]]] | None = None

    @property
    def app(self) -> str:
        return self.app_label or self.key


@dataclass(frozen=True)
class ExportFile:
    """A file of the person's data archive: its path in the archive and how to read it."""

    name: str
    read: Callable[[], bytes]


@dataclass(frozen=True)
class AuditSentence:
    """How the staff audit log words one action, e.g. ``"%(actor)s viewed request %(id)s"``.

    Placeholders: ``actor`` (who, rendered when read), ``id`` (the target's id), ``target``
    (the target person's name, for actions on an account) and any key of the entry's details.
    """

    key: str
    text: Text


@dataclass(frozen=True)
class ConfidentialTarget:
    """A kind of object whose audit entries go to the confidential stream when ``test(obj)``."""

    key: str
    test: Callable[[Any], bool]


@dataclass(frozen=True)
class Figure:
    """A headline number of a service shown on the home page (e.g. certificates issued)."""

    key: str
    label: Text
    value: Callable[[], int]
    order: int = 100


@dataclass(frozen=True)
class HomeCard:
    """A card on the home page, outside its cached fragment (e.g. the council's "live now").

    ``context(request)`` is called on every view of the home page, so it must be cheap and
    keep its own answer in the cache — with an expiry as short as the card's content allows —
    the home page being served from the cache without queries otherwise. The template gets
    ``card``, its answer; an empty answer (``{}``, ``None``) shows nothing.
    """

    key: str
    template: str
    context: Callable[[HttpRequest], Any]
    order: int = 100


@dataclass(frozen=True)
class Table:
    """The rows of an open dataset's table: its column names, then rows of plain values
    (text, numbers, dates, booleans, ``None``), produced lazily so a large table streams."""

    columns: tuple[str, ...]
    rows: Iterable[Sequence[Any]]


@dataclass(frozen=True)
class OpenDataFile:
    """One file of an open dataset: ``produce()`` answers a :class:`Table` (published as CSV
    and loaded into the catalogue's datastore) or the file's bytes (GeoJSON, JSON)."""

    key: str
    name: Text
    format: str  # "CSV", "GeoJSON", "JSON": the EU file-type vocabulary's codes
    produce: Callable[[], Table | bytes]
    description: Text = ""


@dataclass(frozen=True)
class OpenDataset:
    """A dataset an app publishes about its own service, refreshed by the open-data catalogue.

    ``key`` is the dataset's name (slug) in the catalogue. ``theme`` is a code of the EU data
    themes vocabulary (``GOVE``, ``REGI``, ``TRAN``, ``SOCI``, ``ECON``…), ``frequency`` one of
    the EU frequency vocabulary (``DAILY``, ``WEEKLY``, ``MONTHLY``…), ``license`` an SPDX-style
    id the catalogue knows (``CC-BY-4.0``, ``CC0-1.0``, ``ODbL-1.0``). ``available()`` says
    whether there is anything to publish yet (a budget with no published year). Files hold no
    personal data: what an app declares here is public.
    """

    key: str
    title: Text
    description: Text
    files: tuple[OpenDataFile, ...]
    keywords: tuple[Text, ...] = ()
    theme: str = "GOVE"
    frequency: str = "DAILY"
    license: str = "CC-BY-4.0"
    refresh_hours: int = 24
    available: Callable[[], bool] = field(default=lambda: True)
    order: int = 100


@dataclass(frozen=True)
class MonthFigures:
    """One month of a kind of transaction, counted by the app that handles it.

    ``started``: begun in the month; ``completed``: completed in the month, of which
    ``online`` were begun online (the rest by phone or at a desk); ``days``: the days from
    start to completion, summed over the month's completed ones (the mean is ``days /
    completed``).
    """

    month: date
    started: int = 0
    completed: int = 0
    online: int = 0
    days: float = 0.0


@dataclass(frozen=True)
class CompletedTransaction:
    """What "a completed transaction" is in an app: a report fixed, a certificate issued.

    ``service`` is the catalogue key it belongs to (or a key of its own, named by ``title``,
    for work with no catalogue entry). The app calls
    :func:`dimos.core.transactions.completed` when one completes, so the person can be asked
    how it went; ``figures(since)`` answers its :class:`MonthFigures` from that month on,
    computed from the app's own rows, for the published service performance.
    """

    key: str
    service: str
    title: Text
    figures: Callable[[date], Iterable[MonthFigures]] | None = None
    # The transactions completed since a day, as ``Completion`` rows (the demo's ratings and
    # a back-fill of invitations are made from them).
    completions: Callable[[date], Iterable[Completion]] | None = None
    order: int = 100


@dataclass(frozen=True)
class Completion:
    """One transaction that has just completed, as told to the listeners."""

    kind: str
    object_id: str
    service: str
    user: Any = None
    email: str = ""
    language: str = ""
    online: bool = True
    started_at: datetime | None = None
    completed_at: datetime | None = None
    # Where the person sees the completed transaction (a path on this site).
    url: str = ""


@dataclass(frozen=True)
class Satisfaction:
    """A service's satisfaction: the GOV.UK score (0-100) and how many ratings made it."""

    score: int
    count: int


@dataclass(frozen=True)
class TransactionListener:
    """An app that hears of completed transactions (the feedback app): ``completed(completion)``
    runs inside the completing write's transaction; ``invitation_url(kind, object_id)`` answers
    the link that asks for a rating (or ""); ``satisfaction()`` answers each service's
    :class:`Satisfaction` by its key, for the catalogue."""

    key: str
    completed: Callable[[Completion], None]
    invitation_url: Callable[[str, str], str]
    satisfaction: Callable[[], Mapping[str, Satisfaction]]


@dataclass(frozen=True)
class PagePart:
    """A template included at the foot of every public page ("Is this page useful?"). It is
    part of pages kept by the anonymous page cache, so it must not hold a CSRF token or
    anything about the visitor."""

    key: str
    template: str
    order: int = 100


@dataclass
class Registry:
    topics: dict[str, Topic] = field(default_factory=dict)
    catalogue: dict[str, CatalogueEntry] = field(default_factory=dict)
    panels: dict[str, AccountPanel] = field(default_factory=dict)
    queues: dict[str, StaffQueue] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    notification_kinds: dict[str, NotificationKind] = field(default_factory=dict)
    personal_data: dict[str, PersonalDataHandler] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    home_cards: dict[str, HomeCard] = field(default_factory=dict)
    audit_sentences: dict[str, AuditSentence] = field(default_factory=dict)
    confidential_targets: dict[str, ConfidentialTarget] = field(default_factory=dict)
    open_datasets: dict[str, OpenDataset] = field(default_factory=dict)
    transactions: dict[str, CompletedTransaction] = field(default_factory=dict)
    transaction_listeners: dict[str, TransactionListener] = field(default_factory=dict)
    page_parts: dict[str, PagePart] = field(default_factory=dict)

    def _add(self, table: dict[str, Any], item: Any) -> None:
        existing = table.get(item.key)
        if existing is not None and existing != item:
            raise ValueError(f"{type(item).__name__} {item.key!r} is registered twice")
        table[item.key] = item

    def sorted_catalogue(self) -> list[tuple[Topic, list[CatalogueEntry]]]:
        groups: dict[str, list[CatalogueEntry]] = {}
        for entry in self.catalogue.values():
            groups.setdefault(entry.topic, []).append(entry)
        topics = sorted(
            (self.topics[key] for key in groups if key in self.topics),
            key=lambda t: (t.order, str(t.title)),
        )
        return [
            (topic, sorted(groups[topic.key], key=lambda e: (e.order, str(e.name))))
            for topic in topics
        ]


registry = Registry()


def _by_order(items: Iterable[Any]) -> list[Any]:
    return sorted(items, key=lambda item: (item.order, str(getattr(item, "title", ""))))


def register_topic(topic: Topic) -> None:
    registry._add(registry.topics, topic)


def register_service(entry: CatalogueEntry) -> None:
    registry._add(registry.catalogue, entry)


def register_panel(panel: AccountPanel) -> None:
    registry._add(registry.panels, panel)


def register_queue(queue: StaffQueue) -> None:
    registry._add(registry.queues, queue)


def register_role(role: Role) -> None:
    registry._add(registry.roles, role)


def register_notification_kind(kind: NotificationKind) -> None:
    registry._add(registry.notification_kinds, kind)


def register_personal_data(handler: PersonalDataHandler) -> None:
    registry._add(registry.personal_data, handler)


def register_figure(figure: Figure) -> None:
    registry._add(registry.figures, figure)


def register_home_card(card: HomeCard) -> None:
    registry._add(registry.home_cards, card)


def home_cards(request: HttpRequest) -> list[tuple[HomeCard, Any]]:
    """The registered home-page cards that have something to show, with their answers (asked
    once per request)."""
    shown = getattr(request, "_dimos_home_cards", None)
    if shown is None:
        shown = []
        for card in sorted(registry.home_cards.values(), key=lambda c: (c.order, c.key)):
            answer = card.context(request)
            if answer:
                shown.append((card, answer))
        request._dimos_home_cards = shown  # type: ignore[attr-defined]
    return shown


def home_cards_state(request: HttpRequest) -> str:
    """What the cards show now, as a short text: the home page's cache varies on it."""
    text = repr([(card.key, answer) for card, answer in home_cards(request)])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def register_audit_sentences(sentences: Mapping[str, Text]) -> None:
    """An app's wording of its audit actions: ``{"certificate_request.viewed": _("…"), …}``."""
    for key, text in sentences.items():
        registry._add(registry.audit_sentences, AuditSentence(key=key, text=text))


def register_open_dataset(dataset: OpenDataset) -> None:
    registry._add(registry.open_datasets, dataset)


def open_datasets() -> list[OpenDataset]:
    """The datasets the apps publish about themselves, in order."""
    return sorted(registry.open_datasets.values(), key=lambda d: (d.order, d.key))


def register_confidential_target(target: ConfidentialTarget) -> None:
    registry._add(registry.confidential_targets, target)


def register_transaction(kind: CompletedTransaction) -> None:
    registry._add(registry.transactions, kind)


def register_transaction_listener(listener: TransactionListener) -> None:
    registry._add(registry.transaction_listeners, listener)


def register_page_part(part: PagePart) -> None:
    registry._add(registry.page_parts, part)


def page_parts() -> list[PagePart]:
    return _by_order(registry.page_parts.values())


def service_satisfaction() -> dict[str, Satisfaction]:
    """Each service's satisfaction, by catalogue key, from the listeners that know it."""
    out: dict[str, Satisfaction] = {}
    for listener in registry.transaction_listeners.values():
        out.update(listener.satisfaction())
    return out


def home_figures() -> list[tuple[Figure, int]]:
    """The registered figures with their current values, in order."""
    return [(figure, figure.value()) for figure in _by_order(registry.figures.values())]


def account_panels() -> list[AccountPanel]:
    return _by_order(registry.panels.values())


def staff_queues_for(user: User) -> list[StaffQueue]:
    return [q for q in _by_order(registry.queues.values()) if user.has_perm(q.permission)]


@dataclass(frozen=True)
class DemoSeeder:
    """Creates an app's demo data; must be idempotent (``dimos demo`` may run many times).

    ``after`` names the seeders whose data this one needs: ``dimos demo`` runs them first.
    """

    key: str
    seed: Callable[[], object]
    after: tuple[str, ...] = ()


demo_seeders: dict[str, DemoSeeder] = {}


def register_demo_seeder(seeder: DemoSeeder) -> None:
    registry._add(demo_seeders, seeder)


class SeederOrderError(ValueError):
    """The seeders' ``after`` names an unknown seeder or goes round in a cycle."""


def order_seeders(seeders: Iterable[DemoSeeder]) -> list[DemoSeeder]:
    """The seeders with each after those it names, otherwise in the order given.

    The order given is the apps' order in ``INSTALLED_APPS`` and, within an app, its
    manifest's; a seeder named in ``after`` that does not exist, or a cycle, raises
    :class:`SeederOrderError` naming them.
    """
    pending = list(seeders)
    keys = {seeder.key for seeder in pending}
    for seeder in pending:
        unknown = [key for key in seeder.after if key not in keys]
        if unknown:
            raise SeederOrderError(
                f"Demo seeder {seeder.key!r} runs after {', '.join(map(repr, unknown))}, "
                "which no installed app declares."
            )
    done: list[DemoSeeder] = []
    placed: set[str] = set()
    while pending:
        ready = next((s for s in pending if placed.issuperset(s.after)), None)
        if ready is None:
            cycle = ", ".join(f"{s.key} after {'/'.join(s.after)}" for s in pending)
            raise SeederOrderError(f"Demo seeders wait on each other in a cycle: {cycle}.")
        pending.remove(ready)
        placed.add(ready.key)
        done.append(ready)
    return done


def sorted_demo_seeders() -> list[DemoSeeder]:
    return order_seeders(demo_seeders.values())


@dataclass(frozen=True)
class ApiRouter:
    """An app's ``ninja.Router`` (dotted path), mounted by the ``api`` app at /api/v1/<prefix>."""

    prefix: str
    router: str

    @property
    def key(self) -> str:
        return f"{self.prefix} {self.router}"


api_routers: dict[str, ApiRouter] = {}


def register_api_router(router: ApiRouter) -> None:
    registry._add(api_routers, router)
