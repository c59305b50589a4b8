"""What a first visit to a page transfers: the HTML and every asset it references.

Fetched as a browser with an empty cache would, with ``Accept-Encoding: br, gzip``: WhiteNoise
answers with the precompressed files that collectstatic wrote. Only same-origin assets are
fetched; others are listed (the benchmark never leaves loopback).
"""

from __future__ import annotations

import gzip
import http.client
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

ACCEPT_ENCODING = "br, gzip"
# <link rel=…> kinds a browser downloads while loading the page.
FETCHED_LINK_RELS = {"stylesheet", "icon", "shortcut", "preload", "modulepreload", "manifest"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str]] = []  # (kind, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "link" and set(a.get("rel", "").lower().split()) & FETCHED_LINK_RELS:
            self.refs.append(("link:" + a.get("rel", ""), a.get("href", "")))
        elif tag == "script" and a.get("src"):
            self.refs.append(("script", a["src"]))
        elif tag in {"img", "source"} and a.get("src"):
            self.refs.append((tag, a["src"]))
        elif tag == "input" and a.get("type") == "image" and a.get("src"):
            self.refs.append(("input", a["src"]))


def _decode(body: bytes, encoding: str) -> bytes:
    if encoding == "br":
        import brotli  # whitenoise[brotli] installs it

        return bytes(brotli.decompress(body))
    if encoding == "gzip":
        return gzip.decompress(body)
    return body


def _fetch(base: str, url: str, headers: dict[str, str]) -> dict[str, Any]:
    parts = urlsplit(urljoin(base, url))
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port or 80, timeout=10)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request("GET", target, headers={"Accept-Encoding": ACCEPT_ENCODING, **headers})
        response = conn.getresponse()
        body = response.read()  # as sent: http.client does not decompress
    finally:
        conn.close()
    head = f"HTTP/1.1 {response.status} {response.reason}\r\n" + "".join(
        f"{k}: {v}\r\n" for k, v in response.getheaders()
    )
    encoding = response.getheader("Content-Encoding", "") or ""
    return {
        "url": target,
        "status": response.status,
        "content_type": (response.getheader("Content-Type", "") or "").split(";")[0],
        "content_encoding": encoding or "identity",
        "body_bytes": len(body),
        "header_bytes": len(head.encode()) + 2,
        "_body": _decode(body, encoding),
    }


def measure(
    base_url: str, path: str = "/", headers: dict[str, str] | None = None
) -> dict[str, Any]:
    headers = dict(headers or {})
    origin = urlsplit(base_url).netloc
    page = _fetch(base_url, path, headers)
    page["kind"] = "document"
    parser = _Refs()
    parser.feed(page["_body"].decode("utf-8", "replace"))
    files, external, seen = [page], [], {path}
    queue = list(parser.refs)
    while queue and len(files) < 100:  # bounded: a page with more assets is a finding anyway
        kind, ref = queue.pop(0)
        absolute = urljoin(urljoin(base_url, path), ref)
        if ref.startswith("data:"):
            continue
        if urlsplit(absolute).netloc != origin:
            external.append(absolute)
            continue
        if absolute in seen:
            continue
        seen.add(absolute)
        asset = _fetch(base_url, absolute, {})
        asset["kind"] = kind
        files.append(asset)
        if asset["content_type"] == "text/css":  # fonts and images the stylesheet pulls in
            css = asset["_body"].decode("utf-8", "replace")
            queue += [("css-url", urljoin(absolute, u)) for u in CSS_URL.findall(css)]
    for f in files:
        del f["_body"]
    body = sum(f["body_bytes"] for f in files)
    with_headers = body + sum(f["header_bytes"] for f in files)
    return {
        "path": path,
        "accept_encoding": ACCEPT_ENCODING,
        "files": files,
        "external_not_fetched": external,
        "errors": [f["url"] for f in files if f["status"] >= 400],
        "body_bytes": body,
        "total_bytes": with_headers,  # bodies and response headers: what crossed the wire
    }
