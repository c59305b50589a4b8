"""Activities: online lessons for children, workshops and events with registration —
capacity, waitlists, parental consent (issue 19, ADR 0028)."""

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

ORGANISER_PERMISSIONS = (
    "activities.view_programme",
    "activities.add_programme",
    "activities.change_programme",
    "activities.view_registration",
    "activities.change_registration",
)


class ActivitiesConfig(DimosAppConfig):
    name = "dimos.activities"
    label = "activities"
    verbose_name = _("Activities and events")
    default_auto_field = "django.db.models.BigAutoField"
    manifest = Manifest(
        urls="dimos.activities.urls",  # /activities/
        staff_urls="dimos.activities.staff_urls",  # /staff/activities/
        api=ApiRouter("/activities", "dimos.activities.api.router"),
        conf="dimos.activities.conf.conf",
        catalogue=(
            CatalogueEntry(
                key="activities",
                topic="education",
                name=_("Lessons, activities and events"),
                summary=_(
                    "Online lessons and activities for children, workshops and events for "
                    "adults: register a child or yourself, with a place or on the waitlist."
                ),
                audience=_("Children with their parents, and adults"),
                url_name="activities:catalogue",
                online=True,
                order=10,
                keywords=_(
                    "lessons, online lessons, children, activities, workshop, event, "
                    "hackathon, registration, waitlist"
                ),
            ),
        ),
        panels=(
            AccountPanel(
                key="activities",
                title=_("Activities"),
                template="activities/panel.html",
                context=ref("dimos.activities.panels.my_panel"),
                order=70,
            ),
        ),
        queues=(
            StaffQueue(
                key="activities",
                title=_("My programmes"),
                description=_("Programmes you organise; offers waiting for an answer."),
                url_name="activities_staff:list",
                permission="activities.view_programme",
                counts=ref("dimos.activities.panels.queue_counts"),
                order=450,
            ),
        ),
        roles=(
            Role(
                key="activities_organiser",
                name=_("Activities organiser"),
                description=_(
                    "a teacher or staff member: runs their own programmes, their "
                    "registrations, attendance and messages"
                ),
                permissions=ORGANISER_PERMISSIONS,
            ),
            Role(
                key="activities_coordinator",
                name=_("Activities coordinator"),
                description=_(
                    "schedules every programme and names its organisers; sees participants "
                    "only of programmes they organise"
                ),
                permissions=(*ORGANISER_PERMISSIONS, "activities.manage_all_programmes"),
            ),
        ),
        notification_kinds=(
            NotificationKind(key="activities.registered", title=_("Your registration")),
            NotificationKind(
                key="activities.offered", title=_("A place is free: confirm it"), mandatory=True
            ),
            NotificationKind(
                key="activities.offer_expired", title=_("The place offered passed on")
            ),
            NotificationKind(key="activities.reminder", title=_("A session is coming up")),
            NotificationKind(
                key="activities.session_changed",
                title=_("A session was moved or cancelled"),
                mandatory=True,
            ),
            NotificationKind(
                key="activities.programme_cancelled",
                title=_("A programme was cancelled"),
                mandatory=True,
            ),
            NotificationKind(key="activities.message", title=_("A message from the organisers")),
        ),
        personal_data=(
            PersonalDataHandler(
                key="activities",
                export=ref("dimos.activities.personal_data.export_for"),
                erase=ref("dimos.activities.personal_data.erase_for"),
                models=("activities.Child", "activities.Registration"),
                keeps=("activities.Programme",),
            ),
        ),
        seeders=(
            DemoSeeder(
                key="activities",
                seed=ref("dimos.activities.demo.seed"),
                after=("municipality", "accounts"),
            ),
        ),
        audit_sentences="dimos.activities.audit_sentences.SENTENCES",
    )
