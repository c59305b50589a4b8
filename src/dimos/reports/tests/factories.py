"""Factories of the reports app."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from dimos.reports.models import Category, CategoryGroup, Report


class CategoryGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CategoryGroup
        django_get_or_create = ("code",)

    code = "roads"
    name_el = "Οδοί"
    name_en = "Roads"


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    code = factory.Sequence(lambda n: f"category-{n}")
    group = factory.SubFactory(CategoryGroupFactory)
    name_el = "Λακκούβα"
    name_en = "Pothole"
    department = factory.LazyFunction(lambda: Group.objects.get_or_create(name="roads-dept")[0])
    deadline_working_days = 5


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    category = factory.SubFactory(CategoryFactory)
    lat = 41.10
    lon = 23.56
    description = "Μεγάλη λακκούβα"
    reporter_email = "reporter@example.org"
