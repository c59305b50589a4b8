"""django-tasks-db's app under a name the admin can translate (its own is a plain English
string, "Tasks Database Backend"); listed in INSTALLED_APPS instead of ``django_tasks_db``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = _("Background tasks")  # type: ignore[assignment]
