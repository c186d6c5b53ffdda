"""The app's edge: an ASGI middleware in front of gradio's routes.

- Request size: a body larger than the route's cap is refused with 413 before it is read whole (by its
  Content-Length, or by counting a chunked body as it arrives). Uploads may carry up to
  UPLOAD_FILES_PER_REQUEST files of ASSISTANT_MAX_UPLOAD_MB; every other route carries a question at most
  (the chat's conversation stays on the server), so it is capped at a few times
  ASSISTANT_MAX_QUESTION_CHARS (a JSON-escaped Vietnamese letter takes up to 6 bytes).
- Upload cache: the uploads gradio holds for this app (stored, not yet ingested) may come to at most
  UPLOAD_CACHE_FILES uploads' worth of bytes; a new upload that would exceed it is refused (507) until the app
  has ingested or expired the others.
- Login: after LOGIN_FREE_FAILURES wrong passwords from one address, that address is locked out for
  1 s, then 2 s, 4 s, ... (at most LOGIN_MAX_LOCKOUT_S) after each further failure: 429 with Retry-After,
  the password is not even checked. A right password resets the count.
- Headers: every response forbids framing (X-Frame-Options, frame-ancestors) and carries a
  Content-Security-Policy that lets the page load from and talk to this server only: scripts, images, fonts
  and connections from elsewhere are refused, so injected markup could not send data out. gradio's page
  needs inline scripts and styles and evaluates its HTML templates, so those stay allowed (escaping every
  document and user text, assistant.ui.render, is what keeps markup out).
"""

from __future__ import annotations

import json
import logging
import math
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

BYTES_PER_QUESTION_CHAR = 16
REQUEST_OVERHEAD = 64 * 1024
UPLOAD_FILES_PER_REQUEST = 5
UPLOAD_CACHE_FILES = 10
LOGIN_FREE_FAILURES = 10
LOGIN_FORGET_S = 900.0
LOGIN_MAX_LOCKOUT_S = 900.0
LOGIN_CLIENTS = 10_000  # addresses remembered (the oldest are forgotten first)

CSP = "; ".join([
    "default-src 'self'",
    # gradio's page sets its config in inline scripts, and its HTML component compiles templates with Function()
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' data: blob:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
SECURITY_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


@dataclass(frozen=True)
class Limits:
    question_body: int  # bytes, every route but uploads
    upload_body: int  # bytes, one upload request
    upload_cache: int  # bytes of uploads not yet ingested the app may hold

    @classmethod
    def from_settings(cls, max_question_chars: int, max_upload_mb: int) -> Limits:
        upload = max_upload_mb * 1_000_000
        return cls(
            question_body=max_question_chars * BYTES_PER_QUESTION_CHAR + REQUEST_OVERHEAD,
            upload_body=upload * UPLOAD_FILES_PER_REQUEST + REQUEST_OVERHEAD,
            upload_cache=upload * UPLOAD_CACHE_FILES,
        )


class LoginLimiter:
    """Failed logins per client address, and the lockout they earn."""

    def __init__(self, free: int = LOGIN_FREE_FAILURES) -> None:
        self.free = free
        self._clients: OrderedDict[str, tuple[int, float, float]] = OrderedDict()  # failures, last, locked until

    def wait_s(self, client: str, now: float | None = None) -> float:
        """Seconds this client must wait before its next attempt is checked (0: now)."""
        now = time.monotonic() if now is None else now
        failures, last, until = self._clients.get(client, (0, 0.0, 0.0))
        if failures and now - last > LOGIN_FORGET_S:
            self._clients.pop(client, None)
            return 0.0
        return max(0.0, until - now)

    def record(self, client: str, ok: bool, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        if ok:
            self._clients.pop(client, None)
            return
        failures, _, _ = self._clients.pop(client, (0, 0.0, 0.0))
        failures += 1
        beyond = failures - self.free
        until = now + min(LOGIN_MAX_LOCKOUT_S, 2.0 ** (beyond - 1)) if beyond > 0 else 0.0
        self._clients[client] = (failures, now, until)
        while len(self._clients) > LOGIN_CLIENTS:
            self._clients.popitem(last=False)
        if beyond > 0:
            logger.warning("login: %d failures from %s, locked out for %.0f s", failures, client, until - now)


class _TooLarge(BaseException):
    """Raised from receive(): a BaseException, so that no route's `except Exception` turns it into a 400."""


class UploadLedger:
    """The uploads gradio holds for this app: the files each upload request stored (as its answer lists them),
    counted until they are gone (ingested and removed, see AppHandlers._discard, or expired). Other files in
    the folder, such as copies of CSV downloads, do not count."""

    SETTLE_S = 10.0  # gradio may still be moving an upload's file into place

    def __init__(self) -> None:
        self._records: list[tuple[float, list[str], int]] = []  # when, stored paths, request bytes
        self._lock = threading.Lock()

    def add(self, paths: list[str], size: int) -> None:
        with self._lock:
            self._records.append((time.monotonic(), paths, size))

    def held(self) -> int:
        now = time.monotonic()
        with self._lock:
            self._records = [r for r in self._records if now - r[0] < self.SETTLE_S or any(map(os.path.exists, r[1]))]
            return sum(size for _, _, size in self._records)


async def _respond(send: Send, status: int, message: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps({"detail": message}, ensure_ascii=False).encode("utf-8")
    await send({
        "type": "http.response.start", "status": status,
        "headers": [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"), *SECURITY_HEADERS, *(headers or [])],
    })
    await send({"type": "http.response.body", "body": body})


class EdgeGuard:
    """The ASGI middleware (see the module docstring)."""

    def __init__(self, app: ASGIApp, limits: Limits, logins: LoginLimiter | None = None) -> None:
        self.app = app
        self.limits = limits
        self.logins = logins or LoginLimiter()
        self.uploads = UploadLedger()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", "")).rstrip("/")
        upload = path.endswith("/upload")
        limit = self.limits.upload_body if upload else self.limits.question_body
        length = _content_length(scope)
        if length is not None and length > limit:
            logger.warning("refused a %d-byte request to %s (limit %d)", length, path, limit)
            await _respond(send, 413, _too_large(limit))
            return
        upload_post = upload and scope.get("method") == "POST"
        if upload_post:
            held = self.uploads.held()
            if held + (length or 0) > self.limits.upload_cache:
                logger.warning("refused an upload: the upload folder holds %d bytes (limit %d)", held,
                               self.limits.upload_cache)
                await _respond(send, 507, "Máy chủ đang giữ quá nhiều tệp tải lên chưa nạp. Hãy thử lại sau ít phút.")
                return
        client = (scope.get("client") or ("?", 0))[0]
        login = scope.get("method") == "POST" and path.endswith("/login")
        if login:
            wait = self.logins.wait_s(client)
            if wait > 0:
                seconds = math.ceil(wait)
                await _respond(send, 429, f"Đăng nhập sai quá nhiều lần. Hãy thử lại sau {seconds} giây.",
                               [(b"retry-after", str(seconds).encode())])
                return
        await self._forward(scope, receive, send, limit, client if login else None, upload_post)

    async def _forward(
        self, scope: Scope, receive: Receive, send: Send, limit: int, login_client: str | None, upload: bool
    ) -> None:
        received = 0
        started = False
        status = 0
        answer = bytearray()  # an upload's answer: the paths it stored

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started, status
            if message["type"] == "http.response.start":
                started, status = True, int(message["status"])
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
                if login_client is not None:
                    self.logins.record(login_client, ok=status < 400)
            elif upload and status == 200 and len(answer) < 1_000_000:
                answer.extend(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except _TooLarge:
            logger.warning("refused a request to %s: body over %d bytes", scope.get("path"), limit)
            if not started:
                await _respond(send, 413, _too_large(limit))
            return
        if upload and status == 200:
            try:
                paths = [str(p) for p in json.loads(bytes(answer))]
            except (ValueError, TypeError):
                paths = []
            self.uploads.add(paths, received)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _too_large(limit: int) -> str:
    size = f"{limit / 1_000_000:.1f} MB" if limit >= 1_000_000 else f"{math.ceil(limit / 1000)} KB"
    return f"Yêu cầu quá lớn (tối đa {size}). (Request too large.)"


__all__ = ["CSP", "EdgeGuard", "Limits", "LoginLimiter"]
