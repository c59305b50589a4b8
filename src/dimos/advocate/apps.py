"""The Advocate for citizens and enterprises (art. 77 N.3852/2010): complaints of
maladministration, mediation with the services within 30 days, and the annual report."""

from django.utils.translation import gettext_lazy as _

from dimos.core.manifest import (
    AccountPanel,
    ApiRouter,
    CatalogueEntry,
    CompletedTransaction,
    ConfidentialTarget,
    DemoSeeder,
    DimosAppConfig,
    Manifest,
    NotificationKind,
    PersonalDataHandler,
    Role,
    StaffQueue,
    ref,
)


def _always(obj: object) -> bool:
    return True


class AdvocateConfig(DimosAppConfig):
    name = "dimos.advocate"
    label = "advocate"
    verbose_name = _("The Advocate for citizens and enterprises")
    default_auto_field = "django.db.models.BigAutoField"
    manifest = Manifest(
        urls="dimos.advocate.urls",  # /advocate/
        staff_urls="dimos.advocate.staff_urls",  # /staff/advocate/
        api=ApiRouter("/advocate", "dimos.advocate.api.router"),
        conf="dimos.advocate.conf.conf",
        catalogue=(
            CatalogueEntry(
                key="advocate",
                topic="municipality",
                name=_("Complain to the Advocate for citizens and enterprises"),
                summary=_(
                    "A service of the municipality treated you unfairly, did not answer or "
                    "delayed? The Advocate examines your complaint and mediates within 30 days."
                ),
                audience=_("Residents, visitors and businesses"),
                url_name="advocate:start",
                online=True,
                order=40,
                keywords=_(
                    "advocate, ombudsman, complaint, maladministration, mediation, "
                    "συμπαραστάτης, business"
                ),
            ),
        ),
        panels=(
            AccountPanel(
                key="advocate",
                title=_("My complaints to the Advocate"),
                template="advocate/panel.html",
                context=ref("dimos.advocate.panels.my_panel"),
                order=70,
            ),
        ),
        queues=(
            StaffQueue(
                key="advocate",
                title=_("Complaints to the Advocate"),
                description=_("Open complaints; overdue past their 30-day date."),
                url_name="advocate_staff:queue",
                permission="advocate.handle_complaint",
                counts=ref("dimos.advocate.panels.queue_counts"),
                order=450,
            ),
            StaffQueue(
                key="advocate-service",
                title=_("The Advocate's requests to your service"),
                description=_("Requests of the Advocate your service must answer."),
                url_name="advocate_staff:service_requests",
                permission="advocate.answer_mediation",
                counts=ref("dimos.advocate.panels.service_counts"),
                order=460,
            ),
        ),
        roles=(
            Role(
                key="advocate_office",
                name=_("The Advocate's office"),
                description=_(
                    "examines complaints, mediates with the services, answers and writes the "
                    "annual report; sees the complainants' identity"
                ),
                permissions=(
                    "advocate.handle_complaint",
                    "advocate.view_complaint",
                    "advocate.change_complaint",
                ),
            ),
            Role(
                key="advocate_liaison",
                name=_("Service liaison with the Advocate"),
                description=_(
                    "answers the Advocate's requests for their service; sees only what the "
                    "Advocate shares"
                ),
                permissions=("advocate.answer_mediation",),
            ),
        ),
        notification_kinds=(
            NotificationKind(
                key="advocate.confirm", title=_("Confirm your complaint to the Advocate")
            ),
            NotificationKind(
                key="advocate.update", title=_("News about your complaint to the Advocate")
            ),
            NotificationKind(key="advocate.office", title=_("A complaint needs you")),
            NotificationKind(
                key="advocate.deadline", title=_("A complaint's date is near or past")
            ),
            NotificationKind(key="advocate.mediation", title=_("The Advocate asks your service")),
            NotificationKind(
                key="advocate.reminder", title=_("Reminder: the Advocate waits for your service")
            ),
            NotificationKind(
                key="advocate.escalated", title=_("Your service has not answered the Advocate")
            ),
        ),
        transactions=(
            CompletedTransaction(
                key="advocate.complaint",
                service="advocate",
                title=_("Complain to the Advocate for citizens and enterprises"),
                figures=ref("dimos.advocate.performance.figures"),
                completions=ref("dimos.advocate.performance.completions"),
                order=50,
            ),
        ),
        personal_data=(
            PersonalDataHandler(
                key="advocate",
                export=ref("dimos.advocate.personal_data.export_for"),
                erase=ref("dimos.advocate.personal_data.erase_for"),
                models=(
                    "advocate.Complaint",
                    "advocate.ComplaintEvent",
                    "advocate.Message",
                    "advocate.Attachment",
                ),
                # The office's own notes (wiped with the complaint), the services, the
                # requests to them (they hold no identity), the published texts.
                keeps=(
                    "advocate.Note",
                    "advocate.Body",
                    "advocate.Mediation",
                    "advocate.CaseSummary",
                    "advocate.AnnualReport",
                ),
                files=ref("dimos.advocate.personal_data.files_for"),
            ),
        ),
        confidential_targets=(ConfidentialTarget(key="advocate.complaint", test=_always),),
        seeders=(
            DemoSeeder(
                key="advocate",
                seed=ref("dimos.advocate.demo.seed"),
                after=("municipality", "accounts"),
            ),
        ),
        audit_sentences="dimos.advocate.audit_sentences.SENTENCES",
    )
