"""Every /api/v1 operation fuzzed from its OpenAPI description: no answer is a server error.

schemathesis generates requests from /api/v1/openapi.json — valid ones and, in the negative
phase, ones that break the schema (wrong types, huge numbers, missing fields, bad bodies) — and
sends them through the WSGI application, authenticated with an API token and with a browser
session (CSRF token included), as a staff member with TOTP and every role, so that staff-only
paths are reached too. The run is deterministic (``derandomize``) and bounded
(``TOKEN_EXAMPLES`` and ``SESSION_EXAMPLES`` per operation and mode).
"""

from __future__ import annotations

import secrets
from typing import Any

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode

from dimos.accounts import services
from dimos.reports.demo import seed_categories
from dimos.testing.factories import NewsItemFactory
from dimos.wsgi import application

# Per operation and generation mode (valid, then schema-breaking), plus the explicit examples.
TOKEN_EXAMPLES = 10
SESSION_EXAMPLES = 4

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])


@pytest.fixture
def keep_connection() -> Any:
    """As Django's test client does: the WSGI handler must not close the test's connection
    (and with it the test's transaction) at the end of each request."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(keep_connection: Any, municipality: Any, admin_user: Any) -> dict[str, Any]:
    """Some of everything the API reads, and credentials for the fuzzer."""
    NewsItemFactory.create_batch(3)
    seed_categories()
    _token, raw = services.issue_api_token(user=admin_user, name="fuzz", actor=admin_user)
    browser = Client()
    browser.force_login(admin_user)
    csrf = secrets.token_hex(16)  # 32 characters: Django accepts it as cookie and header
    return {
        "token": {"Authorization": f"Bearer {raw}"},
        "session": {
            "Cookie": f"sessionid={browser.cookies['sessionid'].value}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
        },
    }


def _settings(examples: int) -> Any:
    return hypothesis_settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


def _call(case: Any, headers: dict[str, str]) -> None:
    from django.core.cache import cache

    cache.clear()  # the fuzzer is not to meet the API's throttle
    response = case.call(headers=headers)
    case.validate_response(response, checks=[not_a_server_error])


@schema.parametrize()
@_settings(TOKEN_EXAMPLES)
def test_no_operation_answers_a_server_error_with_a_token(case: Any, world: dict) -> None:
    _call(case, world["token"])


@schema.parametrize()
@_settings(SESSION_EXAMPLES)
def test_no_operation_answers_a_server_error_with_a_session(case: Any, world: dict) -> None:
    # Fewer examples: the inputs are the same; what differs is the session's auth and CSRF.
    _call(case, world["session"])
