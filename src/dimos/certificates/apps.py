"""Online certificates (e-demotis): requests, signed PDFs, verification, Assistance at Home."""

from django.utils.translation import gettext_lazy as _

from dimos.core.manifest import (
    AccountPanel,
    ApiRouter,
    CatalogueEntry,
    Check,
    CompletedTransaction,
    DemoSeeder,
    DimosAppConfig,
    Figure,
    Manifest,
    NotificationKind,
    OpenDataFile,
    OpenDataset,
    PersonalDataHandler,
    Role,
    StaffQueue,
    ref,
)


class CertificatesConfig(DimosAppConfig):
    name = "dimos.certificates"
    label = "certificates"
    verbose_name = _("Certificates")
    default_auto_field = "django.db.models.BigAutoField"
    manifest = Manifest(
        urls="dimos.certificates.urls",
        url_prefix="",  # /certificates/… and /verify/ (printed on every PDF's QR code)
        staff_urls="dimos.certificates.staff_urls",  # /staff/certificates/
        api=ApiRouter("/certificates", "dimos.certificates.api.router"),
        conf="dimos.certificates.conf.conf",
        catalogue=(
            CatalogueEntry(
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
            ),
            CatalogueEntry(
                key="certificates-verify",
                topic="certificates",
                name=_("Check a certificate"),
                summary=_("Check that a certificate of the municipality is genuine and valid."),
                audience=_("Everyone"),
                url_name="certificates:verify",
                order=20,
                keywords=_("verify, QR code, genuine, signature"),
            ),
        ),
        panels=(
            AccountPanel(
                key="certificates",
                title=_("My certificates"),
                template="certificates/panel.html",
                context=ref("dimos.certificates.panels.my_requests_panel"),
                order=35,
            ),
        ),
        queues=(
            StaffQueue(
                key="certificates",
                title=_("Certificate requests (e-demotis)"),
                description=_("Open requests; overdue past their deadline in working days."),
                url_name="certificates_staff:queue",
                permission="certificates.view_certificaterequest",
                counts=ref("dimos.certificates.panels.queue_counts"),
                order=110,
            ),
        ),
        roles=(
            Role(
                key="certificates_clerk",
                name=_("Certificates clerk"),
                description=_("handles certificate requests and files them for callers"),
                permissions=(
                    "certificates.view_certificaterequest",
                    "certificates.change_certificaterequest",
                ),
            ),
            Role(
                key="certificates_issuer",
                name=_("Certificates issuer"),
                description=_("issues signed certificates and revokes them"),
                permissions=(
                    "certificates.view_certificaterequest",
                    "certificates.change_certificaterequest",
                    "certificates.issue_certificate",
                ),
            ),
        ),
        notification_kinds=(
            NotificationKind(
                key="certificates.received", title=_("Your certificate request was received")
            ),
            NotificationKind(
                key="certificates.updated", title=_("News about your certificate request")
            ),
            NotificationKind(
                key="certificates.info_requested", title=_("The municipality needs more from you")
            ),
            NotificationKind(key="certificates.issued", title=_("Your certificate is ready")),
        ),
        transactions=(
            CompletedTransaction(
                key="certificates.request",
                service="certificates",
                title=_("Certificates online (e-demotis)"),
                figures=ref("dimos.certificates.performance.figures"),
                completions=ref("dimos.certificates.performance.completions"),
                order=20,
            ),
        ),
        personal_data=(
            PersonalDataHandler(
                key="certificates",
                export=ref("dimos.certificates.personal_data.export_for"),
                erase=ref("dimos.certificates.personal_data.erase_for"),
                models=(
                    "certificates.CertificateRequest",
                    "certificates.RequestEvent",
                    "certificates.Attachment",
                    "certificates.IssuedDocument",
                ),
                files=ref("dimos.certificates.personal_data.files_for"),
                retained=ref("dimos.certificates.personal_data.retained_for"),
            ),
        ),
        figures=(
            Figure(
                key="certificates-issued",
                label=_("Certificates issued online"),
                value=ref("dimos.certificates.selectors.issued_online_count"),
                order=10,
            ),
        ),
        seeders=(
            DemoSeeder(key="certificate-types", seed=ref("dimos.certificates.demo.seed_types")),
            DemoSeeder(
                key="certificate-requests",
                seed=ref("dimos.certificates.demo.seed_requests"),
                after=("accounts", "certificate-types"),  # the demo resident's requests
            ),
        ),
        open_data=(
            OpenDataset(
                key="certificates-issued",
                title=_("Certificates issued online, per type and month"),
                description=_(
                    "How many certificates the municipality issued online each month, per type "
                    "of certificate. Counts only. Refreshed daily."
                ),
                files=(
                    OpenDataFile(
                        key="csv",
                        name=_("Certificates issued per type and month"),
                        format="CSV",
                        produce=ref("dimos.certificates.open_data.table"),
                    ),
                ),
                keywords=(_("certificates"), _("e-government")),
                theme="GOVE",
                frequency="DAILY",
                order=20,
            ),
        ),
        audit_sentences="dimos.certificates.audit_sentences.SENTENCES",
        checks=(Check("dimos.certificates.signing.check_signing_key", tags=("security",)),),
    )

    def ready(self) -> None:
        from dimos.certificates import services
        from dimos.deliveries.services import register_source

        super().ready()
        # Completed on the day sheet itself (received by whom), so no completion page.
        register_source(services.SOURCE, listener=services.delivery_changed)
