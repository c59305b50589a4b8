"""Photos on reports: checked by content, stripped of metadata, hidden by staff."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import ExifTags, Image

from dimos.accounts.services import sync_roles
from dimos.core.models import AuditEntry
from dimos.reports import photos, services
from dimos.reports.demo import seed_categories
from dimos.reports.models import Report, ReportPhoto, ReportUpdate
from dimos.reports.tests.factories import ReportFactory

# Serres, inside the test municipality, as a phone writes it: degrees, minutes, seconds.
GPS_LAT, GPS_LON = 41.09, 23.55


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DIMOS_REPORT_MAX_PHOTOS = 3


@pytest.fixture(autouse=True)
def _english(request):
    # The assertions below read English messages; the site's default language is Greek.
    if "citizen_client" in request.fixturenames:
        request.getfixturevalue("citizen_client").cookies["dimos_language"] = "en"


@pytest.fixture
def categories(municipality):
    seed_categories()


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600, 4)
    return (float(degrees), float(minutes), seconds)


def jpeg(*, gps: bool = True, size=(64, 48), orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, "red")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Acme"
    exif[ExifTags.Base.Model] = "SecretCam 3000"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if gps:
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: _dms(GPS_LAT),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: _dms(GPS_LON),
        }
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(content: bytes, name: str = "IMG_0001.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _data(**extra):
    return {
        "lat": "41.10",
        "lon": "23.56",
        "address": "Μεραρχίας 10",
        "description": "Λακκούβα",
        "submission": "photo-1",
        **extra,
    }


def _errors(response) -> str:
    return " ".join(str(e) for e in response.context["form"].errors.get("photos", []))


# --- What is stored -------------------------------------------------------------------------


def test_stored_photo_has_no_exif_nor_camera_nor_gps(citizen_client, categories):
    original = jpeg()
    assert b"SecretCam" in original  # the test photo really carries what must go
    citizen_client.post("/reports/new/pothole/", _data(photos=[upload(original)]))
    photo = ReportPhoto.objects.get()
    for field in (photo.image, photo.thumbnail):
        with field.open("rb") as stored:
            content = stored.read()
        image = Image.open(io.BytesIO(content))
        assert image.format == "JPEG"
        assert not image.getexif()
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "icc_profile" not in image.info and "xmp" not in image.info
        assert b"SecretCam" not in content and b"Acme" not in content
    assert photo.image.name.startswith("reports/photos/") and "IMG_0001" not in photo.image.name


def test_camera_rotation_is_applied_before_stripping():
    processed = photos.process_upload(upload(jpeg(size=(40, 20), orientation=6)))
    assert (processed.width, processed.height) == (20, 40)


def test_large_photos_are_scaled_down_with_a_small_thumbnail():
    out = io.BytesIO()
    Image.new("RGB", (3000, 1500), "blue").save(out, "PNG")
    processed = photos.process_upload(upload(out.getvalue(), "big.png", "image/png"))
    assert (processed.width, processed.height) == (2048, 1024)
    assert Image.open(io.BytesIO(processed.thumbnail)).size == (400, 200)


def test_transparent_png_and_webp_are_accepted():
    for fmt, mode in (("PNG", "RGBA"), ("WEBP", "RGB")):
        out = io.BytesIO()
        Image.new(mode, (10, 10)).save(out, fmt)
        assert photos.process_upload(upload(out.getvalue(), "x.bin", "text/plain")).width == 10


def test_heic_from_an_iphone_is_accepted():
    import pillow_heif

    out = io.BytesIO()
    try:
        pillow_heif.from_pillow(Image.new("RGB", (32, 32), "green")).save(out, quality=50)
    except Exception:
        pytest.skip("no HEIF encoder here")
    processed = photos.process_upload(upload(out.getvalue(), "IMG_0002.HEIC", "image/heic"))
    assert Image.open(io.BytesIO(processed.image)).format == "JPEG"


# --- The pin from the photo -----------------------------------------------------------------


def test_photo_gps_sets_the_pin_when_the_map_was_left_empty(citizen_client, categories):
    response = citizen_client.post(
        "/reports/new/pothole/", _data(lat="", lon="", photos=[upload(jpeg())]), follow=True
    )
    report = Report.objects.get()
    assert report.lat == pytest.approx(GPS_LAT, abs=1e-4)
    assert report.lon == pytest.approx(GPS_LON, abs=1e-4)
    assert any("photo" in str(m) for m in response.context["messages"])


def test_the_pin_wins_over_the_photo_gps(citizen_client, categories):
    citizen_client.post("/reports/new/pothole/", _data(photos=[upload(jpeg())]))
    report = Report.objects.get()
    assert (report.lat, report.lon) == (41.10, 23.56)


def test_without_pin_nor_gps_the_place_is_still_required(citizen_client, categories):
    response = citizen_client.post(
        "/reports/new/pothole/", _data(lat="", lon="", photos=[upload(jpeg(gps=False))])
    )
    assert response.status_code == 200 and "lat" in response.context["form"].errors
    assert not Report.objects.exists()


# --- What is refused ------------------------------------------------------------------------


def test_a_text_file_is_refused_with_a_form_error(citizen_client, categories):
    response = citizen_client.post(
        "/reports/new/pothole/", _data(photos=[upload(b"hello, not a photo")])
    )
    assert response.status_code == 200
    assert "is not a photo" in _errors(response) and "IMG_0001.jpg" in _errors(response)
    assert not Report.objects.exists() and not ReportPhoto.objects.exists()


def test_an_image_of_another_format_with_a_jpeg_name_is_refused(citizen_client, categories):
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    response = citizen_client.post(
        "/reports/new/pothole/", _data(photos=[upload(out.getvalue(), "photo.jpg")])
    )
    assert "is not a photo" in _errors(response)
    assert not Report.objects.exists()


def test_a_truncated_jpeg_is_refused():
    with pytest.raises(photos.NotAPhoto):
        photos.process_upload(upload(jpeg()[:200]))


def test_an_oversized_photo_is_refused(citizen_client, categories, settings):
    settings.DIMOS_REPORT_PHOTO_MAX_BYTES = 100
    response = citizen_client.post("/reports/new/pothole/", _data(photos=[upload(jpeg())]))
    assert "larger than" in _errors(response)
    assert not Report.objects.exists()


def test_too_many_photos_are_refused(citizen_client, categories):
    files = [upload(jpeg(), f"{n}.jpg") for n in range(4)]
    response = citizen_client.post("/reports/new/pothole/", _data(photos=files))
    assert "at most 3 photos" in _errors(response)
    assert not Report.objects.exists()


def test_a_decompression_bomb_is_refused():
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, "PNG")  # 81 megapixels in a few kilobytes
    assert len(out.getvalue()) < 100_000
    with pytest.raises(photos.PhotoTooLarge):
        photos.process_upload(upload(out.getvalue(), "bomb.png", "image/png"))


def test_the_service_refuses_more_than_the_limit_in_total(municipality):
    report = ReportFactory.create()
    services.add_photos(report=report, files=[upload(jpeg()), upload(jpeg())], actor=None)
    with pytest.raises(photos.TooManyPhotos):
        services.add_photos(report=report, files=[upload(jpeg()), upload(jpeg())], actor=None)
    assert report.photos.count() == 2


# --- Retries, history and audit -------------------------------------------------------------


def test_a_retried_submission_does_not_add_the_photos_twice(citizen_client, categories):
    citizen_client.post("/reports/new/pothole/", _data(photos=[upload(jpeg())]))
    citizen_client.post("/reports/new/pothole/", _data(photos=[upload(jpeg())]))
    assert Report.objects.count() == 1 and ReportPhoto.objects.count() == 1


def test_adding_photos_is_recorded_and_audited(citizen_client, citizen, categories):
    citizen_client.post("/reports/new/pothole/", _data(photos=[upload(jpeg())]))
    photo = ReportPhoto.objects.get()
    assert photo.uploaded_by == citizen
    update = ReportUpdate.objects.get(kind=ReportUpdate.Kind.PHOTO)
    assert update.details == {"photos": [photo.pk]} and update.is_public
    assert AuditEntry.objects.filter(action="report.photo", actor=citizen).exists()


# --- Serving and hiding ---------------------------------------------------------------------


@pytest.fixture
def photo(municipality):
    report = ReportFactory.create()
    return services.add_photos(report=report, files=[upload(jpeg())], actor=None)[0]


@pytest.fixture
def roads_client(clerk):
    sync_roles()
    clerk.groups.add(Group.objects.get(name="reports_clerk"))
    clerk.groups.add(Group.objects.get_or_create(name="roads-dept")[0])
    c = Client()
    c.force_login(clerk)
    return c


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_public_photo_is_served_with_caching(client, photo):
    response = client.get(f"/reports/photos/{photo.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "public" in response["Cache-Control"] and "max-age=3600" in response["Cache-Control"]
    assert Image.open(io.BytesIO(_body(response))).size == (64, 48)
    assert client.get(f"/reports/photos/{photo.pk}/thumb/").status_code == 200


def test_detail_page_shows_thumbnails_with_alt_text(client, photo):
    html = client.get(f"/reports/{photo.report_id}/").content.decode()
    assert f"/reports/photos/{photo.pk}/thumb/" in html
    assert "Photo 1 of the report" in html or "Φωτογραφία 1" in html
    assert "/media/" not in html


def test_hidden_photo_is_404_for_the_public_but_staff_see_it(client, roads_client, photo):
    services.hide_photo(photo=photo, actor=None, reason="A face")  # type: ignore[arg-type]
    assert client.get(f"/reports/photos/{photo.pk}/").status_code == 404
    assert client.get(f"/reports/photos/{photo.pk}/thumb/").status_code == 404
    assert (
        f"/reports/photos/{photo.pk}/"
        not in client.get(f"/reports/{photo.report_id}/").content.decode()
    )
    response = roads_client.get(f"/reports/photos/{photo.pk}/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_photos_of_hidden_or_unconfirmed_reports_are_404(client, photo):
    Report.objects.filter(pk=photo.report_id).update(is_hidden=True)
    assert client.get(f"/reports/photos/{photo.pk}/").status_code == 404


def test_logged_in_residents_cannot_see_hidden_photos(other_citizen, photo):
    services.hide_photo(photo=photo, actor=None, reason="A plate")  # type: ignore[arg-type]
    c = Client()
    c.force_login(other_citizen)
    assert c.get(f"/reports/photos/{photo.pk}/").status_code == 404


def test_staff_hide_a_photo_from_the_report_page(client, roads_client, clerk, photo):
    page = roads_client.get(f"/staff/reports/{photo.report_id}/").content.decode()
    assert f"/reports/photos/{photo.pk}/thumb/" in page and "hide_photo" in page
    response = roads_client.post(
        f"/staff/reports/{photo.report_id}/hide_photo/", {"photo": photo.pk, "reason": "A face"}
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.is_hidden and photo.hidden_reason == "A face"
    assert photo.image.storage.exists(photo.image.name)  # kept, only hidden
    assert client.get(f"/reports/photos/{photo.pk}/").status_code == 404
    update = ReportUpdate.objects.filter(kind=ReportUpdate.Kind.PHOTO).last()
    assert update is not None and not update.is_public and update.actor == clerk
    assert AuditEntry.objects.filter(action="report.photo", actor=clerk).exists()


def test_hiding_needs_a_reason(roads_client, photo):
    roads_client.post(f"/staff/reports/{photo.report_id}/hide_photo/", {"photo": photo.pk})
    photo.refresh_from_db()
    assert not photo.is_hidden


def test_residents_cannot_hide_photos(citizen_client, photo):
    citizen_client.post(
        f"/staff/reports/{photo.report_id}/hide_photo/", {"photo": photo.pk, "reason": "x"}
    )
    photo.refresh_from_db()
    assert not photo.is_hidden


def test_a_photo_of_another_report_cannot_be_hidden_through_this_one(roads_client, photo):
    other = ReportFactory.create()
    response = roads_client.post(
        f"/staff/reports/{other.pk}/hide_photo/", {"photo": photo.pk, "reason": "x"}
    )
    assert response.status_code == 404
    photo.refresh_from_db()
    assert not photo.is_hidden


# --- Open311 and efficiency -----------------------------------------------------------------


def test_open311_media_url_is_the_first_public_photo(client, photo, settings):
    data = client.get("/open311/v2/requests.json").json()
    row = next(r for r in data if r["service_request_id"] == str(photo.report_id))
    assert row["media_url"] == f"{settings.SITE_URL}/reports/photos/{photo.pk}/"
    services.hide_photo(photo=photo, actor=None, reason="A face")  # type: ignore[arg-type]
    data = client.get("/open311/v2/requests.json").json()
    assert data[0]["media_url"] == ""


def _queries(client, url) -> int:
    cache.clear()  # the Open311 listing is cached: measure the queries that build it
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url", ["/reports/", "/open311/v2/requests.json", "/open311/v2/requests.json?extensions=true"]
)
def test_photos_do_not_add_queries_to_lists(client, municipality, url):
    reports = ReportFactory.create_batch(3)
    client.get(url)
    before = _queries(client, url)
    for report in reports:
        services.add_photos(report=report, files=[upload(jpeg())], actor=None)
    assert _queries(client, url) == before
