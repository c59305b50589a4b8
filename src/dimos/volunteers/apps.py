"""Volunteers: sign-up, vetting by coordinators, availability, hours (used by relief)."""

from django.utils.translation import gettext_lazy as _

from dimos.core.manifest import (
    AccountPanel,
    ApiRouter,
    CatalogueEntry,
    DemoSeeder,
    DimosAppConfig,
    Manifest,
    NotificationKind,
    PersonalDataHandler,
    Role,
    StaffQueue,
    ref,
)


class VolunteersConfig(DimosAppConfig):
    name = "dimos.volunteers"
    label = "volunteers"
    verbose_name = _("Volunteers")
    default_auto_field = "django.db.models.BigAutoField"
    manifest = Manifest(
        urls="dimos.volunteers.urls",  # /volunteers/
        staff_urls="dimos.volunteers.staff_urls",  # /staff/volunteers/
        api=ApiRouter("/volunteers", "dimos.volunteers.api.router"),
        conf="dimos.volunteers.conf.conf",
        catalogue=(
            CatalogueEntry(
                key="volunteers",
                # Giving one's time to the city is taking part in it; the help volunteers
                # bring (relief) has its own entry under health and welfare.
                topic="participation",
                name=_("Become a volunteer"),
                summary=_(
                    "Give some of your time: shopping, medicine or a phone call for neighbours "
                    "who must stay home, in the districts and hours that suit you."
                ),
                audience=_("Residents 18 and over"),
                url_name="volunteers:start",
                online=True,
                order=20,
                keywords=_(
                    "volunteer, volunteering, help, neighbours, relief, food, medicine, "
                    "stay at home"
                ),
            ),
        ),
        panels=(
            AccountPanel(
                key="volunteers",
                title=_("Volunteering"),
                template="volunteers/panel.html",
                context=ref("dimos.volunteers.panels.my_panel"),
                order=60,
            ),
        ),
        queues=(
            StaffQueue(
                key="volunteers",
                title=_("Volunteer applications"),
                description=_(
                    "Applications waiting for vetting; overdue after the configured days."
                ),
                url_name="volunteers_staff:queue",
                permission="volunteers.view_volunteer",
                counts=ref("dimos.volunteers.panels.queue_counts"),
                order=400,
            ),
        ),
        roles=(
            Role(
                key="volunteer_coordinator",
                name=_("Volunteer coordinator"),
                description=_("vets volunteers, approves, pauses and retires them, reads hours"),
                permissions=(
                    "volunteers.view_volunteer",
                    "volunteers.change_volunteer",
                    "volunteers.view_volunteerhours",
                ),
            ),
        ),
        notification_kinds=(
            NotificationKind(
                key="volunteers.received", title=_("Your volunteer application was received")
            ),
            NotificationKind(key="volunteers.updated", title=_("News about your volunteering")),
            NotificationKind(
                key="volunteers.conduct", title=_("A new code of conduct for volunteers")
            ),
        ),
        personal_data=(
            PersonalDataHandler(
                key="volunteers",
                export=ref("dimos.volunteers.personal_data.export_for"),
                erase=ref("dimos.volunteers.personal_data.erase_for"),
                models=(
                    "volunteers.Volunteer",
                    "volunteers.VolunteerEvent",
                    "volunteers.VolunteerDocument",
                    "volunteers.VolunteerHours",
                ),
                files=ref("dimos.volunteers.personal_data.files_for"),
            ),
        ),
        seeders=(
            DemoSeeder(key="volunteer-skills", seed=ref("dimos.volunteers.demo.seed_skills")),
            DemoSeeder(
                key="volunteers",
                seed=ref("dimos.volunteers.demo.seed_volunteers"),
                after=("municipality", "accounts", "volunteer-skills"),
            ),
        ),
        audit_sentences="dimos.volunteers.audit_sentences.SENTENCES",
    )
