"""Council: the public record of the council's and committees' meetings — agendas, video per
agenda item, decisions with their Diavgeia ADA and votes, papers — and the OParl 1.1 API."""

from django.utils.translation import gettext_lazy as _

from dimos.core.manifest import (
    AccountPanel,
    CatalogueEntry,
    DemoSeeder,
    DimosAppConfig,
    HomeCard,
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


class CouncilConfig(DimosAppConfig):
    name = "dimos.council"
    label = "council"
    verbose_name = _("Municipal council")
    default_auto_field = "django.db.models.BigAutoField"
    manifest = Manifest(
        urls="dimos.council.urls",  # /council/
        staff_urls="dimos.council.staff_urls",  # /staff/council/
        mounts=(Mount("oparl/v1/", "dimos.council.oparl.urls"),),  # OParl 1.1
        conf="dimos.council.conf.conf",
        catalogue=(
            CatalogueEntry(
                key="council",
                topic="participation",
                name=_("Council meetings"),
                summary=_(
                    "Watch the municipal council live or recorded, item by item; read the "
                    "agendas, the decisions with their votes and the minutes."
                ),
                audience=_("Everyone"),
                url_name="council:index",
                online=True,
                order=10,
                keywords=_(
                    "council, municipal council, committee, meeting, agenda, decision, vote, "
                    "video, live, minutes, Diavgeia"
                ),
            ),
        ),
        panels=(
            AccountPanel(
                key="council",
                title=_("Council"),
                template="council/panel.html",
                context=ref("dimos.council.panels.my_panel"),
                order=70,
            ),
        ),
        # "Live now" on the home page, from LIVE_BEFORE_MINUTES before a meeting to its end.
        home_cards=(
            HomeCard(
                key="council-live",
                template="council/home_card.html",
                context=ref("dimos.council.live.home_card"),
                order=10,
            ),
        ),
        queues=(
            StaffQueue(
                key="council",
                title=_("Council secretariat"),
                description=_(
                    "Questions from residents to moderate, and meetings held that still lack "
                    "decisions, time-codes or minutes."
                ),
                url_name="council_staff:home",
                permission="council.change_meeting",
                counts=ref("dimos.council.panels.queue_counts"),
                order=500,
            ),
        ),
        roles=(
            Role(
                key="council_secretary",
                name=_("Council secretary"),
                description=_(
                    "prepares meetings and agendas, publishes invitations, records attendance, "
                    "votes, decisions and time-codes, publishes minutes, moderates questions"
                ),
                permissions=(
                    "council.view_meeting",
                    "council.add_meeting",
                    "council.change_meeting",
                    "council.change_agendaitem",
                    "council.add_agendaitem",
                    "council.change_decision",
                    "council.add_decision",
                    "council.change_paper",
                    "council.add_paper",
                    "council.change_question",
                ),
            ),
        ),
        notification_kinds=(
            NotificationKind(key="council.agenda", title=_("A council agenda you follow")),
            NotificationKind(key="council.invitation", title=_("An invitation to a meeting")),
            NotificationKind(key="council.question", title=_("Your question to the council")),
        ),
        personal_data=(
            PersonalDataHandler(
                key="council",
                export=ref("dimos.council.personal_data.export_for"),
                erase=ref("dimos.council.personal_data.erase_for"),
                models=(
                    "council.Follow",
                    "council.Question",
                    "council.Person",
                ),
                # The council's public record, about bodies and places; the secretariat's steps
                # (MeetingEvent) name the staff member as the author of their work.
                keeps=(
                    "council.CouncilFile",
                    "council.Location",
                    "council.Organization",
                    "council.MeetingEvent",
                ),
            ),
        ),
        seeders=(
            DemoSeeder(
                key="council",
                seed=ref("dimos.council.demo.seed_council"),
                after=("municipality", "accounts"),
            ),
        ),
        open_data=(
            OpenDataset(
                key="council-decisions",
                title=_("Decisions of the municipal council and its committees"),
                description=_(
                    "Every decision taken in public: the body, its number and year, the "
                    "meeting's date, the agenda item, the result and its Diavgeia ADA."
                ),
                files=(
                    OpenDataFile(
                        key="csv",
                        name=_("Council decisions"),
                        format="CSV",
                        produce=ref("dimos.council.open_data.table"),
                    ),
                ),
                keywords=(_("council"), _("decisions"), "Diavgeia"),
                theme="GOVE",
                frequency="DAILY",
                order=50,
            ),
        ),
        audit_sentences="dimos.council.audit_sentences.SENTENCES",
    )

    def ready(self) -> None:
        super().ready()
        # Receivers for what is truly apart from the writes: the search index, the cached
        # "live now" card, and telling followers when an agenda is published.
        from dimos.council import freshness, live, participation, search

        freshness.connect()
        live.connect()
        search.connect()
        participation.connect()
