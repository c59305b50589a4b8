"""Fixtures of the reports back-office tests: a roads clerk and reports of two departments."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from dimos.accounts.services import sync_roles
from dimos.reports.tests.factories import CategoryFactory, ReportFactory


@pytest.fixture
def roads_clerk(clerk):
    sync_roles()
    clerk.groups.add(Group.objects.get(name="reports_clerk"))
    clerk.groups.add(Group.objects.get_or_create(name="roads-dept")[0])
    return clerk


@pytest.fixture
def roads_client(roads_clerk):
    c = Client()
    c.force_login(roads_clerk)
    return c


@pytest.fixture
def roads_report(municipality):
    return ReportFactory.create(reporter_email="anon@example.org")


@pytest.fixture
def parks_report(municipality):
    parks = Group.objects.get_or_create(name="parks-dept")[0]
    return ReportFactory.create(category=CategoryFactory.create(department=parks))
