"""Audio answers byte ranges (RFC 9110 §14): players seek, Safari plays, a range past the end is
a 416; anything else is left whole."""

import io

import pytest
from django.core.files.base import ContentFile
from django.http import FileResponse, HttpResponse
from django.urls import path

from arena.byte_ranges import Unsatisfiable, byte_span
from tests.arena.finished_piece import finished_piece

BODY = bytes(range(256)) * 4  # 1,024 bytes, each position recognisable


def _bytes_view(request):  # type: ignore[no-untyped-def]
    response = HttpResponse(BODY, content_type="audio/mpeg")
    response["Content-Disposition"] = 'inline; filename="entry-1.mp3"'
    return response


def _file_view(request):  # type: ignore[no-untyped-def]
    return FileResponse(io.BytesIO(BODY), content_type="audio/wav")


def _page_view(request):  # type: ignore[no-untyped-def]
    return HttpResponse(BODY, content_type="text/plain")


urlpatterns = [
    path("bytes/", _bytes_view),
    path("file/", _file_view),
    path("page/", _page_view),
]


@pytest.mark.parametrize(
    ("header", "span"),
    [
        ("bytes=0-99", (0, 99)),
        ("bytes=1000-", (1000, 1023)),
        ("bytes=-24", (1000, 1023)),
        ("bytes=1000-5000", (1000, 1023)),  # past the end: up to the last byte
        ("bytes = 0 - 0", (0, 0)),
        ("bytes=-5000", (0, 1023)),
        ("bytes=5-2", None),  # not a range: the whole body
        ("items=0-9", None),
        ("bytes=0-1,5-6", None),  # several ranges: the whole body
        ("bytes=-", None),
        ("bytes=x-9", None),
    ],
)
def test_a_range_header_is_read_as_the_rfc_says(header, span):
    assert byte_span(header, 1024) == span


@pytest.mark.parametrize("header", ["bytes=1024-", "bytes=2000-3000", "bytes=-0"])
def test_a_range_with_no_byte_in_the_body_is_unsatisfiable(header):
    with pytest.raises(Unsatisfiable):
        byte_span(header, 1024)


@pytest.fixture
def ranges_site(db, settings):  # type: ignore[no-untyped-def]
    settings.ROOT_URLCONF = __name__


@pytest.mark.parametrize("url", ["/bytes/", "/file/"])
def test_audio_answers_one_range_with_206_and_its_bytes(client, ranges_site, url):
    whole = client.get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    part = client.get(url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206
    assert part.content == BODY[100:200]
    assert part["Content-Range"] == "bytes 100-199/1024"
    assert part["Content-Length"] == "100"
    assert part["Content-Type"] == whole["Content-Type"]
    tail = client.get(url, HTTP_RANGE="bytes=-10")
    assert tail.status_code == 206 and tail.content == BODY[-10:]


def test_a_part_keeps_the_answers_headers(client, ranges_site):
    part = client.get("/bytes/", HTTP_RANGE="bytes=0-9")
    assert part["Content-Disposition"] == 'inline; filename="entry-1.mp3"'
    assert part["X-Content-Type-Options"] == "nosniff"  # the other middleware's headers too


def test_a_range_past_the_end_is_416_with_the_size(client, ranges_site):
    refused = client.get("/bytes/", HTTP_RANGE="bytes=5000-")
    assert refused.status_code == 416
    assert refused["Content-Range"] == "bytes */1024"


def test_if_range_several_ranges_and_other_answers_stay_whole(client, ranges_site):
    assert client.get("/bytes/", HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"x"').status_code == 200
    several = client.get("/bytes/", HTTP_RANGE="bytes=0-9,20-29")
    assert several.status_code == 200 and several.content == BODY
    page = client.get("/page/", HTTP_RANGE="bytes=0-9")
    assert page.status_code == 200 and "Accept-Ranges" not in page
    assert client.post("/bytes/", HTTP_RANGE="bytes=0-9").status_code == 200


def test_a_teams_piece_seeks_in_its_mp3(client, composing_teams, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    team = composing_teams.teams.first()
    member = team.memberships.first().user
    composition = finished_piece(team=team, user=member)
    composition.audio_compressed.save("piece.mp3", ContentFile(BODY))
    client.force_login(member)
    part = client.get(f"/compositions/{composition.pk}/audio_compressed/", HTTP_RANGE="bytes=512-")
    assert part.status_code == 206
    assert part.content == BODY[512:]
    assert part["Content-Range"] == "bytes 512-1023/1024"
