"""One query for "active staff" (issue 11): who appears in every assign-to and notify list."""

from django.contrib.auth.models import Group, Permission

from dimos.accounts.selectors import active_staff, department_staff
from dimos.testing.factories import UserFactory


def test_active_staff_are_staff_who_can_sign_in_in_name_order(db):
    zoe = UserFactory.create(is_staff=True, last_name="Ζαχαρίου")
    anna = UserFactory.create(is_staff=True, last_name="Αλεξίου")
    UserFactory.create(is_staff=True, is_active=False, last_name="Βασιλείου")
    UserFactory.create(is_staff=False, last_name="Γεωργίου")
    assert list(active_staff()) == [anna, zoe]


def test_with_a_permission_by_role_directly_or_as_superuser(db):
    codename = "change_delivery"
    permission = Permission.objects.get(codename=codename, content_type__app_label="deliveries")
    role = Group.objects.create(name="couriers")
    role.permissions.add(permission)
    by_role = UserFactory.create(is_staff=True, last_name="Α")
    by_role.groups.add(role)
    direct = UserFactory.create(is_staff=True, last_name="Β")
    direct.user_permissions.add(permission)
    boss = UserFactory.create(is_staff=True, is_superuser=True, last_name="Γ")
    UserFactory.create(is_staff=True, last_name="Δ")  # no such permission
    gone = UserFactory.create(is_staff=True, is_active=False, last_name="Ε")
    gone.groups.add(role)
    assert list(active_staff(permission=codename)) == [by_role, direct, boss]
    assert list(active_staff(permission=codename, app_label="deliveries")) == [
        by_role,
        direct,
        boss,
    ]
    # The same codename in another app (core.Delivery, notification deliveries) is not it.
    assert list(active_staff(permission=codename, app_label="accounts")) == [boss]


def test_department_staff(db):
    department = Group.objects.create(name="Roads")
    member = UserFactory.create(is_staff=True)
    member.groups.add(department)
    UserFactory.create(is_staff=True)
    assert list(department_staff(department)) == [member]


def test_one_token_check_for_the_rest_api_and_open311(db):
    from datetime import timedelta

    from django.utils import timezone

    from dimos.accounts.models import ApiToken
    from dimos.accounts.services import issue_api_token, use_api_token

    owner = UserFactory.create()
    token, raw = issue_api_token(user=owner, name="integration", actor=owner)
    assert use_api_token("dmt_unknown") is None
    found = use_api_token(f"  {raw} ")
    assert found == token and found.last_used_at is not None
    # Last use is kept to the minute: a second call within it writes nothing.
    first_use = found.last_used_at
    assert use_api_token(raw).last_used_at == first_use
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert use_api_token(raw) is None


def test_oidc_claims_are_read_flat_from_where_allauth_keeps_them():
    from dimos.accounts.selectors import oidc_claims

    nested = {"userinfo": {"given_name": "Ελένη"}, "id_token": {"family_name": "Παπά"}, "sub": "1"}
    assert oidc_claims(nested) == {
        "userinfo": {"given_name": "Ελένη"},
        "id_token": {"family_name": "Παπά"},
        "sub": "1",
        "given_name": "Ελένη",
        "family_name": "Παπά",
    }
    assert oidc_claims({"given_name": "Old"})["given_name"] == "Old"  # links made before
    assert oidc_claims(None) == {}
