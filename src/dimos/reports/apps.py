from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "dimos.reports"
    label = "reports"
    verbose_name = _("Issue reports")

    def ready(self) -> None:
        from dimos.core import registry as r
        from dimos.reports import demo

        r.register_demo_seeder(
            r.DemoSeeder(key="report-categories", seed=demo.seed_categories, order=40)
        )
        r.register_demo_seeder(r.DemoSeeder(key="reports", seed=demo.seed_reports, order=41))
        r.register_notification_kind(
            r.NotificationKind(key="reports.updated", title=_("News about your report"))
        )
