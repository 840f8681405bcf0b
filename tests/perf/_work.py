"""One measurement in a fresh interpreter: ``python -m tests.perf._work TASK ARGS_JSON``.

Prints one JSON object. The parent (:mod:`tests.perf.__main__`) starts a process per
measurement, so imports, caches and peak memory never carry over from one to the next, and
``time.process_time()`` here counts this client's CPU only (the emulator serves from another
process).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any

__all__ = ["TASKS", "run"]

Args = dict[str, Any]

ICE_VERSION = "2020-11-09"


# --- import -----------------------------------------------------------------------------------


def import_time(args: Args) -> dict[str, Any]:
    """Seconds to run ``args["code"]`` (import statements) in this fresh interpreter."""
    started = time.perf_counter()
    exec(args["code"], {})
    return {"seconds": time.perf_counter() - started}


# --- the clients ------------------------------------------------------------------------------


def _ours(args: Args, **overrides: Any) -> Any:
    import voiceclone

    return voiceclone.Client(args["provider"], **args["settings"], **overrides)


def _ours_async(args: Args, **overrides: Any) -> Any:
    import voiceclone

    return voiceclone.AsyncClient(args["provider"], **args["settings"], **overrides)


def _huawei(args: Args) -> Any:
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.http.http_config import HttpConfig
    from huaweicloudsdkmetastudio.v1 import MetaStudioClient

    settings = args["settings"]
    config = HttpConfig.get_default_config()
    config.timeout = (5, 30)
    return (
        MetaStudioClient.new_builder()
        .with_http_config(config)
        .with_credentials(BasicCredentials(settings["ak"], settings["sk"], settings["project_id"]))
        .with_endpoints([settings["endpoint"]])
        .build()
    )


def _aliyun(args: Args) -> tuple[Any, Callable[..., dict[str, Any]]]:
    from aliyunsdkcore.client import AcsClient
    from aliyunsdkcore.request import CommonRequest

    settings = args["settings"]
    client = AcsClient(
        settings["access_key_id"], settings["access_key_secret"], "cn-shanghai", auto_retry=False
    )
    domain = settings["endpoint"].removeprefix("http://")

    def call(action: str, **params: Any) -> dict[str, Any]:
        request = CommonRequest(
            domain=domain, version=ICE_VERSION, action_name=action, product="ICE"
        )
        request.set_method("POST")
        request.set_protocol_type("http")
        for name, value in params.items():
            request.add_query_param(name, value)
        reply: dict[str, Any] = json.loads(client.do_action_with_exception(request))
        return reply

    return client, call


def _is_huawei(args: Args) -> bool:
    return str(args["provider"]).startswith("huawei")


# --- listing ----------------------------------------------------------------------------------


def list_ours(args: Args) -> dict[str, Any]:
    """Wall time for our sync client to list every job."""
    with _ours(args, max_concurrency=args["concurrency"]) as client:
        client.get_job(args["job_id"])  # connect and warm up, as a running program would be
        started, cpu = time.perf_counter(), time.process_time()
        count = sum(1 for _ in client.list_jobs())
        return {
            "seconds": time.perf_counter() - started,
            "cpu": time.process_time() - cpu,
            "jobs": count,
        }


def list_ours_async(args: Args) -> dict[str, Any]:
    """Wall time for our async client to list every job."""
    import asyncio

    async def main() -> dict[str, Any]:
        async with _ours_async(args, max_concurrency=args["concurrency"]) as client:
            await client.get_job(args["job_id"])
            started = time.perf_counter()
            count = 0
            async for _ in client.list_jobs():
                count += 1
            return {"seconds": time.perf_counter() - started, "jobs": count}

    return asyncio.run(main())


def list_official(args: Args) -> dict[str, Any]:
    """Wall time for the official SDK's page loop (what its docs show) over every job."""
    if _is_huawei(args):
        from huaweicloudsdkmetastudio.v1 import ListVoiceTrainingJobRequest

        client = _huawei(args)
        client.show_voice_training_job(_show_request(args["job_id"]))
        started = time.perf_counter()
        count = offset = 0
        while True:
            page = client.list_voice_training_job(
                ListVoiceTrainingJobRequest(offset=offset, limit=100)
            )
            count += len(page.jobs)
            offset += 100
            if offset >= page.count:
                break
        return {"seconds": time.perf_counter() - started, "jobs": count}
    _, call = _aliyun(args)
    call("GetCustomizedVoiceJob", JobId=args["job_id"])
    started = time.perf_counter()
    count = 0
    for edition in args["editions"]:  # ICE lists one Type per request (default: Basic only)
        page_no = 1
        while True:
            reply = call("ListCustomizedVoiceJobs", Type=edition, PageNo=page_no, PageSize=100)
            count += len(reply["Data"]["CustomizedVoiceJobList"])
            if page_no * 100 >= reply["Data"]["TotalCount"]:
                break
            page_no += 1
    return {"seconds": time.perf_counter() - started, "jobs": count}


def _show_request(job_id: str) -> Any:
    from huaweicloudsdkmetastudio.v1 import ShowVoiceTrainingJobRequest

    return ShowVoiceTrainingJobRequest(job_id=job_id)


# --- CPU per call -----------------------------------------------------------------------------


def _cpu(run: Callable[[str], Any], ids: list[str], calls: int) -> dict[str, Any]:
    for job_id in ids[:20]:  # warm up: connections, lazy imports, caches
        run(job_id)
    cpu, wall = time.process_time(), time.perf_counter()
    for index in range(calls):
        run(ids[index % len(ids)])
    return {
        "cpu_per_call": (time.process_time() - cpu) / calls,
        "wall_per_call": (time.perf_counter() - wall) / calls,
    }


def cpu_ours(args: Args) -> dict[str, Any]:
    """Client CPU per ``get_job`` (sync client), zero latency."""
    with _ours(args) as client:
        return _cpu(client.get_job, args["job_ids"], args["calls"])


def cpu_ours_async(args: Args) -> dict[str, Any]:
    """Client CPU per ``get_job`` (async client, one event loop), zero latency."""
    import asyncio

    async def main() -> dict[str, Any]:
        async with _ours_async(args) as client:
            ids, calls = args["job_ids"], args["calls"]
            for job_id in ids[:20]:
                await client.get_job(job_id)
            cpu, wall = time.process_time(), time.perf_counter()
            for index in range(calls):
                await client.get_job(ids[index % len(ids)])
            return {
                "cpu_per_call": (time.process_time() - cpu) / calls,
                "wall_per_call": (time.perf_counter() - wall) / calls,
            }

    return asyncio.run(main())


def cpu_official(args: Args) -> dict[str, Any]:
    """Client CPU per get-job call of the official SDK, zero latency."""
    if _is_huawei(args):
        client = _huawei(args)
        return _cpu(
            lambda job_id: client.show_voice_training_job(_show_request(job_id)),
            args["job_ids"],
            args["calls"],
        )
    _, call = _aliyun(args)
    return _cpu(
        lambda job_id: call("GetCustomizedVoiceJob", JobId=job_id), args["job_ids"], args["calls"]
    )


# --- memory -----------------------------------------------------------------------------------


def _rss_now() -> int:
    """Resident set size in bytes (Linux ``/proc``; elsewhere the peak so far)."""
    try:
        with open("/proc/self/statm") as statm:
            import os

            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return _rss_peak()


def _rss_peak() -> int:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def stream_rss(args: Args) -> dict[str, Any]:
    """Peak RSS growth while streaming every job (each job dropped once seen)."""
    with _ours(args) as client:
        client.get_job(args["job_id"])
        baseline = _rss_now()
        started = time.perf_counter()
        count = 0
        for job in client.list_jobs():
            count += job.job_id is not None
        return {
            "baseline": baseline,
            "peak": _rss_peak(),
            "jobs": count,
            "seconds": time.perf_counter() - started,
        }


# --- conversion -------------------------------------------------------------------------------


def convert(args: Args) -> dict[str, Any]:
    """Vendor job payloads converted to ``VoiceCloningJob`` per second, on this one core."""
    converter, payloads = _payloads(args["provider"], args["jobs"])
    rounds = max(1, args["conversions"] // len(payloads))
    best = float("inf")
    for _ in range(args["repeats"]):
        started = time.perf_counter()
        for _ in range(rounds):
            for payload in payloads:
                converter(payload)
        best = min(best, time.perf_counter() - started)
    return {"jobs_per_second": rounds * len(payloads) / best}


def _payloads(provider: str, count: int) -> tuple[Callable[[Any], Any], list[Any]]:
    """The adapter's job converter, and the job objects of real listing replies (sent through
    the adapter's own list calls to the in-process emulator)."""
    import httpx

    from voiceclone import JobQuery
    from voiceclone.adapter import ListRequest, NumberedWindow, OffsetWindow, PageNumber
    from voiceclone.testing import emulate

    with emulate(provider, jobs=count) as emulated:
        client = emulated.client()
        adapter = client.provider
        assert emulated.transport is not None
        http = httpx.Client(transport=emulated.transport)
        payloads: list[Any] = []
        for partition in adapter.list_partitions(JobQuery()) or [None]:
            for start in range(0, count, 100):
                window: Any = OffsetWindow(start, 100)
                if isinstance(adapter.capabilities.paging, PageNumber):
                    window = NumberedWindow(1 + start // 100, 100)
                call = adapter.list_jobs(
                    ListRequest(query=JobQuery(), window=window, partition=partition)
                )
                body = http.send(call.request, auth=adapter.auth).json()
                jobs = body["jobs"] if "jobs" in body else body["Data"]["CustomizedVoiceJobList"]
                if not jobs:
                    break
                payloads += jobs
    if provider.startswith("huawei"):
        from voiceclone_metastudio import job_from_wire

        return job_from_wire, payloads[:count]
    from voiceclone_ice._jobs import job_from_record

    return job_from_record, payloads[:count]


TASKS: dict[str, Callable[[Args], dict[str, Any]]] = {
    "import_time": import_time,
    "list_ours": list_ours,
    "list_ours_async": list_ours_async,
    "list_official": list_official,
    "cpu_ours": cpu_ours,
    "cpu_ours_async": cpu_ours_async,
    "cpu_official": cpu_official,
    "stream_rss": stream_rss,
    "convert": convert,
}


def run(task: str, args: Args) -> dict[str, Any]:
    """Run one task here (the parent uses a subprocess; the smoke test calls this directly)."""
    return TASKS[task](args)


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1], json.loads(sys.argv[2]))))
