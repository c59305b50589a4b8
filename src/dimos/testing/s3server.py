"""A local S3-compatible server for tests: moto in server mode, spoken to over real HTTP.

``s3_server`` (one per run) starts it on a free port and gives its endpoint URL;
``private_s3`` makes a fresh bucket and points ``STORAGES["private"]`` at it, as
``DIMOS_PRIVATE_S3_BUCKET`` with ``S3_ENDPOINT_URL`` would.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

ACCESS_KEY = "dimos-test"
SECRET_KEY = "dimos-test-secret"
REGION = "us-east-1"


@dataclass
class S3Bucket:
    endpoint: str
    bucket: str
    prefix: str

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def keys(self) -> list[str]:
        listing = self.client().list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def read(self, key: str) -> bytes:
        return bytes(self.client().get_object(Bucket=self.bucket, Key=key)["Body"].read())

    def object_url(self, key: str) -> str:
        return f"{self.endpoint}/{self.bucket}/{key}"


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    pytest.importorskip("moto.server", reason="moto[server] is in the test extras")
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def private_s3(settings: Any, monkeypatch: pytest.MonkeyPatch, s3_server: str) -> S3Bucket:
    """A new bucket as the private storage, configured by the settings' own S3 options."""
    from dimos.settings import _s3_options

    target = S3Bucket(endpoint=s3_server, bucket=f"dimos-{uuid.uuid4().hex[:12]}", prefix="private")
    target.client().create_bucket(Bucket=target.bucket)
    for name, value in {
        "S3_ENDPOINT_URL": s3_server,
        "S3_REGION": REGION,
        "S3_ACCESS_KEY_ID": ACCESS_KEY,
        "S3_SECRET_ACCESS_KEY": SECRET_KEY,
    }.items():
        monkeypatch.setenv(name, value)
    options = {**_s3_options(target.bucket), "location": target.prefix}
    private = {"BACKEND": "dimos.core.s3.PrivateS3Storage", "OPTIONS": options}
    settings.STORAGES = {**settings.STORAGES, "private": private}
    return target
