"""What the backup round trip does inside each site (run through ``dimos shell``).

``prepare()`` in the original site: a resident with a logged-in session and a password-reset
token, a supporting document, an issued and signed certificate, an uploaded (media) file.
``check(state)`` in the restored site: the same session downloads the same PDF through the
access-checked view, it validates against the site's signing certificate, the token is still
valid, and the files are byte for byte the same. Both print one line of JSON.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

MEDIA_NAME = "roundtrip/notice.txt"
MEDIA_BYTES = "Ανακοίνωση: backup round trip\n".encode()


def prepare() -> None:
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.contrib.auth.tokens import default_token_generator
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.test import Client

    from dimos.accounts.models import User
    from dimos.accounts.services import sync_roles
    from dimos.certificates import services
    from dimos.certificates.demo import seed_types
    from dimos.certificates.models import Attachment
    from dimos.core.demo import seed_municipality

    seed_municipality()
    sync_roles()
    ctype = next(t for t in seed_types() if t.code == "permanent-residence")
    resident = User.objects.create_user(
        email="roundtrip@example.org", password="correct-horse-battery-9", identity_verified=True
    )
    EmailAddress.objects.create(user=resident, email=resident.email, verified=True, primary=True)
    issuer = User.objects.create_user(email="issuer-rt@example.org", is_staff=True)
    issuer.groups.set(Group.objects.filter(name__in=["certificates_issuer"]))
    upload = services.CheckedUpload(
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf", ".pdf", "a.pdf"
    )
    req = services.submit_request(
        certificate_type=ctype,
        applicant=resident,
        holder_name="Roundtrip Resident",
        holder_father_name="Nikos",
        holder_address="Merarchias 12, Serres",
        data={"years": 12},
        files={"lease": ("Lease", upload)},
    )
    document = services.issue(req=req, actor=issuer)
    default_storage.save(MEDIA_NAME, ContentFile(MEDIA_BYTES))
    client = Client()
    client.force_login(resident)
    attachment = Attachment.objects.get(request=req)
    with attachment.file.open("rb") as handle:
        attachment_sha = hashlib.sha256(handle.read()).hexdigest()
    print(
        json.dumps(
            {
                "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "token": default_token_generator.make_token(resident),
                "user": resident.pk,
                "request": req.pk,
                "code": document.code,
                "sha256": document.sha256,
                "attachment": attachment.pk,
                "attachment_sha256": attachment_sha,
                "demo": document.demo,
            }
        )
    )


def check(raw: str) -> None:
    from django.conf import settings
    from django.contrib.auth.tokens import default_token_generator
    from django.core.files.storage import default_storage
    from django.test import Client
    from django.urls import reverse

    from dimos.accounts.models import User
    from dimos.certificates import signing

    state: dict[str, Any] = json.loads(raw)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = state["session"]
    download = client.get(reverse("certificates:download", args=[state["request"], state["code"]]))
    pdf = b"".join(download.streaming_content) if download.status_code == 200 else b""  # type: ignore[attr-defined]
    attachment = client.get(
        reverse("certificates:attachment", args=[state["request"], state["attachment"]])
    )
    attached = (
        b"".join(attachment.streaming_content)  # type: ignore[attr-defined]
        if attachment.status_code == 200
        else b""
    )
    verdict = signing.validate_pdf(pdf)
    with default_storage.open(MEDIA_NAME, "rb") as handle:
        media = handle.read()
    print(
        json.dumps(
            {
                "download_status": download.status_code,
                "sha256": hashlib.sha256(pdf).hexdigest(),
                "signature_ok": verdict.ok,
                "demo": signing.identity().demo,
                "attachment_sha256": hashlib.sha256(attached).hexdigest(),
                "token_valid": default_token_generator.check_token(
                    User.objects.get(pk=state["user"]), state["token"]
                ),
                "media_same": media == MEDIA_BYTES,
            }
        )
    )
