import io
import json
import zipfile

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse

from dimos.accounts import services
from dimos.accounts.adapters import mark_identity_verified
from dimos.accounts.models import ApiToken, User
from dimos.core.models import AuditEntry, Delivery, Notification
from dimos.testing.factories import UserFactory
from dimos.testing.personas import confirmed_it_is_them


def test_signup_requires_email_verification(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "new@example.org",
                "first_name": "Νίκος",
                "last_name": "Νέος",
                "password1": "a-long-enough-pass-42",
                "password2": "a-long-enough-pass-42",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="new@example.org")
    assert user.first_name == "Νίκος"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    # Not logged in until the address is confirmed.
    assert client.get(reverse("portal:my_account")).status_code == 302
    assert AuditEntry.objects.filter(action="account.signup", target_id=str(user.pk)).exists()


def test_signup_form_errors_are_shown_in_greek(client, db):
    response = client.post(reverse("account_signup"), {"email": "not-an-email"})
    assert response.status_code == 200
    assert "govgr-error-message" in response.content.decode()


def test_signup_with_a_taken_email_does_not_reveal_it(client, citizen):
    response = client.post(
        reverse("account_signup"),
        {
            "email": citizen.email,
            "first_name": "X",
            "last_name": "Y",
            "password1": "a-long-enough-pass-42",
            "password2": "a-long-enough-pass-42",
        },
    )
    # Same answer as a fresh sign-up: redirect to "check your email".
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")


def test_password_reset_does_not_reveal_accounts(client, citizen):
    known = client.post(reverse("account_reset_password"), {"email": citizen.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url


def test_login_is_locked_after_repeated_failures(client, citizen):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": citizen.email, "password": "wrong"})
    # Locked: even the right password is refused for a while, with a clear message.
    response = client.post(
        reverse("account_login"),
        {"login": citizen.email, "password": "correct-horse-battery-9"},
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "govgr-error-summary" in response.content.decode()


def test_login_works_with_the_right_password(client, citizen):
    response = client.post(
        reverse("account_login"),
        {"login": citizen.email, "password": "correct-horse-battery-9"},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_profile_update_changes_fields_and_audits(citizen_client, citizen):
    response = citizen_client.post(
        reverse("accounts:profile"),
        {
            "first_name": "Alice",
            "last_name": "Resident",
            "phone": "+30 6912345678",
            "address": "Οδός 1, Σέρρες",
            "preferred_language": "en",
            "notify_email": "on",
        },
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.phone == "+30 6912345678"
    assert citizen.preferred_language == "en"
    entry = AuditEntry.objects.get(action="account.profile_updated")
    assert set(entry.details["fields"]) == {"phone", "address", "preferred_language"}


def test_profile_rejects_sms_without_phone(citizen_client, citizen):
    response = citizen_client.post(
        reverse("accounts:profile"),
        {"first_name": "A", "last_name": "B", "preferred_language": "el", "notify_sms": "on"},
    )
    assert response.status_code == 200
    assert "govgr-error-message" in response.content.decode()
    citizen.refresh_from_db()
    assert not citizen.notify_sms


def test_export_contains_the_persons_data(citizen_client, citizen):
    response = citizen_client.post(reverse("accounts:export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == citizen.email
    assert data["notifications"] == []
    assert AuditEntry.objects.filter(action="account.data_exported").exists()


def test_export_needs_post(citizen_client):
    assert citizen_client.get(reverse("accounts:export")).status_code == 405


def test_delete_account_needs_the_email_typed(citizen_client, citizen):
    response = citizen_client.post(reverse("accounts:delete"), {"confirm": "wrong@example.org"})
    assert response.status_code == 400
    citizen.refresh_from_db()
    assert citizen.is_active


def test_delete_account_erases_personal_data_and_keeps_audit(
    citizen_client, citizen, django_capture_on_commit_callbacks
):
    pk, email = citizen.pk, citizen.email
    confirmed_it_is_them(citizen_client, citizen)
    with django_capture_on_commit_callbacks(execute=True):
        response = citizen_client.post(reverse("accounts:delete"), {"confirm": email})
    assert response.status_code == 302
    user = User.objects.get(pk=pk)
    assert not user.is_active
    assert user.email != email and user.first_name == "" and user.erased_at is not None
    assert not user.has_usable_password()
    assert not EmailAddress.objects.filter(email=email).exists()
    assert AuditEntry.objects.filter(action="account.erased", target_id=str(pk)).exists()
    # Nothing is sent to the address just erased: the page is the confirmation.
    assert all(email not in message.to for message in mail.outbox)
    assert Delivery.objects.filter(address=email).count() == 0
    # And they are logged out.
    assert citizen_client.get(reverse("portal:my_account")).status_code == 302


def test_eid_login_marks_identity_verified(citizen, settings):
    settings.DIMOS_OIDC_VERIFIED_PROVIDERS = ["eid"]
    mark_identity_verified(citizen, "eid")
    citizen.refresh_from_db()
    assert citizen.identity_verified and citizen.identity_provider == "eid"


def test_other_providers_do_not_verify_identity(citizen, settings):
    settings.DIMOS_OIDC_VERIFIED_PROVIDERS = ["eid"]
    mark_identity_verified(citizen, "someblog")
    citizen.refresh_from_db()
    assert not citizen.identity_verified


def test_social_adapter_verifies_new_eid_accounts(rf, db, settings):
    from allauth.socialaccount.models import SocialLogin

    from dimos.accounts.adapters import SocialAccountAdapter

    settings.DIMOS_OIDC_VERIFIED_PROVIDERS = ["eid"]
    user = UserFactory.create(email="eid@example.org")
    account = SocialAccount(provider="eid", uid="GR-123", extra_data={"given_name": "Ανна"})
    login = SocialLogin(user=user, account=account)
    request = rf.get("/")
    request.user = user
    request.session = {}
    SocialAccountAdapter().save_user(request, login)
    user.refresh_from_db()
    assert user.identity_verified
    assert SocialAccount.objects.filter(user=user, provider="eid").exists()


# --- Staff ---------------------------------------------------------------------------------


def test_staff_without_totp_are_sent_to_set_it_up(client, db):
    staff = UserFactory.create(email="newstaff@example.org", is_staff=True)
    client.force_login(staff)
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))


def test_staff_with_totp_reach_the_staff_home(clerk_client):
    assert clerk_client.get("/staff/").status_code == 200


def test_residents_cannot_reach_staff_pages(citizen_client):
    assert citizen_client.get("/staff/").status_code == 403
    assert citizen_client.get(reverse("accounts:staff_list")).status_code == 403


def test_clerk_cannot_manage_staff(clerk_client):
    assert clerk_client.get(reverse("accounts:staff_list")).status_code == 403


def test_staff_admin_adds_staff_with_roles(
    admin_client_, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(
            reverse("accounts:staff_new"),
            {
                "email": "Maria@Example.org",
                "first_name": "Μαρία",
                "last_name": "Κ",
                "roles": ["news_editor"],
            },
        )
    assert response.status_code == 302
    staff = User.objects.get(email="maria@example.org")
    assert staff.is_staff and not staff.has_usable_password()
    assert list(staff.groups.values_list("name", flat=True)) == ["news_editor"]
    # A password link and the roles notice were emailed.
    assert {m.to[0] for m in mail.outbox} == {"maria@example.org"}
    assert len(mail.outbox) == 2
    assert AuditEntry.objects.filter(action="staff.created", actor=admin_user).exists()


def test_staff_admin_changes_roles(admin_client_, clerk):
    response = admin_client_.post(
        reverse("accounts:staff_edit", args=[clerk.pk]),
        {"roles": ["auditor"], "is_active": "on"},
    )
    assert response.status_code == 302
    assert list(clerk.groups.values_list("name", flat=True)) == ["auditor"]
    assert Notification.objects.filter(recipient=clerk, kind="accounts.roles_changed").exists()


def test_unknown_roles_are_rejected(admin_client_, clerk):
    response = admin_client_.post(
        reverse("accounts:staff_edit", args=[clerk.pk]), {"roles": ["god"], "is_active": "on"}
    )
    assert response.status_code == 200
    assert list(clerk.groups.values_list("name", flat=True)) == ["news_editor"]


def test_admin_cannot_deactivate_themselves(admin_client_, admin_user):
    response = admin_client_.post(reverse("accounts:staff_edit", args=[admin_user.pk]), {})
    assert response.status_code == 200
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_roles_are_synced_as_groups_with_their_permissions(db):
    services.sync_roles()
    auditor = Group.objects.get(name="auditor")
    assert list(auditor.permissions.values_list("codename", flat=True)) == ["view_auditentry"]


@pytest.mark.parametrize("field", ["email", "password"])
def test_api_token_is_stored_only_as_a_hash(citizen, admin_user, field):
    token, raw = services.issue_api_token(user=citizen, name="integration", actor=admin_user)
    assert raw.startswith("dmt_")
    assert raw not in token.key_hash
    assert ApiToken.find(raw) == token
    services.revoke_api_token(token=token, actor=admin_user)
    assert ApiToken.find(raw) is None


def test_confirming_the_email_welcomes_the_resident(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {
                "email": "welcome@example.org",
                "first_name": "W",
                "last_name": "E",
                "password1": "a-long-enough-pass-42",
                "password2": "a-long-enough-pass-42",
            },
        )
    body = mail.outbox[0].body
    link = next(w for w in body.split() if "/accounts/confirm-email/" in w)
    path = link[link.index("/accounts/") :]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path)
    assert response.status_code == 302
    user = User.objects.get(email="welcome@example.org")
    assert EmailAddress.objects.get(user=user).verified
    assert Notification.objects.filter(recipient=user, kind="accounts.welcome").exists()
    assert client.get(reverse("portal:my_account")).status_code == 200


def test_admin_issues_an_api_token_shown_once(admin_client_, citizen):
    response = admin_client_.post(
        "/admin/accounts/apitoken/add/", {"user": citizen.pk, "name": "Open311 app"}, follow=True
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    raw = next(w for m in shown for w in m.split() if w.startswith("dmt_"))
    token = ApiToken.find(raw)
    assert token is not None and token.user == citizen and token.name == "Open311 app"


def test_staff_list_shows_role_names_not_group_keys(admin_client_, clerk):
    admin_client_.cookies["dimos_language"] = "en"
    html = admin_client_.get(reverse("accounts:staff_list")).content
    assert b"News editor" in html
    assert b"news_editor" not in html


def test_profile_needs_a_name(citizen_client, citizen):
    response = citizen_client.post(
        reverse("accounts:profile"), {"first_name": "", "last_name": "", "preferred_language": "el"}
    )
    assert response.status_code == 200
    citizen.refresh_from_db()
    assert citizen.first_name == "Alice"


def test_logins_and_logouts_are_audited(client, citizen):
    client.post(
        reverse("account_login"), {"login": citizen.email, "password": "correct-horse-battery-9"}
    )
    client.post(reverse("account_logout"))
    actions = list(
        AuditEntry.objects.filter(actor=citizen).values_list("action", flat=True).order_by("pk")
    )
    assert actions[-2:] == ["account.login", "account.logout"]


# --- Deleting the account asks the person to prove it is them ---------------------------------


def test_deleting_the_account_asks_for_the_password_then_carries_on(citizen):
    client = Client()
    client.force_login(citizen)  # logged in a while ago: not enough to delete
    response = client.post(reverse("accounts:delete"), {"confirm": citizen.email})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    citizen.refresh_from_db()
    assert citizen.is_active and citizen.erased_at is None
    wrong = client.post(response["Location"], {"password": "not-my-password"})
    assert wrong.status_code == 200
    citizen.refresh_from_db()
    assert citizen.erased_at is None
    done = client.post(response["Location"], {"password": "correct-horse-battery-9"})
    assert done.status_code == 302
    citizen.refresh_from_db()
    assert citizen.erased_at is not None and not citizen.is_active


def _eid_only(user):
    user.set_unusable_password()
    user.save()
    SocialAccount.objects.create(user=user, provider="eid", uid="gr-123")
    return user


def test_an_eid_account_without_a_password_logs_in_with_the_eid_again_first(citizen):
    _eid_only(citizen)
    client = Client()
    client.force_login(citizen)
    client.cookies["dimos_language"] = "en"
    response = client.post(reverse("accounts:delete"), {"confirm": citizen.email})
    assert response.status_code == 403
    assert "First confirm that it is you" in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.erased_at is None
    confirmed_it_is_them(client, citizen, method="socialaccount", ago=20 * 60)  # too long ago
    assert client.post(reverse("accounts:delete"), {"confirm": citizen.email}).status_code == 403
    confirmed_it_is_them(client, citizen, method="socialaccount", ago=30)
    assert client.post(reverse("accounts:delete"), {"confirm": citizen.email}).status_code == 302
    citizen.refresh_from_db()
    assert citizen.erased_at is not None
