"""Charts drawn on the server from one Vega-Lite spec: SVG in the page, named by its title,
with its data as a table beside; PNG, SVG, CSV and JSON downloads."""

from __future__ import annotations

import json

from django.test import RequestFactory

from dimos.core import charts


def _chart() -> charts.Chart:
    return charts.Chart(
        key="by-month",
        title="Αναφορές ανά μήνα",
        description="Πόσες αναφορές ήρθαν κάθε μήνα.",
        columns=[
            charts.Column("month", "Μήνας", "ordinal"),
            charts.Column("count", "Αναφορές", "quantitative"),
        ],
        rows=[{"month": "Νοε 2026", "count": 12}, {"month": "=cmd", "count": 30}],
        mark="line",
    )


def test_the_svg_is_one_image_named_by_the_charts_title() -> None:
    svg = str(_chart().svg())
    assert svg.startswith('<svg role="img" aria-labelledby="chart-by-month-title"')
    assert svg.count('role="') == 1 and "aria-roledescription" not in svg
    assert "Αναφορές ανά μήνα" in svg and "Νοε 2026" in svg
    assert 'style="' not in svg  # the content security policy forbids style attributes


def test_the_data_keeps_its_order_and_the_table_has_every_row() -> None:
    chart = _chart()
    assert chart.spec()["encoding"]["x"]["sort"] is None
    assert chart.table() == [["Νοε 2026", 12], ["=cmd", 30]]


def test_each_chart_downloads_as_png_svg_csv_and_json() -> None:
    chart = _chart()
    get = RequestFactory().get
    png = charts.download(get("/?chart=by-month&format=png"), [chart])
    assert png is not None and png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    assert png["Content-Disposition"] == 'attachment; filename="by-month.png"'
    svg = charts.download(get("/?chart=by-month&format=svg"), [chart])
    assert svg is not None and svg.content.startswith(b"<svg")
    csv = charts.download(get("/?chart=by-month&format=csv"), [chart])
    assert csv is not None
    assert csv.content.decode().splitlines() == ["Μήνας,Αναφορές", "Νοε 2026,12", "'=cmd,30"]
    data = charts.download(get("/?chart=by-month&format=json"), [chart])
    assert data is not None and json.loads(data.content)["data"][0] == {
        "month": "Νοε 2026",
        "count": 12,
    }


def test_a_page_without_a_chart_question_renders_and_a_bad_one_is_not_found() -> None:
    get = RequestFactory().get
    assert charts.download(get("/"), [_chart()]) is None
    for query in ("chart=nope&format=png", "chart=by-month&format=exe", "chart=by-month"):
        answer = charts.download(get(f"/?{query}"), [_chart()])
        assert answer is not None and answer.status_code == 404, query
