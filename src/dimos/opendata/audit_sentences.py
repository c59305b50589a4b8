"""How the audit log words the catalogue's actions."""

from django.utils.translation import gettext_lazy as _

SENTENCES = {
    "opendata.dataset_created": _("%(actor)s created the dataset %(name)s"),
    "opendata.dataset_changed": _("%(actor)s changed the dataset %(name)s (%(fields)s)"),
    "opendata.dataset_published": _("%(actor)s published the dataset %(name)s"),
    "opendata.dataset_unpublished": _("%(actor)s took the dataset %(name)s back to draft"),
    "opendata.dataset_withdrawn": _("%(actor)s withdrew the dataset %(name)s"),
    "opendata.resource_added": _("%(actor)s added the file «%(resource)s» to the dataset %(name)s"),
    "opendata.resource_changed": _(
        "%(actor)s changed the file «%(resource)s» of the dataset %(name)s"
    ),
    "opendata.resource_removed": _(
        "%(actor)s removed the file «%(resource)s» from the dataset %(name)s"
    ),
    "opendata.platform_refreshed": _("%(actor)s refreshed the platform's own datasets"),
}
