"""A scaled-out Dimos on one machine: app servers and workers sharing PostgreSQL, Redis and S3.

This is the deployment docs/deploy.md describes for a municipality that outgrows one server,
built from real parts: ``dimos serve`` (gunicorn) and ``dimos worker`` processes in production
mode, one PostgreSQL database, one Redis database for the cache, an S3-compatible object store
(moto in server mode, spoken to over real S3 HTTP) for public and private files, and an SMTP
server that keeps what it receives. Each process has its own ``DIMOS_VAR_DIR``, as separate
machines would, so anything written there is visible to the test.

The test talks to the servers as the load balancer in front of them would: TLS ends there, so
requests carry ``X-Forwarded-Proto: https``, ``X-Forwarded-For`` and the public host name.
"""

from __future__ import annotations

import os
import re
import socket
import socketserver
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from functools import partial
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

import requests

from dimos.testing.processes import base_env, wait_for, write_signing_p12

HOST = "city.dimos.test"
ORIGIN = f"https://{HOST}"
BUCKET_MEDIA = "dimos-media"
BUCKET_PRIVATE = "dimos-private"
S3_KEY, S3_SECRET = "testing", "testing"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- A mail server that keeps what it receives -------------------------------------------------


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for Django's SMTP backend: no TLS, no authentication."""

    server: MailSink

    def _reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self._reply("220 sink ESMTP")
        recipients: list[str] = []
        while line := self.rfile.readline():
            verb = line.decode("ascii", "replace").strip().split(" ", 1)[0].upper()
            if verb in {"EHLO", "HELO"}:
                self._reply("250-sink")
                self._reply("250 8BITMIME")
            elif verb == "MAIL":
                recipients = []
                self._reply("250 OK")
            elif verb == "RCPT":
                recipients.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                body = bytearray()
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    body += chunk[1:] if chunk.startswith(b"..") else chunk
                self.server.keep(recipients, bytes(body))
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            else:  # RSET, NOOP and anything else
                self._reply("250 OK")


class MailSink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self._lock = threading.Lock()
        self.port = int(self.server_address[1])
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def keep(self, recipients: list[str], data: bytes) -> None:
        message = message_from_bytes(data, policy=policy.default)
        with self._lock:
            self.messages.append((recipients, message))  # type: ignore[arg-type]

    def to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [m for rcpt, m in self.messages if address in rcpt]


# --- The processes ------------------------------------------------------------------------------


@dataclass
class Node:
    """One machine of the cluster: its own var directory and its processes."""

    name: str
    var_dir: Path
    port: int = 0
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class Cluster:
    def __init__(self, root: Path, *, database_url: str, redis_url: str, s3_endpoint: str) -> None:
        self.root = root
        self.mail = MailSink()
        self.secrets = root / "secrets"  # what a deployment keeps in its secret store
        self.secrets.mkdir()
        self.static_root = root / "static"  # built once per release, like a container image
        self.env = base_env(root / "unused")
        self.env.update(
            {
                "DIMOS_ENV": "production",
                "SECRET_KEY": "scale-out-test-" + "k7Qz9pX2mV4rT8wY1nB6cD3fG5hJ0lS" * 2,
                "ALLOWED_HOSTS": HOST,
                "SITE_URL": ORIGIN,
                "DIMOS_TRUSTED_PROXIES": "1",
                "FORWARDED_ALLOW_IPS": "127.0.0.1",
                "DATABASE_URL": database_url,
                "CACHE_URL": redis_url,
                "EMAIL_URL": f"smtp://127.0.0.1:{self.mail.port}",
                "STATIC_ROOT": str(self.static_root),
                "S3_BUCKET": BUCKET_MEDIA,
                "S3_ENDPOINT_URL": s3_endpoint,
                "S3_REGION": "us-east-1",
                "S3_ACCESS_KEY_ID": S3_KEY,
                "S3_SECRET_ACCESS_KEY": S3_SECRET,
                "DIMOS_PRIVATE_S3_BUCKET": BUCKET_PRIVATE,
                "DIMOS_SIGNING_PKCS12": str(self.secrets / "signing.p12"),
                "DIMOS_SIGNING_PKCS12_PASSWORD": "scale-out-signing",
                "DIMOS_GEOCODER": "",
                "DIMOS_RATE_LOGIN_FAILED_ACCOUNT": "3/h/key",
                "DIMOS_WEB_TIMEOUT": "30",
            }
        )
        write_signing_p12(self.secrets / "signing.p12", self.env["DIMOS_SIGNING_PKCS12_PASSWORD"])
        self.nodes: dict[str, Node] = {}

    def node(self, name: str) -> Node:
        if name not in self.nodes:
            var_dir = self.root / name
            var_dir.mkdir()
            self.nodes[name] = Node(name, var_dir)
        return self.nodes[name]

    def env_for(self, node: Node, **extra: str) -> dict[str, str]:
        return {**self.env, "DIMOS_VAR_DIR": str(node.var_dir), **extra}

    def run(self, node: Node, *args: str, **extra: str) -> str:
        """A one-off command on a node (a release step): must succeed."""
        result = subprocess.run(
            [sys.executable, "-m", "dimos.cli", *args],
            env=self.env_for(node, **extra),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert result.returncode == 0, f"dimos {' '.join(args)}:\n{result.stdout}{result.stderr}"
        return result.stdout

    def start(self, node: Node, *args: str) -> subprocess.Popen[bytes]:
        log = (node.var_dir / f"{args[0]}-{len(node.processes)}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "dimos.cli", *args],
            env=self.env_for(node),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        node.processes.append(process)
        return process

    def serve(self, name: str) -> Node:
        node = self.node(name)
        node.port = free_port()
        self.start(
            node,
            "serve",
            "--bind",
            f"127.0.0.1:{node.port}",
            "--workers",
            "2",
            "--threads",
            "2",
            "--no-collectstatic",
        )
        return node

    def worker(self, name: str) -> subprocess.Popen[bytes]:
        return self.start(self.node(name), "worker", "--interval", "0.2")

    def wait_until_up(self) -> None:
        for node in self.nodes.values():
            if node.port:
                wait_for(partial(_answers, node.url), 90, f"{node.name} to answer")

    def logs(self) -> str:
        return "\n".join(
            f"--- {path}\n{path.read_text(errors='replace')[-4000:]}"
            for node in self.nodes.values()
            for path in node.var_dir.glob("*.log")
        )

    def stop(self) -> None:
        for node in self.nodes.values():
            for process in node.processes:
                if process.poll() is None:
                    os.killpg(process.pid, 15)
        for node in self.nodes.values():
            for process in node.processes:
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, 9)
                    process.wait(10)
        self.mail.shutdown()
        self.mail.server_close()

    def files_written(self) -> list[str]:
        """What the app processes left in their var directories, logs apart."""
        return sorted(
            str(path.relative_to(self.root))
            for node in self.nodes.values()
            for path in node.var_dir.rglob("*")
            if path.is_file() and path.suffix != ".log"
        )


def _answers(url: str) -> bool:
    try:
        return requests.get(f"{url}/healthz", headers={"Host": HOST}, timeout=2).ok
    except requests.RequestException:
        return False


# --- A browser, as the load balancer forwards it -------------------------------------------------


class Visitor:
    """One person's browser: one set of cookies, whichever server the balancer picks.

    The cookies are ``Secure``: the browser sends them because its side of the balancer is
    TLS, though the balancer speaks plain HTTP to the servers (so they are kept by hand here).
    """

    def __init__(self, address: str = "198.51.100.20", language: str = "en") -> None:
        self.http = requests.Session()
        self.cookies: dict[str, str] = {}
        self.address = address
        self.language = language

    def _headers(self, path: str) -> dict[str, str]:
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "Accept-Language": self.language,
            "Referer": urljoin(ORIGIN, path),
            "Origin": ORIGIN,
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def _keep(self, response: requests.Response) -> requests.Response:
        for header in response.raw.headers.getlist("Set-Cookie"):
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, node: Node, path: str, **kwargs: Any) -> requests.Response:
        return self._keep(
            self.http.get(
                node.url + path,
                headers=self._headers(path),
                allow_redirects=False,
                timeout=30,
                **kwargs,
            )
        )

    def post(self, node: Node, path: str, data: dict[str, Any], **kwargs: Any) -> requests.Response:
        """Submit the form at ``path`` as a browser would: with the CSRF token it was given."""
        page = self.get(node, path)
        assert page.status_code == 200, (path, page.status_code)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, f"no form on {path}"
        return self.submit(node, path, {"csrfmiddlewaretoken": token.group(1), **data}, **kwargs)

    def submit(self, node: Node, path: str, data: Any, **kwargs: Any) -> requests.Response:
        return self._keep(
            self.http.post(
                node.url + path,
                data=data,
                headers=self._headers(path),
                allow_redirects=False,
                timeout=60,
                **kwargs,
            )
        )


def totp_now(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import hotp_value

    counter = int(time.time()) // 30
    return f"{hotp_value(secret, counter):06d}"


def log_in(visitor: Visitor, node: Node, email: str, password: str, totp: str = "") -> None:
    response = visitor.post(node, "/accounts/login/", {"login": email, "password": password})
    assert response.status_code == 302, response.text[-2000:]
    if "/2fa/" in response.headers["Location"]:
        path = urlparse(response.headers["Location"]).path
        response = visitor.post(node, path, {"code": totp_now(totp)})
        assert response.status_code == 302, response.text[-2000:]


def s3_objects(endpoint: str, bucket: str) -> list[str]:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=S3_KEY,
        aws_secret_access_key=S3_SECRET,
        region_name="us-east-1",
    )
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return [item["Key"] for page in pages for item in page.get("Contents", [])]


def make_buckets(endpoint: str) -> None:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=S3_KEY,
        aws_secret_access_key=S3_SECRET,
        region_name="us-east-1",
    )
    for bucket in (BUCKET_MEDIA, BUCKET_PRIVATE):
        client.create_bucket(Bucket=bucket)
