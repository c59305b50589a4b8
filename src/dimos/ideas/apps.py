"""Ideas competitions: residents' ideas, one verified vote per person per idea, the apps teams
build on them and the jury's results (issue 18, ADR 0030)."""

from django.utils.translation import gettext_lazy as _

from dimos.core.manifest import (
    AccountPanel,
    ApiRouter,
    CatalogueEntry,
    DemoSeeder,
    DimosAppConfig,
    Manifest,
    NotificationKind,
    OpenDataFile,
    OpenDataset,
    PersonalDataHandler,
    Role,
    StaffQueue,
    ref,
)


class IdeasConfig(DimosAppConfig):
    name = "dimos.ideas"
    label = "ideas"
    verbose_name = _("Ideas competitions")
    default_auto_field = "django.db.models.BigAutoField"
    manifest = Manifest(
        urls="dimos.ideas.urls",  # /ideas/
        staff_urls="dimos.ideas.staff_urls",  # /staff/ideas/
        api=ApiRouter("/ideas", "dimos.ideas.api.router"),
        conf="dimos.ideas.conf.conf",
        catalogue=(
            CatalogueEntry(
                key="ideas",
                topic="participation",
                name=_("Ideas competitions"),
                summary=_(
                    "Propose an idea to improve life in the city, vote for the ones you like, "
                    "and follow the apps built on them and the jury's results."
                ),
                audience=_("Residents, teams of developers and designers"),
                url_name="ideas:index",
                online=True,
                order=30,
                keywords=_(
                    "ideas, competition, vote, voting, proposals, apps, hackathon, "
                    "Apps4Thessaloniki, jury, prizes, participation"
                ),
            ),
        ),
        panels=(
            AccountPanel(
                key="ideas",
                title=_("My ideas and votes"),
                template="ideas/panel.html",
                context=ref("dimos.ideas.panels.my_panel"),
                order=80,
            ),
        ),
        queues=(
            StaffQueue(
                key="ideas",
                title=_("Ideas to moderate"),
                description=_("Ideas and comments waiting for moderation; vote anomalies."),
                url_name="ideas_staff:index",
                permission="ideas.moderate_idea",
                counts=ref("dimos.ideas.panels.queue_counts"),
                order=470,
            ),
            StaffQueue(
                key="ideas_entries",
                title=_("App entries and the jury"),
                description=_(
                    "Apps entered in the competitions waiting for a decision; the jury, its "
                    "criteria, the results and the prizes."
                ),
                url_name="ideas_staff:competitions",
                permission="ideas.manage_entries",
                counts=ref("dimos.ideas.panels.entries_queue_counts"),
                order=471,
            ),
        ),
        roles=(
            Role(
                key="ideas_moderator",
                name=_("Ideas moderator"),
                description=_(
                    "publishes, rejects or merges residents' ideas and moderates comments, "
                    "always with a reason the author sees; reviews vote anomalies"
                ),
                permissions=(
                    "ideas.moderate_idea",
                    "ideas.view_idea",
                    "ideas.change_idea",
                    "ideas.view_comment",
                    "ideas.change_comment",
                ),
            ),
            Role(
                key="ideas_organiser",
                name=_("Competitions organiser"),
                description=_(
                    "sets up competitions (phases, themes, rules, prizes, jury and criteria), "
                    "accepts app entries and publishes the results"
                ),
                permissions=(
                    "ideas.moderate_idea",
                    "ideas.manage_entries",
                    "ideas.view_competition",
                    "ideas.add_competition",
                    "ideas.change_competition",
                    "ideas.view_appentry",
                    "ideas.change_appentry",
                ),
            ),
        ),
        notification_kinds=(
            NotificationKind(key="ideas.moderated", title=_("Your idea was moderated")),
            NotificationKind(key="ideas.comment_moderated", title=_("Your comment was moderated")),
            NotificationKind(key="ideas.entry", title=_("Your app entry")),
            NotificationKind(key="ideas.results", title=_("Results of a competition")),
            NotificationKind(key="ideas.invitation", title=_("An invitation to join a team")),
            NotificationKind(key="ideas.juror", title=_("You are on a competition's jury")),
        ),
        personal_data=(
            PersonalDataHandler(
                key="ideas",
                export=ref("dimos.ideas.personal_data.export_for"),
                erase=ref("dimos.ideas.personal_data.erase_for"),
                files=ref("dimos.ideas.personal_data.files_for"),
                models=(
                    "ideas.Idea",
                    "ideas.Comment",
                    "ideas.Vote",
                    "ideas.AppEntry",
                    "ideas.EntryMember",
                    "ideas.EntryInvitation",
                ),
                keeps=(
                    "ideas.Competition",
                    "ideas.VoteAnomaly",
                    "ideas.JuryMember",
                    "ideas.ConflictOfInterest",
                    "ideas.Score",
                ),
            ),
        ),
        open_data=(
            OpenDataset(
                key="ideas-and-votes",
                title=_("Ideas of the ideas competitions and their votes"),
                description=_(
                    "Every published idea of the municipality's ideas competitions: the "
                    "competition, theme, title, place (if any, rounded to about 10 metres), "
                    "the dates and the number of votes. Who voted is never published. "
                    "Refreshed daily."
                ),
                files=(
                    OpenDataFile(
                        key="csv",
                        name=_("Ideas and their votes (table)"),
                        format="CSV",
                        produce=ref("dimos.ideas.open_data.table"),
                    ),
                ),
                keywords=(_("ideas"), _("votes"), _("participation")),
                theme="GOVE",
                frequency="DAILY",
                available=ref("dimos.ideas.open_data.available"),
                order=60,
            ),
        ),
        seeders=(
            DemoSeeder(
                key="ideas",
                seed=ref("dimos.ideas.demo.seed"),
                after=("municipality", "accounts"),
            ),
        ),
        audit_sentences="dimos.ideas.audit_sentences.SENTENCES",
    )
