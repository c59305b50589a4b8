from typing import Any

from django.http import HttpRequest, HttpResponse

from dimos.core.registry import QueueCounts
from dimos.core.tests.sampleapp.conf import conf


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse(conf.GREETING)


def desk(request: HttpRequest) -> HttpResponse:
    return HttpResponse("desk")


def feed(request: HttpRequest) -> HttpResponse:
    return HttpResponse("feed")


def counts(user: Any) -> QueueCounts:
    return QueueCounts(open=1)


def seed() -> None:
    return None
