"""A fake SoundCloud for the tests: a real HTTP server on 127.0.0.1, in a thread, that enforces the
documented contract (developers.soundcloud.com/docs/api/guide):

- GET  /authorize      client_id, redirect_uri, response_type=code, code_challenge (S256), state;
                       "the user allows" at once: 302 to redirect_uri?code=…&state=…
- POST /oauth/token    client_id + client_secret always; authorization_code needs the code (once),
                       the same redirect_uri and a code_verifier whose S256 is the challenge;
                       refresh_token grants are single-use: the old refresh token dies.
- GET  /me, GET /me/tracks (linked_partitioning), POST /tracks (multipart: track[title],
  track[asset_data], track[tag_list] with aug-arch-ml-workshop, track[sharing])
- `Authorization: OAuth <token>` on the API; 401 on an unknown or expired token.
- Injected trouble: 429 with the documented `reset_time` body, 5xx outages, a 5xx after the track
  was created (the answer got lost), and SoundCloud going away altogether mid-posting (the port
  stops listening) and coming back on the same port.
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import json
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

CLIENT_ID = "arena-test-client"
CLIENT_SECRET = "arena-test-secret"
WORKSHOP_TAG = "aug-arch-ml-workshop"
USERNAME = "arena-organiser"
TRACK_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{title} · SoundCloud stand-in</title><link rel="icon" href="data:,"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto">
<p><small>Local stand-in of SoundCloud (the demo has no SoundCloud credentials)</small></p>
<h1>{title}</h1><p>{description}</p>
<audio controls preload="none" src="{stream}" style="width: 100%"></audio>
<p>Tags: {tags} · {sharing}</p></body></html>
"""


@dataclass
class FakeState:
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    access: dict[str, datetime] = field(default_factory=dict)  # token -> expiry
    refresh: set[str] = field(default_factory=set)
    used_refresh: set[str] = field(default_factory=set)
    tracks: list[dict[str, Any]] = field(default_factory=list)
    uploads: int = 0  # POST /tracks that created a track
    trouble: list[tuple[str, Any]] = field(default_factory=list)  # for the next POST /tracks
    down_after: int | None = None  # stop listening once this many tracks were created
    log: list[str] = field(default_factory=list)
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(1001))
    assets: dict[int, bytes] = field(default_factory=dict)  # track id -> the uploaded audio


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class FakeSoundCloud:
    def __init__(self, port: int = 0) -> None:
        self.state = FakeState()
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.token_lifetime = timedelta(hours=1)

    def serve_in_thread(self) -> None:
        # Polled often, so a test that ends does not wait half a second for it to stop.
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def close(self) -> None:
        """Stop listening: from now on connections to the port are refused."""
        self.server.shutdown()
        self.server.server_close()

    # Test controls ------------------------------------------------------------------------

    def expire_access_tokens(self) -> None:
        with self.lock:
            for token in self.state.access:
                self.state.access[token] = datetime.now(UTC) - timedelta(seconds=1)

    def rate_limit_next(self, *, reset_in_s: int = 2) -> None:
        self.state.trouble.append(("429", reset_in_s))

    def fail_next(self, *, status: int = 503, times: int = 1) -> None:
        self.state.trouble.extend([("5xx", status)] * times)

    def lose_next_answer(self) -> None:
        """Create the next track but answer 502, as when a proxy drops the response."""
        self.state.trouble.append(("lost", 502))

    def go_away_after(self, *, uploads: int) -> None:
        """SoundCloud goes away in the middle of posting: the upload that makes `uploads` tracks
        creates its track but its connection drops unanswered, and the port stops listening."""
        self.state.down_after = uploads

    def come_back(self) -> None:
        """Listen again on the same port, with the same accounts, tokens and tracks."""
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self.serve_in_thread()

    @property
    def uploads(self) -> int:
        return self.state.uploads

    # HTTP ---------------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _send(self, status: int, body: Any = None, headers: dict | None = None) -> None:
                data = json.dumps(body if body is not None else {}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _token(self) -> str | None:
                """The access token of a valid `Authorization: OAuth <token>` header."""
                auth = self.headers.get("Authorization", "")
                if not auth.startswith("OAuth "):
                    return None
                token = auth[len("OAuth ") :]
                expiry = fake.state.access.get(token)
                return token if expiry and expiry > datetime.now(UTC) else None

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                fake.state.log.append(f"GET {url.path}")
                if url.path == "/authorize":
                    return self._authorize(query)
                if url.path.startswith(f"/{USERNAME}/track-"):  # a permalink: open to anyone
                    return self._track_page(url.path.removeprefix(f"/{USERNAME}/track-"))
                if self._token() is None:
                    return self._send(401, {"error": "invalid_token"})
                if url.path == "/me":
                    return self._send(200, {"id": 7, "username": USERNAME})
                if url.path == "/me/tracks":
                    return self._send(200, {"collection": fake.state.tracks, "next_href": None})
                return self._send(404, {"error": "not found"})

            def _track_page(self, rest: str) -> None:
                """The stand-in's own page for a track's permalink (and its audio), so the links
                the site shows lead somewhere, as soundcloud.com's would."""
                number, _, stream = rest.partition("/")
                track = next((t for t in fake.state.tracks if str(t["id"]) == number), None)
                if track is None:
                    return self._send(404, {"error": "not found"})
                if stream == "stream":
                    audio = fake.state.assets.get(track["id"], b"")
                    kind = "audio/wav" if audio[:4] == b"RIFF" else "audio/mpeg"
                    return self._raw(200, audio, kind)
                page = TRACK_PAGE.format(
                    title=html.escape(track["title"]),
                    tags=html.escape(track["tag_list"]),
                    sharing=html.escape(track["sharing"]),
                    description=html.escape(track["description"]),
                    stream=f"/{USERNAME}/track-{number}/stream",
                )
                return self._raw(200, page.encode(), "text/html; charset=utf-8")

            def _raw(self, status: int, data: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _authorize(self, q: dict[str, str]) -> None:
                required = ("client_id", "redirect_uri", "response_type", "code_challenge", "state")
                if (
                    any(not q.get(k) for k in required)
                    or q["client_id"] != CLIENT_ID
                    or q["response_type"] != "code"
                    or q.get("code_challenge_method") != "S256"
                ):
                    return self._send(400, {"error": "invalid_request"})
                code = secrets.token_urlsafe(16)
                fake.state.codes[code] = {
                    "challenge": q["code_challenge"],
                    "redirect_uri": q["redirect_uri"],
                }
                target = f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q['state']})}"
                self.send_response(302)
                self.send_header("Location", target)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_POST(self) -> None:
                path = urlsplit(self.path).path
                fake.state.log.append(f"POST {path}")
                if path == "/oauth/token":
                    return self._token_grant()
                if path == "/tracks":
                    return self._upload()
                return self._send(404, {"error": "not found"})

            def _issue(self) -> None:
                access, refresh = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
                with fake.lock:
                    fake.state.access[access] = datetime.now(UTC) + fake.token_lifetime
                    fake.state.refresh.add(refresh)
                self._send(
                    200,
                    {
                        "access_token": access,
                        "refresh_token": refresh,
                        "expires_in": int(fake.token_lifetime.total_seconds()),
                        "scope": "",
                        "token_type": "bearer",
                    },
                )

            def _token_grant(self) -> None:
                form = {k: v[0] for k, v in parse_qs(self._body().decode()).items()}
                if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
                    return self._send(401, {"error": "invalid_client"})
                grant = form.get("grant_type")
                if grant == "authorization_code":
                    pending = fake.state.codes.pop(form.get("code", ""), None)  # single use
                    if (
                        pending is None
                        or form.get("redirect_uri") != pending["redirect_uri"]
                        or _challenge(form.get("code_verifier", "")) != pending["challenge"]
                    ):
                        return self._send(400, {"error": "invalid_grant"})
                    return self._issue()
                if grant == "refresh_token":
                    token = form.get("refresh_token", "")
                    with fake.lock:
                        if token not in fake.state.refresh:
                            return self._send(400, {"error": "invalid_grant"})
                        fake.state.refresh.discard(token)  # single use
                        fake.state.used_refresh.add(token)
                    return self._issue()
                return self._send(400, {"error": "unsupported_grant_type"})

            def _upload(self) -> None:
                body = self._body()
                if self._token() is None:
                    return self._send(401, {"error": "invalid_token"})
                trouble = fake.state.trouble.pop(0) if fake.state.trouble else None
                if trouble and trouble[0] == "429":
                    reset = datetime.now(UTC) + timedelta(seconds=trouble[1])
                    meta = {
                        "rate_limit": {
                            "group": "uploads",
                            "max_nr_of_requests": 10,
                            "time_window": "PT24H",
                        },
                        "remaining_requests": 0,
                        "reset_time": reset.strftime("%Y/%m/%d %H:%M:%S +0000"),
                    }
                    return self._send(429, {"errors": [{"meta": meta}]})
                if trouble and trouble[0] == "5xx":
                    return self._send(trouble[1], {"error": "service unavailable"})
                fields, files = self._multipart(body)
                missing = [
                    name
                    for name in ("track[title]", "track[tag_list]", "track[sharing]")
                    if not fields.get(name)
                ]
                if not files.get("track[asset_data]"):
                    missing.append("track[asset_data]")
                tags = fields.get("track[tag_list]", "")
                if (
                    missing
                    or WORKSHOP_TAG not in tags.split()
                    or fields.get("track[sharing]") not in ("public", "private")
                ):
                    return self._send(422, {"errors": [{"error_message": f"invalid: {missing}"}]})
                track_id = next(fake.state.ids)
                track = {
                    "id": track_id,
                    "title": fields["track[title]"],
                    "description": fields.get("track[description]", ""),
                    "tag_list": tags,
                    "sharing": fields["track[sharing]"],
                    # The stand-in's own address, which serves a page for it (_track_page).
                    "permalink_url": f"{fake.url}/{USERNAME}/track-{track_id}",
                    "bytes": len(files["track[asset_data]"]),
                }
                with fake.lock:
                    fake.state.tracks.append(track)
                    fake.state.assets[track_id] = files["track[asset_data]"]
                    fake.state.uploads += 1
                    going_away = fake.state.uploads == fake.state.down_after
                if going_away:
                    fake.state.down_after = None
                    fake.close()  # this thread serves the request, not the listening loop
                    self.close_connection = True
                    return None  # the connection closes with no answer
                if trouble and trouble[0] == "lost":
                    return self._send(trouble[1], {"error": "bad gateway"})
                return self._send(201, track)

            def _multipart(self, body: bytes) -> tuple[dict[str, str], dict[str, bytes]]:
                content_type = self.headers.get("Content-Type", "")
                if not content_type.startswith("multipart/form-data"):
                    return {}, {}
                message = BytesParser(policy=HTTP).parsebytes(
                    f"Content-Type: {content_type}\r\n\r\n".encode() + body
                )
                fields: dict[str, str] = {}
                files: dict[str, bytes] = {}
                for part in message.iter_parts():
                    name = part.get_param("name", header="content-disposition")
                    payload = part.get_payload(decode=True) or b""
                    if part.get_filename():
                        files[name] = payload
                    else:
                        fields[name] = payload.decode()
                return fields, files

        return Handler


@contextmanager
def fake_soundcloud() -> Iterator[FakeSoundCloud]:
    fake = FakeSoundCloud()
    fake.serve_in_thread()
    try:
        yield fake
    finally:
        fake.close()


if __name__ == "__main__":
    # `make demo` runs this as the SoundCloud of a machine without SoundCloud credentials.
    import argparse

    parser = argparse.ArgumentParser(description="A local stand-in for SoundCloud's API.")
    parser.add_argument("--port", type=int, default=8765)
    server = FakeSoundCloud(port=parser.parse_args().port)
    print(f"stand-in SoundCloud on {server.url} (client id {CLIENT_ID})", flush=True)
    server.server.serve_forever()
