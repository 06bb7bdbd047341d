"""A small SoundCloud API client, written against SoundCloud's documented API (no Django here).

- OAuth 2.1 authorization code with PKCE (S256) at SOUNDCLOUD_AUTHORIZE_URL / SOUNDCLOUD_TOKEN_URL.
- Every API call carries `Authorization: OAuth <access token>`. Access tokens last about an hour;
  a 401 (or a token about to expire) is answered by one refresh and one retry. Refresh tokens are
  single-use: the new pair is handed to `on_refresh` at once so the caller stores it.
- 429 Too Many Requests: wait until the `reset_time` in the error body (or `Retry-After`), when
  that is within `max_wait`; otherwise RateLimited says when to come back.
- 5xx: exponential back-off. An upload that met a server error is first looked up by its unique
  machine tag before it is sent again, so a track is never posted twice.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import requests

TIMEOUT = (10, 300)  # connect, read: an upload of a few MB may take a while
REFRESH_MARGIN = timedelta(seconds=60)


class SoundCloudError(Exception):
    """SoundCloud said no, or could not be reached; the message is fit for an organiser."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class AuthError(SoundCloudError):
    """The connection to SoundCloud is no longer valid: the organiser must connect again."""


class RateLimited(SoundCloudError):
    def __init__(self, message: str, *, reset_at: datetime) -> None:
        super().__init__(message, status=429)
        self.reset_at = reset_at


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_at: datetime | None
    scope: str = ""


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge) as RFC 7636 defines them."""
    verifier = secrets.token_urlsafe(64)[:96]
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def tag_list(tags: list[str]) -> str:
    """SoundCloud's tag_list: space-separated, a tag with spaces in double quotes."""
    return " ".join(f'"{t}"' if " " in t else t for t in tags)


def parse_reset_time(body: Any, headers: Any, *, now: datetime) -> datetime:
    """When a 429 ends: `reset_time` ("2015/06/01 09:49:40 +0000") in the documented error body,
    else a Retry-After header in seconds, else a minute from now."""
    try:
        for error in body.get("errors", []):
            reset = error.get("meta", {}).get("reset_time")
            if reset:
                return datetime.strptime(reset, "%Y/%m/%d %H:%M:%S %z")
    except (AttributeError, TypeError, ValueError):
        pass
    retry_after = headers.get("Retry-After") if headers else None
    if retry_after and str(retry_after).isdigit():
        return now + timedelta(seconds=int(retry_after))
    return now + timedelta(seconds=60)


def _json(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return {}


def _error_text(response: requests.Response) -> str:
    body = _json(response)
    if isinstance(body, dict):
        for key in ("error_description", "message", "error"):
            if isinstance(body.get(key), str):
                return body[key]
        errors = body.get("errors")
        if errors and isinstance(errors, list) and isinstance(errors[0], dict):
            return str(errors[0].get("error_message") or errors[0])
    return response.reason or f"HTTP {response.status_code}"


class SoundCloudClient:
    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        authorize_url: str,
        token_url: str,
        api_url: str,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        max_retries: int = 4,
        backoff_s: float = 2.0,
        max_wait_s: float = 900.0,
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.authorize_endpoint = authorize_url
        self.token_url = token_url
        self.api_url = api_url.rstrip("/")
        self.session = session or requests.Session()
        self.sleep = sleep or time.sleep
        self.clock = clock
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self.max_wait_s = max_wait_s

    # OAuth ---------------------------------------------------------------------------------

    def authorize_url(self, *, redirect_uri: str, state: str, code_challenge: str) -> str:
        query = {
            "client_id": self.client_id,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "code_challenge": code_challenge,
            "code_challenge_method": "S256",
            "state": state,
        }
        return f"{self.authorize_endpoint}?{urlencode(query)}"

    def _token_request(self, data: dict[str, str]) -> Tokens:
        data = {"client_id": self.client_id, "client_secret": self.client_secret, **data}
        response = self._send(
            "POST", self.token_url, data=data, headers={"Accept": "application/json"}
        )
        if response.status_code in (400, 401):
            raise AuthError(f"SoundCloud refused the sign-in: {_error_text(response)}", status=401)
        self._raise_for(response)
        body = _json(response)
        if not body.get("access_token"):
            raise SoundCloudError("SoundCloud's token answer had no access token.")
        expires_in = body.get("expires_in")
        return Tokens(
            access_token=body["access_token"],
            refresh_token=body.get("refresh_token", ""),
            expires_at=self.clock() + timedelta(seconds=int(expires_in)) if expires_in else None,
            scope=body.get("scope") or "",
        )

    def exchange_code(self, *, code: str, code_verifier: str, redirect_uri: str) -> Tokens:
        return self._token_request(
            {
                "grant_type": "authorization_code",
                "code": code,
                "code_verifier": code_verifier,
                "redirect_uri": redirect_uri,
            }
        )

    def refresh(self, *, refresh_token: str) -> Tokens:
        if not refresh_token:
            raise AuthError("The SoundCloud connection has expired; connect again.")
        return self._token_request({"grant_type": "refresh_token", "refresh_token": refresh_token})

    # Transport -----------------------------------------------------------------------------

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """One request, waiting out 429s (until their reset time) and retrying 5xx with back-off;
        safe only for requests that can be repeated (uploads go through `upload_track`)."""
        for attempt in range(self.max_retries + 1):
            try:
                response = self.session.request(method, url, timeout=TIMEOUT, **kwargs)
            except requests.RequestException as exc:
                if attempt == self.max_retries:
                    raise SoundCloudError(f"SoundCloud could not be reached: {exc}") from exc
                self.sleep(self.backoff_s * 2**attempt)
                continue
            if response.status_code == 429:
                self._wait_for_reset(response)
                continue
            if response.status_code >= 500 and attempt < self.max_retries:
                self.sleep(self.backoff_s * 2**attempt)
                continue
            return response
        return response

    def _wait_for_reset(self, response: requests.Response) -> None:
        now = self.clock()
        reset_at = parse_reset_time(_json(response), response.headers, now=now)
        wait = (reset_at - now).total_seconds()
        if wait > self.max_wait_s:
            raise RateLimited(
                f"SoundCloud's rate limit is reached until {reset_at:%Y-%m-%d %H:%M} UTC.",
                reset_at=reset_at,
            )
        self.sleep(max(0.0, wait) + 1.0)  # reset_time has whole seconds: one more to be sure

    @staticmethod
    def _raise_for(response: requests.Response) -> None:
        if response.status_code >= 400:
            raise SoundCloudError(
                f"SoundCloud answered {response.status_code}: {_error_text(response)}",
                status=response.status_code,
            )

    def _authorized(
        self,
        method: str,
        path: str,
        *,
        tokens: Tokens,
        on_refresh: Callable[[Tokens], None],
        sender: Callable[..., requests.Response] | None = None,
        **kwargs: Any,
    ) -> tuple[requests.Response, Tokens]:
        """An API call with the OAuth header; refresh once on an expiring token or a 401."""
        send = sender or self._send
        if tokens.expires_at and tokens.expires_at - REFRESH_MARGIN <= self.clock():
            tokens = self.refresh(refresh_token=tokens.refresh_token)
            on_refresh(tokens)
        url = f"{self.api_url}{path}"
        auth = {"Authorization": f"OAuth {tokens.access_token}", "Accept": "application/json"}
        response = send(method, url, headers=auth, **kwargs)
        if response.status_code == 401:
            tokens = self.refresh(refresh_token=tokens.refresh_token)
            on_refresh(tokens)
            auth["Authorization"] = f"OAuth {tokens.access_token}"
            response = send(method, url, headers=auth, **kwargs)
            if response.status_code == 401:
                raise AuthError("SoundCloud no longer accepts this connection; connect again.")
        return response, tokens

    # API -----------------------------------------------------------------------------------

    def me(self, *, tokens: Tokens, on_refresh: Callable[[Tokens], None]) -> dict[str, Any]:
        response, _ = self._authorized("GET", "/me", tokens=tokens, on_refresh=on_refresh)
        self._raise_for(response)
        return _json(response)

    def find_track_by_tag(
        self, *, tokens: Tokens, on_refresh: Callable[[Tokens], None], tag: str
    ) -> dict[str, Any] | None:
        """The account's track carrying `tag`, if any (follows `next_href` pages)."""
        path = "/me/tracks?" + urlencode({"linked_partitioning": "true", "limit": 200})
        for _ in range(50):
            response, tokens = self._authorized("GET", path, tokens=tokens, on_refresh=on_refresh)
            self._raise_for(response)
            body = _json(response)
            tracks = body.get("collection", []) if isinstance(body, dict) else body
            for track in tracks:
                if tag in (track.get("tag_list") or ""):
                    return track
            next_href = body.get("next_href") if isinstance(body, dict) else None
            if not next_href or not next_href.startswith(self.api_url):
                return None
            path = next_href[len(self.api_url) :]
        return None

    def upload_track(
        self,
        *,
        tokens: Tokens,
        on_refresh: Callable[[Tokens], None],
        title: str,
        audio: bytes,
        filename: str,
        description: str,
        tags: list[str],
        unique_tag: str,
        sharing: str = "public",
    ) -> dict[str, Any]:
        """POST /tracks (multipart). `unique_tag` (a machine tag) is added to the tags: after a
        server error the track is looked up by it before trying again, never posted twice."""
        fields = {
            "track[title]": title,
            "track[description]": description,
            "track[tag_list]": tag_list([*tags, unique_tag]),
            "track[sharing]": sharing,
        }
        current = [tokens]  # the pair in use, as refreshes replace it

        def refreshed(new: Tokens) -> None:
            current[0] = new
            on_refresh(new)

        def send_once(method: str, url: str, **kwargs: Any) -> requests.Response:
            for attempt in range(self.max_retries + 1):
                files = {"track[asset_data]": (filename, audio, "audio/wav")}
                response: requests.Response | None = None
                try:
                    response = self.session.request(
                        method, url, data=fields, files=files, timeout=TIMEOUT, **kwargs
                    )
                except requests.RequestException as exc:
                    failure = f"SoundCloud could not be reached: {exc}"
                else:
                    if response.status_code == 429:
                        self._wait_for_reset(response)
                        continue
                    if response.status_code < 500:
                        return response
                    failure = f"SoundCloud answered {response.status_code}: {_error_text(response)}"
                if attempt == self.max_retries:
                    raise SoundCloudError(failure, status=response and response.status_code)
                self.sleep(self.backoff_s * 2**attempt)
                # The failed request may still have created the track: look before resending.
                existing = self.find_track_by_tag(
                    tokens=current[0], on_refresh=refreshed, tag=unique_tag
                )
                if existing:
                    raise _AlreadyUploaded(existing)
            raise SoundCloudError("SoundCloud kept limiting the rate of uploads.", status=429)

        try:
            response, _ = self._authorized(
                "POST", "/tracks", tokens=tokens, on_refresh=refreshed, sender=send_once
            )
        except _AlreadyUploaded as found:
            return found.track
        self._raise_for(response)
        return _json(response)


class _AlreadyUploaded(Exception):
    """A track found by its unique tag instead of a fresh upload's answer."""

    def __init__(self, track: dict[str, Any]) -> None:
        super().__init__("already uploaded")
        self.track = track
