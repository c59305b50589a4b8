"""Who may change whose staff access (issue 9, item 5; ADR 0014)."""

import pytest
from django.core import mail
from django.urls import reverse

from dimos.accounts import services
from dimos.core.models import AuditEntry, Notification
from dimos.testing.personas import login, staff


@pytest.fixture
def staff_admin(db):
    """A staff administrator who is not a superuser."""
    return staff("staffadmin@example.org", "staff_admin")


@pytest.fixture
def staff_admin_client(staff_admin):
    return login(staff_admin)


def _roles(user):
    return sorted(user.groups.values_list("name", flat=True))


def test_staff_admin_cannot_give_themselves_roles(staff_admin_client, staff_admin):
    response = staff_admin_client.post(
        reverse("accounts:staff_edit", args=[staff_admin.pk]),
        {"roles": ["staff_admin", "auditor", "reports_manager"], "is_active": "on"},
    )
    assert response.status_code == 200
    assert "govgr-error" in response.content.decode()
    assert _roles(staff_admin) == ["staff_admin"]


def test_own_roles_page_says_to_ask_another_administrator(staff_admin_client, staff_admin):
    response = staff_admin_client.get(reverse("accounts:staff_edit", args=[staff_admin.pk]))
    assert response.status_code == 200
    assert response.context["own"]
    assert all(field.disabled for field in response.context["form"].fields.values())


def test_superuser_cannot_change_own_roles_either(admin_user):
    with pytest.raises(services.StaffChangeRefused):
        services.set_staff_roles(
            staff=admin_user, roles=["news_editor"], is_active=True, actor=admin_user
        )
    with pytest.raises(services.StaffChangeRefused):
        services.set_staff_roles(
            staff=admin_user, roles=_roles(admin_user), is_active=False, actor=admin_user
        )
    admin_user.refresh_from_db()
    assert admin_user.is_active and "staff_admin" in _roles(admin_user)


def test_staff_admin_cannot_deactivate_a_superuser(staff_admin_client, admin_user):
    response = staff_admin_client.post(
        reverse("accounts:staff_edit", args=[admin_user.pk]),
        {"roles": _roles(admin_user)},
    )
    assert response.status_code == 200
    admin_user.refresh_from_db()
    assert admin_user.is_active


@pytest.mark.parametrize("role", ["staff_admin", "auditor", "platform_operator"])
def test_only_superusers_give_superuser_level_roles(staff_admin_client, clerk, role):
    response = staff_admin_client.post(
        reverse("accounts:staff_edit", args=[clerk.pk]), {"roles": [role], "is_active": "on"}
    )
    assert response.status_code == 200
    assert _roles(clerk) == ["news_editor"]


def test_staff_admin_cannot_take_a_superuser_level_role(staff_admin, db):
    auditor = staff("auditor@example.org", "auditor")
    with pytest.raises(services.StaffChangeRefused):
        services.set_staff_roles(staff=auditor, roles=[], is_active=True, actor=staff_admin)
    assert _roles(auditor) == ["auditor"]


def test_staff_admin_cannot_add_staff_with_a_superuser_level_role(staff_admin_client):
    response = staff_admin_client.post(
        reverse("accounts:staff_new"),
        {"email": "new@example.org", "first_name": "N", "last_name": "S", "roles": ["auditor"]},
    )
    assert response.status_code == 200
    from dimos.accounts.models import User

    assert not User.objects.filter(email="new@example.org").exists()


def test_superuser_gives_superuser_level_roles(admin_client_, clerk):
    response = admin_client_.post(
        reverse("accounts:staff_edit", args=[clerk.pk]),
        {"roles": ["staff_admin"], "is_active": "on"},
    )
    assert response.status_code == 302
    assert _roles(clerk) == ["staff_admin"]


def test_staff_admin_changes_ordinary_roles_and_other_administrators_are_told(
    staff_admin_client, staff_admin, admin_user, clerk, django_capture_on_commit_callbacks
):
    other_admin = staff("second@example.org", "staff_admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_admin_client.post(
            reverse("accounts:staff_edit", args=[clerk.pk]),
            {"roles": ["reports_clerk"], "is_active": "on"},
        )
    assert response.status_code == 302
    assert _roles(clerk) == ["reports_clerk"]
    entry = AuditEntry.objects.get(action="staff.roles_changed", target_id=str(clerk.pk))
    assert entry.actor == staff_admin
    assert entry.details["before"] == ["news_editor"]
    assert entry.details["after"] == ["reports_clerk"]
    told = set(
        Notification.objects.filter(kind="accounts.staff_changed").values_list(
            "recipient__email", flat=True
        )
    )
    # Every other administrator, not the one who made the change, nor the member changed.
    assert told == {admin_user.email, other_admin.email}
    emailed = {m.to[0] for m in mail.outbox if clerk.email not in m.to}
    assert emailed == told
    body = Notification.objects.filter(kind="accounts.staff_changed").first().body
    assert clerk.email in body


def test_deactivation_is_told_to_administrators(admin_user, clerk, db):
    other_admin = staff("second@example.org", "staff_admin")
    services.set_staff_roles(staff=clerk, roles=["news_editor"], is_active=False, actor=admin_user)
    clerk.refresh_from_db()
    assert not clerk.is_active
    notice = Notification.objects.get(kind="accounts.staff_changed", recipient=other_admin)
    assert "deactivated" in notice.body or "απενεργοποι" in notice.body


def test_nothing_changed_tells_no_one(admin_user, clerk, db):
    staff("second@example.org", "staff_admin")
    services.set_staff_roles(staff=clerk, roles=["news_editor"], is_active=True, actor=admin_user)
    assert not Notification.objects.filter(kind="accounts.staff_changed").exists()


def test_the_admin_names_each_role_group_in_the_readers_language(admin_client_, municipality):
    from django.contrib.auth.models import Group

    from dimos.accounts.services import sync_roles

    sync_roles()
    Group.objects.get_or_create(name="Roads department")
    admin_client_.cookies["dimos_language"] = "el"
    page = admin_client_.get("/admin/auth/group/").content.decode()
    assert "reports_clerk" in page and "Υπάλληλος αναφορών" in page
    assert "Roads department" in page


def test_kept_permissions_follow_every_change_at_once(db):
    """Permissions and the second step are cached between requests; each change applies on
    the very next request (accounts/backends.py, selectors.PERMISSIONS_VERSION)."""
    from allauth.mfa.models import Authenticator
    from django.contrib.auth.models import Group, Permission

    coordinator = staff("keeper@example.org", "relief_coordinator")
    client = login(coordinator)
    assert client.get("/staff/relief/").status_code == 200
    # A role taken away.
    coordinator.groups.clear()
    assert client.get("/staff/relief/").status_code == 403
    # Given back, then the role itself loses the permission.
    role = Group.objects.get(name="relief_coordinator")
    coordinator.groups.add(role)
    assert client.get("/staff/relief/").status_code == 200
    role.permissions.remove(Permission.objects.get(codename="view_reliefrequest"))
    assert client.get("/staff/relief/").status_code == 403
    # A permission given directly.
    coordinator.user_permissions.add(Permission.objects.get(codename="view_reliefrequest"))
    assert client.get("/staff/relief/").status_code == 200
    # The authenticator app removed: staff pages ask for it again.
    Authenticator.objects.filter(user=coordinator).delete()
    assert client.get("/staff/relief/").status_code == 302
