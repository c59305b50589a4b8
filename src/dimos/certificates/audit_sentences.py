"""How the audit log words the certificates' actions (``registry.register_audit_sentences``)."""

from django.utils.translation import gettext_lazy as _

SENTENCES = {
    "certificate_request.submitted": _("%(actor)s submitted certificate request %(id)s"),
    "certificate_request.viewed": _("%(actor)s viewed certificate request %(id)s"),
    "certificate_request.assigned": _("%(actor)s assigned certificate request %(id)s"),
    "certificate_request.review": _("%(actor)s started reviewing certificate request %(id)s"),
    "certificate_request.info_requested": _(
        "%(actor)s asked for more information on certificate request %(id)s"
    ),
    "certificate_request.info_answered": _(
        "%(actor)s answered the questions on certificate request %(id)s"
    ),
    "certificate_request.approved": _("%(actor)s approved certificate request %(id)s"),
    "certificate_request.rejected": _("%(actor)s rejected certificate request %(id)s"),
    "certificate_request.fee_paid": _(
        "%(actor)s recorded the fee of certificate request %(id)s as paid"
    ),
    "certificate_request.fee_unpaid": _(
        "%(actor)s recorded the fee of certificate request %(id)s as not paid"
    ),
    "certificate_request.file_downloaded": _(
        "%(actor)s downloaded a document of certificate request %(id)s"
    ),
    # A clerk filing for someone: the document they checked (its number's last four digits).
    "certificate_request.identity_checked.id_card": _(
        "%(actor)s checked the police identity card (number ending in %(digits)s) of the person "
        "of certificate request %(id)s"
    ),
    "certificate_request.identity_checked.passport": _(
        "%(actor)s checked the passport (number ending in %(digits)s) of the person of "
        "certificate request %(id)s"
    ),
    "certificate_request.identity_checked.residence_permit": _(
        "%(actor)s checked the residence permit (number ending in %(digits)s) of the person of "
        "certificate request %(id)s"
    ),
    "certificate_request.identity_checked.eu_id_card": _(
        "%(actor)s checked the identity card of another EU country (number ending in "
        "%(digits)s) of the person of certificate request %(id)s"
    ),
    "certificate.reserved": _(
        "%(actor)s started issuing the certificate of request %(id)s (protocol number %(protocol)s)"
    ),
    "certificate.signing_failed": _(
        "Signing the certificate of request %(id)s (protocol number %(protocol)s) failed for "
        "%(actor)s"
    ),
    "certificate.issue_retried": _(
        "%(actor)s retried signing the certificate of request %(id)s (protocol number %(protocol)s)"
    ),
    "certificate.voided": _(
        "%(actor)s rejected request %(id)s, so its pending certificate (protocol number "
        "%(protocol)s) was never issued"
    ),
    "certificate.issued": _("%(actor)s issued the certificate of request %(id)s"),
    "certificate.revoked": _("%(actor)s revoked the certificate of request %(id)s"),
    "certificate.downloaded": _("%(actor)s downloaded the certificate of request %(id)s"),
}
