"""The command handlers: each takes the parsed arguments and a :class:`Console` and returns an
exit code. Errors propagate as exceptions; ``main`` reports them and picks the exit code.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, TextIO

import attrs

from voiceclone._cli._compare import Summary, summarize, write_comparison
from voiceclone._cli._connect import open_client, resolve
from voiceclone._cli._output import write_created, write_job, write_jobs, write_providers
from voiceclone._cli._parser import UsageError
from voiceclone._cli._progress import Progress
from voiceclone._cli._text import Palette, status_words, supports_colour
from voiceclone._errors import JobFailedError, VoiceCloneError, WaitTimeoutError
from voiceclone._models import JobQuery, NewJob, VoiceCloningJob
from voiceclone._provider import ProviderSpec
from voiceclone._registry import providers

if TYPE_CHECKING:
    from voiceclone import Client

__all__ = ["COMMANDS", "Console", "compare_clients"]


@attrs.frozen
class Console:
    """Where a command writes and what it reads: the streams, the environment, the colours."""

    out: TextIO
    err: TextIO
    environ: Mapping[str, str]

    @property
    def palette(self) -> Palette:
        """Colours for stdout: only on a colour terminal, never with ``NO_COLOR``."""
        return Palette(supports_colour(self.out, self.environ))

    @property
    def err_palette(self) -> Palette:
        """Colours for stderr, on the same rule."""
        return Palette(supports_colour(self.err, self.environ))

    def say(self, text: str) -> None:
        """A line for the person running the command, on stdout."""
        self.out.write(text + "\n")
        self.out.flush()

    def note(self, text: str) -> None:
        """A side note (progress, status changes) on stderr."""
        self.err.write(text + "\n")
        self.err.flush()


def _client(args: argparse.Namespace, console: Console, spec: ProviderSpec | None = None) -> Client:
    return open_client(
        spec or resolve(args.provider),
        endpoint=args.endpoint,
        region=args.region,
        project_id=args.project_id,
        environ=console.environ,
    )


def cmd_providers(args: argparse.Namespace, console: Console) -> int:
    """``voiceclone providers``."""
    write_providers(providers(), args.format, console.out, console.palette)
    return 0


def _query(args: argparse.Namespace) -> JobQuery:
    since, until = args.created_since, args.created_until
    if since is not None and until is not None and since > until:
        raise UsageError("argument --created-since: must not be later than --created-until")
    return JobQuery(
        statuses=list(itertools.chain.from_iterable(args.status)),
        edition=args.edition,
        created_since=since,
        created_until=until,
        voice_name=args.voice_name,
    )


def cmd_jobs_list(args: argparse.Namespace, console: Console) -> int:
    """``voiceclone jobs list``: a window with ``--offset``/``--limit``, else every job."""
    query = _query(args)
    with _client(args, console) as client:
        if args.offset is not None or args.limit is not None:
            page = client.get_page(offset=args.offset or 0, limit=args.limit or 20, query=query)
            write_jobs(page.items, args.format, console.out, console.palette)
            if args.format == "table":
                console.say(_window_footer(page.offset, len(page.items), page.total))
            return 0
        progress = Progress(console.err, f"listing {client_name(args)}")
        count = write_jobs(
            progress.track(client.list_jobs(query)), args.format, console.out, console.palette
        )
        if args.format == "table":
            console.say(f"{count} job{'' if count == 1 else 's'}")
    return 0


def client_name(args: argparse.Namespace) -> str:
    """The provider as the user typed it."""
    return str(args.provider)


def _window_footer(offset: int, shown: int, total: int | None) -> str:
    if shown == 0:
        return f"no jobs at offset {offset}" + (f" (total {total})" if total is not None else "")
    of_total = f" of {total}" if total is not None else ""
    return f"jobs {offset + 1}-{offset + shown}{of_total}"


def cmd_jobs_get(args: argparse.Namespace, console: Console) -> int:
    """``voiceclone jobs get``."""
    with _client(args, console) as client:
        job = client.get_job(args.job_id)
    write_job(job, args.format, console.out, console.palette)
    return 0


def cmd_jobs_create(args: argparse.Namespace, console: Console) -> int:
    """``voiceclone jobs create``: validate the new job before connecting, then create it."""
    new = NewJob(
        voice_name=args.voice_name,
        gender=args.gender,
        language=args.language,
        edition=args.edition,
        description=args.description,
        voice_id=args.voice_id,
        options=dict(args.option),
    )
    with _client(args, console) as client:
        created = client.create_job(new)
    write_created(
        created, args.format, console.out, console.palette, show_urls=args.show_upload_urls
    )
    return 0


def _acknowledge(args: argparse.Namespace, console: Console, done: str) -> None:
    if args.format == "json":
        import json

        data = {"provider": resolve(args.provider).id, "job_id": args.job_id, "result": done}
        console.say(json.dumps(data))
    else:
        console.say(f"{done} job {args.job_id} on {resolve(args.provider).id}")


def cmd_jobs_submit(args: argparse.Namespace, console: Console) -> int:
    """``voiceclone jobs submit``."""
    with _client(args, console) as client:
        client.submit_job(args.job_id)
    _acknowledge(args, console, "submitted")
    return 0


def cmd_jobs_delete(args: argparse.Namespace, console: Console) -> int:
    """``voiceclone jobs delete``."""
    with _client(args, console) as client:
        client.delete_job(args.job_id)
    _acknowledge(args, console, "deleted")
    return 0


def status_line(job: VoiceCloningJob, palette: Palette) -> str:
    """One status change, for stderr: ``JOB_ID  training (PROCESSING)``."""
    words = palette.status(status_words(job.status), job.status)
    return f"{job.job_id}  {words} ({job.raw_status})"


def cmd_jobs_wait(args: argparse.Namespace, console: Console) -> int:
    """``voiceclone jobs wait``: status changes on stderr, the final job on stdout.

    Exit 0 when the job succeeds; a failure or the deadline is an error (exit 1), reported
    after the last state seen is printed.
    """
    palette = console.err_palette
    with _client(args, console) as client:
        try:
            job = client.wait_for_job(
                args.job_id,
                timeout=args.timeout,
                interval=args.interval,
                on_change=lambda job: console.note(status_line(job, palette)),
            )
        except (JobFailedError, WaitTimeoutError) as exc:
            if exc.job is not None:
                write_job(exc.job, args.format, console.out, console.palette)
            raise
    write_job(job, args.format, console.out, console.palette)
    return 0


def compare_clients(
    clients: Mapping[str, Client], *, on_error: Callable[[str, VoiceCloneError], None]
) -> list[Summary]:
    """Summarise every provider's jobs, listing them concurrently; providers that fail are
    reported through ``on_error`` and left out."""

    def one(item: tuple[str, Client]) -> Summary | VoiceCloneError:
        name, client = item
        try:
            return summarize(name, client.list_jobs())
        except VoiceCloneError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=max(1, len(clients))) as pool:
        results = list(pool.map(one, clients.items()))
    summaries: list[Summary] = []
    for name, result in zip(clients, results, strict=True):
        if isinstance(result, VoiceCloneError):
            on_error(name, result)
        else:
            summaries.append(result)
    return summaries


def cmd_compare(args: argparse.Namespace, console: Console) -> int:
    """``voiceclone compare``: every named provider (default: every installed one)."""
    specs = _unique(resolve(name) for name in args.providers) if args.providers else providers()
    if not specs:
        raise UsageError("no provider is installed")
    failed: list[str] = []

    def report(name: str, error: VoiceCloneError) -> None:
        failed.append(name)
        console.note(f"error: {name}: {' '.join(str(error).split())}")

    clients: dict[str, Client] = {}
    try:
        for spec in specs:
            try:
                clients[spec.id] = _client(args, console, spec)
            except VoiceCloneError as exc:
                if len(specs) == 1 or args.providers:
                    raise
                report(spec.id, exc)
        summaries = compare_clients(clients, on_error=report)
    finally:
        for client in clients.values():
            client.close()
    if summaries:
        write_comparison(summaries, args.format, console.out, console.palette)
    return 1 if failed else 0


def _unique(specs: Iterable[ProviderSpec]) -> list[ProviderSpec]:
    seen: dict[str, ProviderSpec] = {}
    for spec in specs:
        seen.setdefault(spec.id, spec)
    return list(seen.values())


def cmd_emulator(args: argparse.Namespace, console: Console) -> int:
    """``voiceclone emulator``: serve every installed vendor emulator until interrupted."""
    from voiceclone import testing

    if not testing.is_loopback(args.host):
        raise UsageError(
            f"argument --host: {args.host!r} is not a loopback address; the emulators accept "
            "published credentials over plain HTTP, so they only bind 127.0.0.1, ::1 or localhost"
        )
    try:
        return testing.run_emulator_command(
            host=args.host, port=args.port, jobs=args.jobs, faults=args.faults, out=console.out
        )
    except OSError as exc:
        raise VoiceCloneError(
            f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}"
        ) from exc


def cmd_demo(args: argparse.Namespace, console: Console) -> int:
    """``voiceclone demo``."""
    from voiceclone._cli._demo import run_demo

    return run_demo(console, jobs=args.jobs, providers=args.providers)


COMMANDS: dict[str, Callable[[argparse.Namespace, Console], int]] = {
    "providers": cmd_providers,
    "jobs_list": cmd_jobs_list,
    "jobs_get": cmd_jobs_get,
    "jobs_create": cmd_jobs_create,
    "jobs_submit": cmd_jobs_submit,
    "jobs_delete": cmd_jobs_delete,
    "jobs_wait": cmd_jobs_wait,
    "compare": cmd_compare,
    "emulator": cmd_emulator,
    "demo": cmd_demo,
}
"""Handler by the ``command`` value the parser sets."""
