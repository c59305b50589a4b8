"""The demo news promise the national eID only where a gateway is configured."""

from __future__ import annotations

from typing import Any

from dimos.portal.demo import seed_news
from dimos.portal.models import NewsItem


def test_demo_news_promises_the_eid_only_when_configured(db: Any) -> None:
    seed_news()
    news = NewsItem.objects.get(slug="online-services-launch")
    assert "gov.gr" not in news.body_el and "gov.gr" not in news.body_en
    assert "Με έναν λογαριασμό, μπορείτε να:" in news.body_el
