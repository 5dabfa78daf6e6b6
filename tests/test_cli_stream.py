"""``heimbote stream …`` as an operator or a portal runs it: verify, subscribe, list, stop."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from bot.cli import build_parser
from bot.models import StreamEvent, StreamSubscriber
from bot.models.reviews import Review
from bot.services.stream import events as stream
from bot.services.stream.chain import digest
from tests import review_seed
from tests.conftest import heimbote_command
from tests.public_server import public_client
from tests.test_cli_admin import Finished, heimbote

SECRET = "s3cret-shared-with-the-portal"
PORTAL = "https://93.184.215.14/in"  # a public address; nothing is sent to it here


async def seed() -> list[int]:
    home = await review_seed.facility()
    praised = await review_seed.publish(home, 4, comment="Sehr freundlich", care=5)
    complaint = await review_seed.publish(home, 1, comment="Mein Name ist Erika Muster")
    await review_seed.reply(praised, "Danke!")
    return [praised.id, complaint.id]


@pytest.mark.parametrize("command", [
    ["stream"], ["stream", "verify"], ["stream", "subscribe"], ["stream", "subscribers"],
    ["stream", "unsubscribe"],
])
def test_every_stream_command_has_help(command: list[str], capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args([*command, "--help"])
    assert done.value.code == 0
    assert "usage: heimbote" in capsys.readouterr().out


async def test_verify_passes_fails_after_an_edit_and_passes_after_a_retraction(
    db: str, tmp_path: Path
) -> None:
    env = {"HEIMBOTE_DATABASE_URL": db}
    praised_id, complaint_id = await seed()
    good = await heimbote(tmp_path, "stream", "verify", **env)
    assert good.returncode == 0, good.stderr
    assert good.stdout.strip() == "stream ok: 3 events, chain intact up to seq 3"

    # Someone edits a stored review in the database: 4 stars become 5.
    edited = await StreamEvent.get(seq=1)
    assert edited.payload is not None
    original = dict(edited.payload)
    edited.payload = {**original, "overall": 5}
    await edited.save()
    broken = await heimbote(tmp_path, "stream", "verify", **env)
    assert broken.returncode == 1
    assert broken.error_lines == [
        "heimbote: stream broken at seq 1: payload does not match its digest (1 events read)"
    ]

    # … and covers their tracks by recomputing the digest: now the hash gives it away.
    edited.payload_digest = digest(edited.payload)
    await edited.save()
    rehashed = await heimbote(tmp_path, "stream", "verify", "--json", **env)
    assert rehashed.returncode == 1
    assert '"broken_seq": 1' in rehashed.stdout and '"reason": "wrong hash"' in rehashed.stdout

    edited.payload, edited.payload_digest = original, digest(original)
    await edited.save()
    complaint = await Review.get(id=complaint_id)
    await review_seed.retract(complaint)
    retracted = await heimbote(tmp_path, "stream", "verify", **env)
    assert retracted.returncode == 0, retracted.stderr
    assert "4 events" in retracted.stdout
    assert (await StreamEvent.get(seq=2)).payload is None  # the text is gone
    assert praised_id != complaint_id


async def verify_served(tmp_path: Path) -> Finished:
    """``heimbote stream verify URL`` against a freshly started web app (an empty cache)."""
    async with public_client() as client:
        return await heimbote(tmp_path, "stream", "verify", str(client.make_url("/")))


async def test_verify_downloads_the_stream_from_a_running_heimbote(
    db: str, tmp_path: Path
) -> None:
    await seed()
    good = await verify_served(tmp_path)
    assert good.returncode == 0, good.stderr
    assert "3 events" in good.stdout
    await StreamEvent.filter(seq=2).update(prev_hash="0" * 64)
    broken = await verify_served(tmp_path)
    assert broken.returncode == 1
    assert broken.error_lines == [
        "heimbote: stream broken at seq 2: broken link: prev_hash is not the hash of the "
        "event before (2 events read)"
    ]
    await StreamEvent.filter(seq=2).delete()
    gap = await verify_served(tmp_path)
    assert gap.error_lines[0].startswith("heimbote: stream broken at seq 3: missing seq 2")
    async with public_client() as client:
        not_heimbote = await heimbote(tmp_path, "stream", "verify",
                                      str(client.make_url("/healthz/x")))
    assert not_heimbote.returncode != 0 and len(not_heimbote.error_lines) == 1


async def test_verify_reads_every_page(db: str, tmp_path: Path) -> None:
    home = await review_seed.facility()
    for n in range(1203):  # more than one page of 1000
        await stream.append("review.published", home, f"review:{n}", {"n": n})
    async with public_client() as client:
        base = str(client.make_url("/")).rstrip("/")
        result = await heimbote(tmp_path, "stream", "verify", base)
        assert result.returncode == 0, result.stderr
        assert "1203 events" in result.stdout


async def test_subscribe_list_and_unsubscribe(db: str, tmp_path: Path) -> None:
    env = {"HEIMBOTE_DATABASE_URL": db}
    await seed()
    secret_file = tmp_path / "portal.secret"
    secret_file.write_text(SECRET + "\n")  # as an editor saves it
    added = await heimbote(tmp_path, "stream", "subscribe", PORTAL,
                           "--secret-file", str(secret_file), "--json", **env)
    subscriber = added.json()
    assert isinstance(subscriber, dict)
    assert subscriber == {"id": subscriber["id"], "url": PORTAL, "delivered_seq": 0}
    assert (await StreamSubscriber.get(id=subscriber["id"])).secret == SECRET
    listed = (await heimbote(tmp_path, "stream", "subscribers", "--json", **env)).json()
    assert isinstance(listed, list) and listed[0]["head"] == 3
    assert SECRET not in str(listed)
    text = await heimbote(tmp_path, "stream", "subscribers", **env)
    assert f"{subscriber['id']}  {PORTAL}  delivered 0/3" in text.stdout

    secret_file.write_text("short\n")
    weak = await heimbote(tmp_path, "stream", "subscribe", "https://93.184.215.15/in",
                          "--secret-file", str(secret_file), **env)
    assert weak.returncode == 1 and weak.error_lines == [
        "heimbote: secret: must be 16-200 characters"]

    gone = await heimbote(tmp_path, "stream", "unsubscribe", str(subscriber["id"]), **env)
    assert gone.returncode == 0, gone.stderr
    assert (await heimbote(tmp_path, "stream", "subscribers", **env)).stdout == (
        "no subscribers\n")
    unknown = await heimbote(tmp_path, "stream", "unsubscribe", "999", **env)
    assert unknown.error_lines == ["heimbote: no subscriber 999"]


async def heimbote_reading(stdin: str, cwd: Path, *args: str, **env: str) -> Finished:
    """``python -m bot ARGS`` with ``stdin`` piped in, as ``… | heimbote`` would."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HEIMBOTE_")}
    process = await asyncio.create_subprocess_exec(
        *heimbote_command(*args), cwd=cwd, env={**clean, **env},
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(stdin.encode()), timeout=60)
    assert process.returncode is not None
    return Finished(process.returncode, stdout.decode(), stderr.decode())


async def test_the_secret_comes_from_stdin_never_the_command_line(
    db: str, tmp_path: Path
) -> None:
    env = {"HEIMBOTE_DATABASE_URL": db}
    added = await heimbote_reading(SECRET + "\n", tmp_path, "stream", "subscribe", PORTAL,
                                   "--secret-stdin", "--json", **env)
    subscriber = added.json()
    assert isinstance(subscriber, dict)
    assert (await StreamSubscriber.get(id=subscriber["id"])).secret == SECRET

    # On the command line the secret would show in the process list: not accepted any more.
    visible = await heimbote(tmp_path, "stream", "subscribe", "https://93.184.215.15/in",
                             "--secret", SECRET, **env)
    assert visible.returncode == 2 and "--secret" in visible.stderr
    neither = await heimbote(tmp_path, "stream", "subscribe", "https://93.184.215.15/in", **env)
    assert neither.returncode == 2 and "--secret-file" in neither.stderr
    missing = await heimbote(tmp_path, "stream", "subscribe", "https://93.184.215.15/in",
                             "--secret-file", str(tmp_path / "nowhere"), **env)
    assert missing.returncode == 1 and missing.error_lines[0].startswith(
        "heimbote: cannot read the secret file")
    empty = await heimbote_reading("", tmp_path, "stream", "subscribe",
                                   "https://93.184.215.15/in", "--secret-stdin", **env)
    assert empty.error_lines == ["heimbote: secret: must be 16-200 characters"]
    assert await StreamSubscriber.all().count() == 1


async def test_an_internal_target_is_a_clear_error_unless_allowed(
    db: str, tmp_path: Path
) -> None:
    env = {"HEIMBOTE_DATABASE_URL": db}
    secret_file = tmp_path / "portal.secret"
    secret_file.write_text(SECRET)
    metadata = await heimbote(tmp_path, "stream", "subscribe", "http://169.254.169.254/latest",
                              "--secret-file", str(secret_file), **env)
    assert metadata.returncode == 1 and metadata.error_lines == [
        "heimbote: url: 169.254.169.254 is a link-local address; pushing there is refused "
        "unless HEIMBOTE_PUSH_ALLOW_HOSTS names it"]
    allowed = await heimbote(tmp_path, "stream", "subscribe", "http://portal.lan.test:8080/in",
                             "--secret-file", str(secret_file),
                             HEIMBOTE_PUSH_ALLOW_HOSTS="portal.lan.test", **env)
    assert allowed.returncode == 0, allowed.stderr
    assert await StreamSubscriber.all().count() == 1
    mistyped = await heimbote(tmp_path, "stream", "subscribe", "http://10.0.0.5/in",
                              "--secret-file", str(secret_file),
                              HEIMBOTE_PUSH_ALLOW_HOSTS="http://10.0.0.5/", **env)
    assert mistyped.returncode == 2 and mistyped.error_lines[0].startswith(
        "heimbote: HEIMBOTE_PUSH_ALLOW_HOSTS: Value error, 'http://10.0.0.5/' is not a host name")
