"""Feedback: residents rate every service they use, the municipality publishes how each
service performs, and runs satisfaction surveys."""

from django.utils.translation import gettext_lazy as _

from dimos.core.manifest import (
    ApiRouter,
    CatalogueEntry,
    DemoSeeder,
    DimosAppConfig,
    Manifest,
    NotificationKind,
    PagePart,
    PersonalDataHandler,
    Role,
    StaffQueue,
    TransactionListener,
    ref,
)


class FeedbackConfig(DimosAppConfig):
    name = "dimos.feedback"
    label = "feedback"
    verbose_name = _("Feedback and service performance")
    default_auto_field = "django.db.models.BigAutoField"
    manifest = Manifest(
        # /feedback/…, /performance/ and /surveys/: the pages span several prefixes.
        urls="dimos.feedback.urls",
        url_prefix="",
        staff_urls="dimos.feedback.staff_urls",  # /staff/feedback/
        api=ApiRouter("/feedback", "dimos.feedback.api.router"),  # /api/v1/feedback
        conf="dimos.feedback.conf.conf",
        catalogue=(
            CatalogueEntry(
                key="performance",
                topic="municipality",
                name=_("How our services perform"),
                summary=_(
                    "Satisfaction, completion, digital take-up and time to complete of every "
                    "service, month by month, with the data to download."
                ),
                audience=_("Everyone"),
                url_name="feedback:performance",
                online=True,
                order=40,
                keywords=_("performance, satisfaction, ratings, statistics, service quality"),
            ),
            CatalogueEntry(
                key="surveys",
                topic="participation",
                name=_("Surveys: tell us what you think"),
                summary=_(
                    "Answer the municipality's satisfaction surveys, save and finish later, and "
                    "read the results once a survey closes."
                ),
                audience=_("Everyone"),
                url_name="feedback:surveys",
                online=True,
                order=45,
                keywords=_("survey, questionnaire, opinion, satisfaction, consultation"),
            ),
        ),
        transaction_listeners=(
            TransactionListener(
                key="feedback",
                completed=ref("dimos.feedback.services.on_completed"),
                invitation_url=ref("dimos.feedback.services.invitation_url"),
                satisfaction=ref("dimos.feedback.selectors.satisfaction"),
            ),
        ),
        page_parts=(PagePart(key="page-useful", template="feedback/page_useful.html"),),
        queues=(
            StaffQueue(
                key="feedback",
                title=_("Feedback to triage"),
                description=_(
                    "What residents wrote when rating a service or answering “Is this page "
                    "useful?”, not yet tagged or answered."
                ),
                url_name="feedback_staff:queue",
                permission="feedback.view_rating",
                counts=ref("dimos.feedback.panels.queue_counts"),
                order=500,
            ),
        ),
        roles=(
            Role(
                key="feedback_officer",
                name=_("Feedback officer"),
                description=_(
                    "triages what residents write about the services, answers them, builds "
                    "surveys and reviews their answers"
                ),
                permissions=(
                    "feedback.view_rating",
                    "feedback.change_rating",
                    "feedback.view_pagefeedback",
                    "feedback.change_pagefeedback",
                    "feedback.view_survey",
                    "feedback.add_survey",
                    "feedback.change_survey",
                ),
            ),
        ),
        notification_kinds=(
            NotificationKind(key="feedback.invitation", title=_("How did we do?")),
            NotificationKind(key="feedback.reply", title=_("A reply to your feedback")),
            NotificationKind(
                key="feedback.survey_invitation", title=_("An invitation to a survey")
            ),
        ),
        personal_data=(
            PersonalDataHandler(
                key="feedback",
                export=ref("dimos.feedback.personal_data.export_for"),
                erase=ref("dimos.feedback.personal_data.erase_for"),
                models=(
                    "feedback.Invitation",
                    "feedback.Rating",
                    "feedback.PageFeedback",
                    "feedback.Participation",
                    "feedback.Response",
                    "feedback.SurveyInvitation",
                ),
                # A survey names the staff member who built it, as the author of their work.
                keeps=("feedback.Theme", "feedback.Survey"),
            ),
        ),
        seeders=(
            DemoSeeder(
                key="feedback",
                seed=ref("dimos.feedback.demo.seed"),
                after=(
                    "accounts",
                    "municipality",
                    "reports",
                    "certificate-requests",
                    "appointments",
                    # Their deliveries complete through deliveries.services: asked for ratings
                    # then; this seeder rates the rest.
                    "relief",
                    "relief-tasks",
                    "advocate",
                ),
            ),
        ),
        audit_sentences="dimos.feedback.audit_sentences.SENTENCES",
    )
