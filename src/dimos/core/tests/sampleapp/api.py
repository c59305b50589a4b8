from django.http import HttpRequest
from ninja import Router

router = Router(tags=["sample"])


@router.get("/ping", auth=None)
def ping(request: HttpRequest) -> dict[str, str]:
    return {"pong": "yes"}
