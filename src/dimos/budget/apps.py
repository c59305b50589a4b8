"""Open budget: every budget line from approved to paid, each figure a chart, a table, a
download and an API answer, and each year a Fiscal Data Package."""

from django.utils.translation import gettext_lazy as _

from dimos.core.manifest import (
    ApiRouter,
    CatalogueEntry,
    DemoSeeder,
    DimosAppConfig,
    Manifest,
    OpenDataFile,
    OpenDataset,
    PersonalDataHandler,
    Role,
    StaffQueue,
    ref,
)


class BudgetConfig(DimosAppConfig):
    name = "dimos.budget"
    label = "budget"
    verbose_name = _("Open budget")
    default_auto_field = "django.db.models.BigAutoField"
    manifest = Manifest(
        urls="dimos.budget.urls",  # /budget/
        staff_urls="dimos.budget.staff_urls",  # /staff/budget/
        api=ApiRouter("/budget", "dimos.budget.api.router"),  # /api/v1/budget
        conf="dimos.budget.conf.conf",
        catalogue=(
            CatalogueEntry(
                key="budget",
                topic="participation",
                name=_("Open budget"),
                summary=_(
                    "Where the municipality's money comes from and where it goes: every budget "
                    "line from approved to paid, with charts and data to download."
                ),
                audience=_("Everyone"),
                url_name="budget:index",
                online=True,
                order=30,
                keywords=_(
                    "budget, open budget, spending, revenue, expenditure, execution, KAE, "
                    "Diavgeia, open data, fiscal data"
                ),
            ),
        ),
        queues=(
            StaffQueue(
                key="budget",
                title=_("Budget years to bring up to date"),
                description=_(
                    "This year's or last year's budget without a snapshot of its execution in "
                    "the last 45 days."
                ),
                url_name="budget_staff:home",
                permission="budget.add_snapshot",
                counts=ref("dimos.budget.panels.queue_counts"),
                order=400,
            ),
        ),
        roles=(
            Role(
                key="budget_officer",
                name=_("Budget officer"),
                description=_(
                    "imports the budget and its execution, links spending decisions, publishes "
                    "a year"
                ),
                permissions=(
                    "budget.view_snapshot",
                    "budget.add_snapshot",
                    "budget.change_fiscalyear",
                    "budget.add_spendingdecision",
                    "budget.change_spendingdecision",
                    "budget.delete_spendingdecision",
                ),
            ),
        ),
        personal_data=(
            PersonalDataHandler(
                key="budget",
                export=ref("dimos.budget.personal_data.export_for"),
                erase=ref("dimos.budget.personal_data.erase_for"),
                # Public finance: the staff who imported a snapshot or linked a decision are
                # named as the authors of their work.
                keeps=(
                    "budget.Snapshot",
                    "budget.SpendingDecision",
                    "budget.Service",
                    "budget.BudgetLine",
                ),
            ),
        ),
        seeders=(
            DemoSeeder(
                key="budget",
                seed=ref("dimos.budget.demo.seed_budget"),
                after=("municipality", "accounts"),
            ),
        ),
        open_data=(
            OpenDataset(
                key="budget",
                title=_("Municipal budget and its execution"),
                description=_(
                    "Every line of the latest published budget year, from approved to paid, as "
                    "a Fiscal Data Package: the data as a table and the package's descriptor."
                ),
                files=(
                    OpenDataFile(
                        key="csv",
                        name=_("Budget lines and phases (data.csv)"),
                        format="CSV",
                        produce=ref("dimos.budget.open_data.table"),
                    ),
                    OpenDataFile(
                        key="datapackage",
                        name=_("Fiscal Data Package descriptor (datapackage.json)"),
                        format="JSON",
                        produce=ref("dimos.budget.open_data.datapackage"),
                    ),
                ),
                keywords=(_("budget"), _("fiscal data"), "KAE"),
                theme="ECON",
                frequency="MONTHLY",
                available=ref("dimos.budget.open_data.available"),
                order=40,
            ),
        ),
        audit_sentences="dimos.budget.audit_sentences.SENTENCES",
    )
