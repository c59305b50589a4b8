"""Online certificates (e-demotis): requests, signed PDFs, verification, Assistance at Home."""

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def queue_counts(user: Any) -> Any:
    from dimos.certificates.models import CertificateRequest
    from dimos.core.registry import QueueCounts

    requests = CertificateRequest.objects
    return QueueCounts(open=requests.open().count(), overdue=requests.overdue().count())


def my_requests_panel(request: Any) -> dict[str, Any]:
    from dimos.certificates.selectors import requests_of

    return {"requests": list(requests_of(request.user.pk)[:5])}


def issued_online() -> int:
    from dimos.certificates.selectors import issued_online_count

    return issued_online_count()


class CertificatesConfig(AppConfig):
    name = "dimos.certificates"
    label = "certificates"
    verbose_name = _("Certificates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks

        from dimos.api.api import add_router
        from dimos.certificates import demo, services, signing
        from dimos.certificates.api import router
        from dimos.core import registry as r
        from dimos.deliveries.services import register_listener

        add_router("/certificates", router)
        checks.register(signing.check_signing_key, checks.Tags.security)
        register_listener(services.SOURCE, services.delivery_changed)

        r.register_service(
            r.CatalogueEntry(
                key="certificates",
                topic="certificates",
                name=_("Certificates online (e-demotis)"),
                summary=_(
                    "Ask for a certificate of residence, family status, a registry extract and "
                    "more; download it signed, or have it brought home."
                ),
                audience=_("Residents registered in the municipality"),
                url_name="certificates:start",
                online=True,
                at_desk=True,
                order=10,
                keywords=_(
                    "certificate, residence, family status, registry extract, birth, no debt, "
                    "e-demotis, Assistance at Home"
                ),
            )
        )
        r.register_service(
            r.CatalogueEntry(
                key="certificates-verify",
                topic="certificates",
                name=_("Check a certificate"),
                summary=_("Check that a certificate of the municipality is genuine and valid."),
                audience=_("Everyone"),
                url_name="certificates:verify",
                order=20,
                keywords=_("verify, QR code, genuine, signature"),
            )
        )
        r.register_panel(
            r.AccountPanel(
                key="certificates",
                title=_("My certificates"),
                template="certificates/panel.html",
                context=my_requests_panel,
                order=35,
            )
        )
        r.register_queue(
            r.StaffQueue(
                key="certificates",
                title=_("Certificate requests (e-demotis)"),
                description=_("Open requests; overdue past their deadline in working days."),
                url_name="certificates_staff:queue",
                permission="certificates.view_certificaterequest",
                counts=queue_counts,
                order=110,
            )
        )
        r.register_role(
            r.Role(
                key="certificates_clerk",
                app_label="certificates",
                name=_("Certificates clerk"),
                description=_("handles certificate requests and files them for callers"),
                permissions=(
                    "certificates.view_certificaterequest",
                    "certificates.change_certificaterequest",
                ),
            )
        )
        r.register_role(
            r.Role(
                key="certificates_issuer",
                app_label="certificates",
                name=_("Certificates issuer"),
                description=_("issues signed certificates and revokes them"),
                permissions=(
                    "certificates.view_certificaterequest",
                    "certificates.change_certificaterequest",
                    "certificates.issue_certificate",
                ),
            )
        )
        for key, title in (
            ("certificates.received", _("Your certificate request was received")),
            ("certificates.updated", _("News about your certificate request")),
            ("certificates.info_requested", _("The municipality needs more from you")),
            ("certificates.issued", _("Your certificate is ready")),
        ):
            r.register_notification_kind(r.NotificationKind(key=key, title=title))
        from dimos.certificates import personal_data

        r.register_personal_data(
            r.PersonalDataHandler(
                key="certificates",
                export=personal_data.export_for,
                erase=personal_data.erase_for,
                models=personal_data.MODELS,
                files=personal_data.files_for,
                retained=personal_data.retained_for,
            )
        )
        r.register_figure(
            r.Figure(
                key="certificates-issued",
                label=_("Certificates issued online"),
                value=issued_online,
                order=10,
            )
        )
        r.register_demo_seeder(
            r.DemoSeeder(key="certificate-types", seed=demo.seed_types, order=45)
        )
        r.register_demo_seeder(
            r.DemoSeeder(key="certificate-requests", seed=demo.seed_requests, order=46)
        )
        from dimos.certificates import audit_sentences

        r.register_audit_sentences(audit_sentences.SENTENCES)
