from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def queue_counts(user: Any) -> Any:
    from django.utils import timezone

    from dimos.core.registry import QueueCounts
    from dimos.reports.models import Report

    mine = Report.objects.for_staff(user).open()
    overdue = mine.filter(expected_on__lt=timezone.localdate())
    return QueueCounts(open=mine.count(), overdue=overdue.count())


def my_reports_panel(request: Any) -> dict[str, Any]:
    from dimos.reports.selectors import reports_of

    return {"reports": list(reports_of(request.user.pk)[:5])}


class ReportsConfig(AppConfig):
    name = "dimos.reports"
    label = "reports"
    verbose_name = _("Issue reports")

    def ready(self) -> None:
        from dimos.api.api import add_router
        from dimos.core import registry as r
        from dimos.reports import demo
        from dimos.reports.api import router

        add_router("/reports", router)

        from dimos.reports import personal_data

        r.register_personal_data(
            r.PersonalDataHandler(
                key="reports",
                export=personal_data.export_for,
                erase=personal_data.erase_for,
                models=personal_data.MODELS,
                files=personal_data.files_for,
            )
        )
        r.register_demo_seeder(
            r.DemoSeeder(key="report-categories", seed=demo.seed_categories, order=40)
        )
        r.register_demo_seeder(r.DemoSeeder(key="reports", seed=demo.seed_reports, order=41))
        r.register_demo_seeder(
            r.DemoSeeder(key="response-templates", seed=demo.seed_response_templates, order=43)
        )
        r.register_demo_seeder(
            r.DemoSeeder(key="report-staff", seed=demo.seed_demo_staff, order=42)
        )
        r.register_role(
            r.Role(
                key="reports_clerk",
                app_label="reports",
                name=_("Reports clerk"),
                description=_("works on the reports of their department (as a member of it)"),
                permissions=("reports.view_report", "reports.change_report"),
            )
        )
        r.register_role(
            r.Role(
                key="reports_manager",
                app_label="reports",
                name=_("Reports manager"),
                description=_("sees and works on the reports of every department"),
                permissions=(
                    "reports.view_report",
                    "reports.change_report",
                    "reports.view_all_reports",
                ),
            )
        )
        r.register_queue(
            r.StaffQueue(
                key="reports",
                title=_("Reports of problems in the city"),
                description=_("Open reports of your departments; overdue past their deadline."),
                url_name="reports_staff:queue",
                permission="reports.view_report",
                counts=queue_counts,
                order=100,
            )
        )
        r.register_notification_kind(
            r.NotificationKind(key="reports.updated", title=_("News about your report"))
        )
        r.register_notification_kind(
            r.NotificationKind(
                key="reports.followed_update", title=_("News about a report you follow")
            )
        )
        r.register_notification_kind(
            r.NotificationKind(
                key="reports.confirm", title=_("Confirm your report"), mandatory=True
            )
        )
        r.register_notification_kind(
            r.NotificationKind(key="reports.received", title=_("Your report was received"))
        )
        r.register_service(
            r.CatalogueEntry(
                key="report-problem",
                topic="city",
                name=_("Report a problem in the city"),
                summary=_(
                    "A pothole, a street light out, garbage not collected, a water leak: show "
                    "us where on the map and follow how it is fixed."
                ),
                audience=_("Residents and visitors"),
                url_name="reports:new",
                online=True,
                order=10,
                keywords=_("pothole, lighting, garbage, water leak, parking, graffiti, trees"),
            )
        )
        r.register_service(
            r.CatalogueEntry(
                key="reported-problems",
                topic="city",
                name=_("Reported problems on the map"),
                summary=_(
                    "What residents have reported and how far it has got: on a map and as a "
                    "list. Is yours already there? Follow it instead of reporting it again."
                ),
                audience=_("Everyone"),
                url_name="reports:map",
                online=True,
                order=11,
                keywords=_("map, reports, problems, open data"),
            )
        )
        r.register_panel(
            r.AccountPanel(
                key="reports",
                title=_("My reports"),
                template="reports/panel.html",
                context=my_reports_panel,
                order=30,
            )
        )
        from dimos.reports import audit_sentences

        r.register_audit_sentences(audit_sentences.SENTENCES)
