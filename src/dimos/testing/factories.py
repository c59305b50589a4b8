"""Factories of the foundations' models (accounts, portal) for every app's tests."""

from __future__ import annotations

import factory

from dimos.accounts.models import User
from dimos.portal.models import NewsItem


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Test"
    last_name = "Person"
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery-9")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            obj.save()  # type: ignore[attr-defined]


class NewsItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsItem

    slug = factory.Sequence(lambda n: f"news-{n}")
    title_el = factory.Sequence(lambda n: f"Νέα {n}")
    title_en = factory.Sequence(lambda n: f"News {n}")
    body_el = "Κείμενο"
    body_en = "Text"
    is_published = True
