"""Public API of the portal: news and announcements."""

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from dimos.api.pagination import Pagination
from dimos.portal.models import NewsItem

router = Router(tags=["news"])


class NewsOut(Schema):
    slug: str
    kind: str
    title: str
    summary: str
    published_at: datetime
    url: str

    @staticmethod
    def resolve_url(obj: NewsItem, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class NewsDetailOut(NewsOut):
    body_html: str

    @staticmethod
    def resolve_body_html(obj: NewsItem) -> str:
        return str(obj.body_html)


@router.get("/news", response=list[NewsOut], auth=None)
@paginate(Pagination)
def news_list(request: HttpRequest, kind: Literal["news", "announcement"] | None = None) -> Any:
    items = NewsItem.objects.published()
    return items.filter(kind=kind) if kind else items


@router.get("/news/{slug}", response=NewsDetailOut, auth=None)
def news_detail(request: HttpRequest, slug: str) -> Any:
    return get_object_or_404(NewsItem.objects.published(), slug=slug)
