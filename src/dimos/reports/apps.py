from django.utils.translation import gettext_lazy as _

from dimos.core.manifest import (
    AccountPanel,
    ApiRouter,
    CatalogueEntry,
    CompletedTransaction,
    DemoSeeder,
    DimosAppConfig,
    Manifest,
    Mount,
    NotificationKind,
    OpenDataFile,
    OpenDataset,
    PersonalDataHandler,
    Role,
    StaffQueue,
    ref,
)


class ReportsConfig(DimosAppConfig):
    name = "dimos.reports"
    label = "reports"
    verbose_name = _("Issue reports")
    manifest = Manifest(
        urls="dimos.reports.urls",  # /reports/
        staff_urls="dimos.reports.staff_urls",  # /staff/reports/
        api=ApiRouter("/reports", "dimos.reports.api.router"),
        mounts=(Mount("open311/v2/", "dimos.reports.urls_open311"),),  # Open311 GeoReport v2
        conf="dimos.reports.conf.conf",
        catalogue=(
            CatalogueEntry(
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
            ),
            CatalogueEntry(
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
            ),
        ),
        panels=(
            AccountPanel(
                key="reports",
                title=_("My reports"),
                template="reports/panel.html",
                context=ref("dimos.reports.panels.my_reports_panel"),
                order=30,
            ),
        ),
        queues=(
            StaffQueue(
                key="reports",
                title=_("Reports of problems in the city"),
                description=_("Open reports of your departments; overdue past their deadline."),
                url_name="reports_staff:queue",
                permission="reports.view_report",
                counts=ref("dimos.reports.panels.queue_counts"),
                order=100,
            ),
        ),
        roles=(
            Role(
                key="reports_clerk",
                name=_("Reports clerk"),
                description=_("works on the reports of their department (as a member of it)"),
                permissions=("reports.view_report", "reports.change_report"),
            ),
            Role(
                key="reports_manager",
                name=_("Reports manager"),
                description=_("sees and works on the reports of every department"),
                permissions=(
                    "reports.view_report",
                    "reports.change_report",
                    "reports.view_all_reports",
                ),
            ),
        ),
        notification_kinds=(
            NotificationKind(key="reports.updated", title=_("News about your report")),
            NotificationKind(
                key="reports.followed_update", title=_("News about a report you follow")
            ),
            NotificationKind(key="reports.confirm", title=_("Confirm your report"), mandatory=True),
            NotificationKind(key="reports.received", title=_("Your report was received")),
        ),
        transactions=(
            CompletedTransaction(
                key="reports.report",
                service="report-problem",
                title=_("Report a problem in the city"),
                figures=ref("dimos.reports.performance.figures"),
                completions=ref("dimos.reports.performance.completions"),
                order=10,
            ),
        ),
        personal_data=(
            PersonalDataHandler(
                key="reports",
                export=ref("dimos.reports.personal_data.export_for"),
                erase=ref("dimos.reports.personal_data.erase_for"),
                models=(
                    "reports.Report",
                    "reports.ReportUpdate",
                    "reports.ReportPhoto",
                    "reports.Subscription",
                ),
                files=ref("dimos.reports.personal_data.files_for"),
            ),
        ),
        seeders=(
            # Categories name the departments (groups) that handle them.
            DemoSeeder(key="report-categories", seed=ref("dimos.reports.demo.seed_categories")),
            DemoSeeder(
                key="reports",
                seed=ref("dimos.reports.demo.seed_reports"),
                after=("municipality", "report-categories"),  # placed in its districts
            ),
            DemoSeeder(
                key="report-staff",
                seed=ref("dimos.reports.demo.seed_demo_staff"),
                after=("accounts", "report-categories"),  # the demo clerk joins a department
            ),
            DemoSeeder(
                key="response-templates", seed=ref("dimos.reports.demo.seed_response_templates")
            ),
        ),
        open_data=(
            OpenDataset(
                key="issue-reports",
                title=_("Reported problems in public space"),
                description=_(
                    "Every problem residents reported on the city map that the public may see: "
                    "its category, status, district, place (rounded to about 10 metres) and "
                    "dates. No descriptions, names, contacts or photos. Refreshed daily."
                ),
                files=(
                    OpenDataFile(
                        key="csv",
                        name=_("Reported problems (table)"),
                        format="CSV",
                        produce=ref("dimos.reports.open_data.table"),
                    ),
                    OpenDataFile(
                        key="geojson",
                        name=_("Reported problems (map, GeoJSON)"),
                        format="GeoJSON",
                        produce=ref("dimos.reports.open_data.geojson"),
                    ),
                ),
                keywords=(_("reports"), _("public space"), "Open311"),
                theme="REGI",
                frequency="DAILY",
                order=10,
            ),
        ),
        audit_sentences="dimos.reports.audit_sentences.SENTENCES",
    )
