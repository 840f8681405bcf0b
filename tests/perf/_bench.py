"""The benchmarks: each starts its emulator servers, runs its measurements in fresh
interpreters (:mod:`tests.perf._work`) and returns table rows with the DESIGN.md target."""

from __future__ import annotations

import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from typing import Any

import attrs

from tests.perf._serve import served

__all__ = ["BENCHMARKS", "Row", "Scale", "floor_seconds", "render", "work"]

VENDORS = ("huawei-metastudio", "alibaba-ice")
PAGE = 100  # both vendors' largest page size

OURS_IMPORT = "import voiceclone, voiceclone_metastudio, voiceclone_ice"
# Everything a first call needs: the adapters load their models, converters and signing lazily.
OURS_READY = OURS_IMPORT + "\nimport voiceclone_metastudio._provider, voiceclone_ice._adapter"
OFFICIAL_IMPORT = "import huaweicloudsdkmetastudio.v1, alibabacloud_ice20201109.client"
OFFICIAL_CORE_IMPORT = "import huaweicloudsdkmetastudio.v1, aliyunsdkcore.client"


@attrs.frozen
class Scale:
    """How big each benchmark is (``quick``: a smoke run on tiny inputs)."""

    import_runs: int = 7
    list_jobs: int = 10_000
    latency: float = 0.020
    concurrency: int = 8
    list_runs: int = 3
    cpu_calls: int = 1_000
    stream_jobs: int = 100_000
    convert_jobs: int = 5_000
    conversions: int = 200_000

    @classmethod
    def quick(cls) -> Scale:
        return cls(
            import_runs=1,
            list_jobs=250,
            latency=0.002,
            list_runs=1,
            cpu_calls=30,
            stream_jobs=500,
            convert_jobs=200,
            conversions=2_000,
        )

    def describe(self) -> str:
        return (
            f"imports: median of {self.import_runs} fresh interpreters; listing: "
            f"{self.list_jobs:,} jobs, {self.latency * 1000:g} ms injected latency, "
            f"concurrency {self.concurrency}, best of {self.list_runs}; CPU: {self.cpu_calls:,} "
            f"get_job calls; memory: {self.stream_jobs:,} jobs streamed; conversion: "
            f"best of 5 over {self.conversions:,} jobs; Python {sys.version.split()[0]}"
        )


@attrs.frozen
class Row:
    """One line of the table: a figure, what it is compared with, and the target."""

    name: str
    ours: str
    other: str
    ratio: float | None
    target: str
    met: bool | None


def work(task: str, args: dict[str, Any], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run one measurement of :mod:`tests.perf._work` in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.perf._work", task, json.dumps(args)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{task} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def _us(seconds: float) -> str:
    return f"{seconds * 1e6:,.0f} us"


def _short(vendor: str) -> str:
    return "huawei" if vendor.startswith("huawei") else "alibaba"


# --- import time ------------------------------------------------------------------------------


def _import_median(code: str, runs: int, env: dict[str, str]) -> float:
    work("import_time", {"code": code}, env)  # warm-up: compiles what is not cached yet
    return statistics.median(
        work("import_time", {"code": code}, env)["seconds"] for _ in range(runs)
    )


def bench_imports(scale: Scale) -> list[Row]:
    """Import times as installed: every module from cached bytecode, ours and the SDKs alike.

    pip compiles a package's bytecode when it installs it (the SDKs here were), but an
    editable install under ``PYTHONDONTWRITEBYTECODE`` recompiles our modules from source in
    every interpreter. So each measurement runs with a bytecode cache of its own
    (``PYTHONPYCACHEPREFIX``, filled by one warm-up run) for every module on both sides.
    """
    cache = tempfile.mkdtemp(prefix="voiceclone-bench-pyc-")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = cache
    try:
        ours = _import_median(OURS_IMPORT, scale.import_runs, env)
        ready = _import_median(OURS_READY, scale.import_runs, env)
        official = _import_median(OFFICIAL_IMPORT, scale.import_runs, env)
        core = _import_median(OFFICIAL_CORE_IMPORT, scale.import_runs, env)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    rows = []
    for name, mine in (
        ("import voiceclone + both adapters", ours),
        ("... + adapter modules", ready),
    ):
        for label, theirs in (("huawei + ice SDK", official), ("huawei + aliyunsdkcore", core)):
            ratio = mine / theirs
            rows.append(
                Row(
                    f"{name} / {label}",
                    _ms(mine),
                    _ms(theirs),
                    ratio,
                    "<= 0.20",
                    ratio <= 0.2,
                )
            )
    return rows


# --- listing ----------------------------------------------------------------------------------


def floor_seconds(pages: int, concurrency: int, latency: float) -> float:
    """The wall time of a perfect client: the first page, then the rest ``concurrency`` at a
    time, each costing exactly the latency."""
    return (1 + math.ceil((pages - 1) / concurrency)) * latency


def bench_listing(scale: Scale) -> list[Row]:
    rows = []
    for vendor in VENDORS:
        with served(vendor, scale.list_jobs, scale.latency) as server:
            args = {
                "provider": vendor,
                "settings": server["settings"],
                "job_id": server["job_ids"][0],
                "concurrency": scale.concurrency,
                "editions": sorted(server["editions"]),
            }
            pages = sum(math.ceil(n / PAGE) for n in server["editions"].values())
            floor = floor_seconds(pages, scale.concurrency, scale.latency)
            official = work("list_official", args)["seconds"]
            for task, label in (("list_ours", "sync"), ("list_ours_async", "async")):
                runs = [work(task, args) for _ in range(scale.list_runs)]
                if any(run["jobs"] != server["jobs"] for run in runs):
                    raise RuntimeError(f"{vendor} {label}: listed {runs}, not {server['jobs']}")
                best = min(run["seconds"] for run in runs)
                name = f"list {scale.list_jobs:,} {_short(vendor)} {label}"
                rows.append(
                    Row(
                        f"{name} / floor ({pages} pages)",
                        _ms(best),
                        _ms(floor),
                        best / floor,
                        "<= 1.25",
                        best / floor <= 1.25,
                    )
                )
                rows.append(
                    Row(
                        f"{name} / official page loop",
                        _ms(best),
                        _ms(official),
                        best / official,
                        "<= 0.10",
                        best / official <= 0.1,
                    )
                )
    return rows


# --- CPU per call -----------------------------------------------------------------------------


def bench_cpu(scale: Scale) -> list[Row]:
    rows = []
    for vendor in VENDORS:
        with served(vendor, 200, 0.0) as server:
            args = {
                "provider": vendor,
                "settings": server["settings"],
                "job_ids": server["job_ids"],
                "calls": scale.cpu_calls,
            }
            official = work("cpu_official", args)["cpu_per_call"]
            for task, label in (("cpu_ours", "sync"), ("cpu_ours_async", "async")):
                ours = work(task, args)["cpu_per_call"]
                rows.append(
                    Row(
                        f"CPU per get_job {_short(vendor)} {label} / official",
                        _us(ours),
                        _us(official),
                        ours / official,
                        "<= 0.50",
                        ours / official <= 0.5,
                    )
                )
    return rows


# --- memory -----------------------------------------------------------------------------------


def bench_memory(scale: Scale) -> list[Row]:
    rows = []
    for vendor in VENDORS:
        with served(vendor, scale.stream_jobs, 0.0) as server:
            args = {
                "provider": vendor,
                "settings": server["settings"],
                "job_id": server["job_ids"][0],
            }
            result = work("stream_rss", args)
            if result["jobs"] != server["jobs"]:
                raise RuntimeError(f"{vendor}: streamed {result['jobs']} of {server['jobs']}")
            growth = (result["peak"] - result["baseline"]) / 2**20
            rows.append(
                Row(
                    f"peak RSS growth, stream {scale.stream_jobs:,} {_short(vendor)}",
                    f"{growth:.1f} MB",
                    f"{result['baseline'] / 2**20:.0f} MB at start",
                    None,
                    "< 30 MB",
                    growth < 30,
                )
            )
    return rows


# --- conversion -------------------------------------------------------------------------------


def bench_convert(scale: Scale) -> list[Row]:
    rows = []
    for vendor in VENDORS:
        args = {
            "provider": vendor,
            "jobs": scale.convert_jobs,
            "conversions": scale.conversions,
            "repeats": 5,
        }
        rate = work("convert", args)["jobs_per_second"]
        rows.append(
            Row(
                f"payload -> VoiceCloningJob {_short(vendor)}",
                f"{rate:,.0f} jobs/s",
                "",
                None,
                ">= 100,000/s",
                rate >= 100_000,
            )
        )
    return rows


BENCHMARKS: dict[str, Callable[[Scale], list[Row]]] = {
    "imports": bench_imports,
    "listing": bench_listing,
    "cpu": bench_cpu,
    "memory": bench_memory,
    "convert": bench_convert,
}


def render(rows: list[Row], *, verdicts: bool = True) -> str:
    """The rows as a Markdown table."""
    head = ["measure", "ours", "compared with", "ratio", "target"] + (["met"] if verdicts else [])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        ratio = f"{row.ratio:.3f}" if row.ratio is not None else ""
        cells = [row.name, row.ours, row.other, ratio, row.target]
        if verdicts:
            cells.append({True: "yes", False: "**no**", None: ""}[row.met])
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
