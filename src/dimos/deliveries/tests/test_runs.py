"""Runs: nearest-neighbour order, one run per delivery, the courier, the pages and their
permissions, bad input, and the privacy of a source's recipients."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dimos.core.models import AuditEntry, District
from dimos.deliveries import routes, services, sources
from dimos.deliveries.models import Delivery, DeliveryStatus, Run, RunStop
from dimos.testing.personas import login, staff

pytestmark = pytest.mark.django_db

START = (41.0856, 23.5484)  # Serres town hall, the default start
NORTH_NEAR = (41.0900, 23.5484)  # ~490 m north of the start
NORTH_FAR = (41.0950, 23.5484)  # ~560 m further north
EAST = (41.0870, 23.5600)  # ~1 km east of the start, ~1 km from the far north one


def test_nearest_neighbour_order_on_known_points() -> None:
    points = [EAST, None, NORTH_FAR, NORTH_NEAR]
    assert routes.order_along_the_way(points, START) == [3, 2, 0, 1]
    legs = routes.legs([NORTH_NEAR, NORTH_FAR, EAST, None], START)
    assert legs.each[3] is None
    assert 480 < legs.each[0] < 500 and 545 < legs.each[1] < 570  # type: ignore[operator]
    assert legs.total == pytest.approx(sum(x for x in legs.each if x is not None))
    # Ties keep the order they came in; no points at all keep theirs.
    assert routes.order_along_the_way([NORTH_NEAR, NORTH_NEAR], START) == [0, 1]
    assert routes.order_along_the_way([None, None], START) == [0, 1]


@pytest.fixture
def serres(municipality: Any) -> District:
    return District.objects.get(code="serres")


@pytest.fixture
def planner(db: Any) -> Any:
    return staff("planner@example.org", "delivery_staff")


@pytest.fixture
def courier(db: Any) -> Any:
    return staff("courier@example.org", "delivery_staff")


@pytest.fixture
def planner_client(planner: Any) -> Client:
    client = login(planner)
    client.cookies["dimos_language"] = "en"
    return client


def visit(
    name: str,
    point: tuple[float, float] | None,
    district: District | None,
    *,
    day: dt.date | None = None,
    source: str = "errands",
) -> Delivery:
    return services.schedule_delivery(
        source=source,
        reference=name,
        title=f"Parcel for {name}",
        recipient_name=name,
        address=f"{name} street 1",
        phone="+30 2321000000",
        instructions="Ring twice",
        date=day or timezone.localdate(),
        window_start=dt.time(9),
        window_end=dt.time(13),
        lat=point[0] if point else None,
        lon=point[1] if point else None,
        district=district,
    )


@pytest.fixture
def day_of_serres(serres: District) -> list[Delivery]:
    return [
        visit("East", EAST, serres),
        visit("Nowhere", None, serres),
        visit("Far", NORTH_FAR, serres),
        visit("Near", NORTH_NEAR, serres),
    ]


def names(run: Run) -> list[str]:
    return [s.delivery.recipient_name for s in run.stops.select_related("delivery")]


def test_a_run_is_ordered_along_the_way_and_given_to_its_courier(
    day_of_serres: list[Delivery], serres: District, planner: Any, courier: Any
) -> None:
    run = services.create_run(
        date=timezone.localdate(),
        district=serres,
        deliveries=day_of_serres,
        courier=courier,
        actor=planner,
    )
    assert names(run) == ["Near", "Far", "East", "Nowhere"]
    assert set(Delivery.objects.values_list("assigned_to", flat=True)) == {courier.pk}
    assert AuditEntry.objects.filter(action="delivery.assigned").count() == 4
    assert AuditEntry.objects.filter(action="run.created", target_id=str(run.pk)).exists()


def test_a_delivery_is_on_one_run_at_most(
    day_of_serres: list[Delivery], serres: District, planner: Any
) -> None:
    today = timezone.localdate()
    first = services.create_run(
        date=today, district=serres, deliveries=day_of_serres[:2], actor=planner
    )
    with pytest.raises(services.RunError) as taken:
        services.create_run(
            date=today, district=serres, deliveries=day_of_serres[1:], actor=planner
        )
    assert taken.value.code == "taken"
    assert Run.objects.count() == 1
    with pytest.raises(services.RunError):
        services.add_stop(run=first, delivery=day_of_serres[0], actor=planner)
    # The database itself refuses a second run for a delivery.
    other = Run.objects.create(date=today, district=serres)
    with pytest.raises(IntegrityError), transaction.atomic():
        RunStop.objects.create(run=other, delivery=day_of_serres[0], position=1)


def test_stops_move_leave_join_and_are_ordered_again(
    day_of_serres: list[Delivery], serres: District, planner: Any, courier: Any
) -> None:
    east, nowhere, far, near = day_of_serres
    run = services.create_run(
        date=timezone.localdate(), district=serres, deliveries=[near, far, east], actor=planner
    )
    services.move_stop(run=run, delivery=east, up=True, actor=planner)
    assert names(run) == ["Near", "East", "Far"]
    services.move_stop(run=run, delivery=near, up=True, actor=planner)  # already first
    assert names(run) == ["Near", "East", "Far"]
    services.remove_stop(run=run, delivery=near, actor=planner)
    services.set_run_courier(run=run, courier=courier, actor=planner)
    services.add_stop(run=run, delivery=nowhere, actor=planner)
    services.add_stop(run=run, delivery=near, actor=planner)
    assert names(run) == ["East", "Far", "Nowhere", "Near"]
    near.refresh_from_db()
    assert near.assigned_to == courier  # joined a run with a courier
    services.order_run(run=run, actor=planner)
    assert names(run) == ["Near", "Far", "East", "Nowhere"]
    with pytest.raises(services.RunError):
        services.remove_stop(run=run, delivery=visit("Else", None, serres), actor=planner)
    services.dissolve_run(run=run, actor=planner)
    assert not RunStop.objects.exists()
    assert AuditEntry.objects.filter(action="run.dissolved").exists()


def test_a_delivery_of_another_day_or_done_cannot_join(
    serres: District, planner: Any, courier: Any
) -> None:
    today = timezone.localdate()
    run = services.create_run(
        date=today, district=serres, deliveries=[visit("A", EAST, serres)], actor=planner
    )
    later = visit("B", EAST, serres, day=today + dt.timedelta(days=1))
    with pytest.raises(services.RunError) as refused:
        services.add_stop(run=run, delivery=later, actor=planner)
    assert refused.value.code == "day"
    done = visit("C", EAST, serres)
    services.mark_delivered(delivery=done, received_by="C", actor=courier)
    with pytest.raises(services.RunError):
        services.add_stop(run=run, delivery=done, actor=planner)
    with pytest.raises(services.RunError):
        services.create_run(date=today, district=serres, deliveries=[], actor=planner)


def test_re_planning_to_another_day_or_courier_leaves_the_run(
    serres: District, planner: Any, courier: Any
) -> None:
    today = timezone.localdate()
    a, b = visit("A", EAST, serres), visit("B", NORTH_NEAR, serres)
    run = services.create_run(
        date=today, district=serres, deliveries=[a, b], courier=courier, actor=planner
    )
    services.plan_delivery(
        delivery=a,
        date=today + dt.timedelta(days=1),
        window_start=dt.time(9),
        window_end=dt.time(10),
        assigned_to=courier,
        actor=planner,
    )
    services.plan_delivery(
        delivery=b,
        date=today,
        window_start=dt.time(9),
        window_end=dt.time(10),
        assigned_to=planner,
        actor=planner,
    )
    assert not run.stops.exists()


def test_an_invalid_point_is_not_kept(serres: District) -> None:
    delivery = services.schedule_delivery(
        source="errands",
        reference="x",
        title="x",
        recipient_name="x",
        address="x",
        date=timezone.localdate(),
        window_start=dt.time(9),
        window_end=dt.time(10),
        lat=123.0,
        lon=23.5,
    )
    assert delivery.lat is None and delivery.lon is None


# --- Pages ----------------------------------------------------------------------------------


def test_run_pages_need_the_deliveries_role(
    day_of_serres: list[Delivery],
    serres: District,
    planner: Any,
    client: Client,
    citizen_client: Client,
    clerk_client: Client,
) -> None:
    run = services.create_run(
        date=timezone.localdate(), district=serres, deliveries=day_of_serres, actor=planner
    )
    urls = [
        ("get", reverse("deliveries:runs")),
        ("get", reverse("deliveries:new_run")),
        ("get", reverse("deliveries:run", args=[run.pk])),
        ("get", reverse("deliveries:run_sheet", args=[run.pk])),
        ("get", reverse("deliveries:run_map", args=[run.pk])),
        ("post", reverse("deliveries:run_act", args=[run.pk, "dissolve"])),
    ]
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 302, url
        assert getattr(citizen_client, method)(url).status_code == 403, url
        assert getattr(clerk_client, method)(url).status_code == 403, url
    assert Run.objects.filter(pk=run.pk).exists()


def test_a_coordinator_makes_a_run_from_the_proposal(
    day_of_serres: list[Delivery], serres: District, planner_client: Client, courier: Any
) -> None:
    today = timezone.localdate().isoformat()
    listing = planner_client.get(reverse("deliveries:runs"), {"date": today}).content.decode()
    assert "4 deliveries" in listing
    new = f"{reverse('deliveries:new_run')}?date={today}&district={serres.pk}"
    proposal = planner_client.get(new)
    assert proposal.status_code == 200
    page = proposal.content.decode()
    for d in day_of_serres:
        assert f'value="{d.pk}"' in page
    assert "no map point" in page
    made = planner_client.post(
        new, {"deliveries": [d.pk for d in day_of_serres[1:]], "courier": courier.pk}
    )
    assert made.status_code == 302
    run = Run.objects.get()
    assert made["Location"] == reverse("deliveries:run", args=[run.pk])
    assert names(run) == ["Near", "Far", "Nowhere"]
    shown = planner_client.get(made["Location"]).content.decode()
    assert "km from the town hall" in shown and "has no map point" in shown
    # The one left off is offered to add, and is added as the last stop.
    add = reverse("deliveries:run_act", args=[run.pk, "add"])
    assert planner_client.post(add, {"delivery": day_of_serres[0].pk}).status_code == 302
    assert names(run)[-1] == "East"


def test_bad_input_gives_clear_messages_never_a_500(
    day_of_serres: list[Delivery], serres: District, planner_client: Client
) -> None:
    today = timezone.localdate().isoformat()
    base = reverse("deliveries:new_run")
    bad_area = planner_client.get(base, {"date": today, "district": "999999"})
    assert bad_area.status_code == 400 and "Choose an area from the list." in bad_area.text
    bad_day = planner_client.get(base, {"date": "31/02", "district": serres.pk})
    assert bad_day.status_code == 400
    empty = planner_client.post(f"{base}?date={today}&district={serres.pk}", {"deliveries": []})
    assert empty.status_code == 400
    assert "Choose at least one delivery for the run." in empty.text
    forged = planner_client.post(f"{base}?date={today}&district={serres.pk}", {"deliveries": "x"})
    assert forged.status_code == 400
    run = Run.objects.create(date=timezone.localdate(), district=serres)
    act = reverse("deliveries:run_act", args=[run.pk, "add"])
    answer = planner_client.post(act, {"delivery": "12345678"}, follow=True)
    assert "That delivery cannot be chosen here: reload the page." in answer.text
    answer = planner_client.post(
        reverse("deliveries:run_act", args=[run.pk, "up"]),
        {"delivery": day_of_serres[0].pk},
        follow=True,
    )
    assert "That delivery cannot be chosen here" in answer.text
    answer = planner_client.post(
        reverse("deliveries:run_act", args=[run.pk, "courier"]), {"courier": "nobody"}, follow=True
    )
    assert "Choose a courier from the list." in answer.text
    assert (
        planner_client.post(reverse("deliveries:run_act", args=[run.pk, "zap"])).status_code == 404
    )
    assert planner_client.get(reverse("deliveries:run", args=[987654])).status_code == 404
    assert planner_client.get(reverse("deliveries:runs"), {"date": "nonsense"}).status_code == 200


def test_the_sheet_and_map_list_the_stops_in_order(
    day_of_serres: list[Delivery], serres: District, planner: Any, planner_client: Client
) -> None:
    run = services.create_run(
        date=timezone.localdate(), district=serres, deliveries=day_of_serres, actor=planner
    )
    sheet = planner_client.get(reverse("deliveries:run_sheet", args=[run.pk])).content.decode()
    order = [sheet.index(f"{n} street 1") for n in ("Near", "Far", "East", "Nowhere")]
    assert order == sorted(order)
    assert "Received by / signature" in sheet and "Ring twice" in sheet
    map_page = planner_client.get(reverse("deliveries:run_map", args=[run.pk])).content.decode()
    assert "41.09000, 23.54840" in map_page  # the coordinates, without JavaScript
    assert 'id="run-points"' in map_page and "run-map.js" in map_page


def test_private_recipients_are_shown_to_their_courier_only_and_audited(
    serres: District, planner: Any, planner_client: Client, courier: Any, monkeypatch: Any
) -> None:
    monkeypatch.setitem(
        sources._sources,
        "secret",
        sources.Source(key="secret", private_to="deliveries.add_delivery"),
    )
    delivery = visit("Hidden", NORTH_NEAR, serres, source="secret")
    run = services.create_run(
        date=timezone.localdate(), district=serres, deliveries=[delivery], actor=planner
    )
    for name in ("run", "run_sheet", "run_map"):
        page = planner_client.get(reverse(f"deliveries:{name}", args=[run.pk])).content.decode()
        assert "Hidden street 1" not in page and "Seen only by the coordinators" in page, name
    assert "41.09000" not in planner_client.get(reverse("deliveries:run_map", args=[run.pk])).text
    assert not AuditEntry.objects.filter(action="delivery.viewed").exists()
    services.set_run_courier(run=run, courier=courier, actor=planner)
    courier_client = login(courier)
    sheet = courier_client.get(reverse("deliveries:run_sheet", args=[run.pk])).content.decode()
    assert "Hidden street 1" in sheet
    viewed = AuditEntry.objects.get(action="delivery.viewed")
    assert viewed.actor == courier and viewed.target_id == str(delivery.pk)


def test_erasure_forgets_the_point(serres: District) -> None:
    delivery = visit("Gone", NORTH_NEAR, serres)
    services.erase_delivery(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.lat is None and delivery.lon is None
    assert delivery.status == DeliveryStatus.FAILED
