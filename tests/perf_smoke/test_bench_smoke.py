"""Each benchmark measurement runs on a tiny input (no timings asserted: figures are
``make bench``'s business). Keeps ``tests/perf`` from rotting between benchmark runs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.perf._bench import floor_seconds, render
from tests.perf._serve import served
from tests.perf._work import run

pytest.importorskip("huaweicloudsdkmetastudio")
pytest.importorskip("aliyunsdkcore")

VENDORS = ("huawei-metastudio", "alibaba-ice")


@pytest.fixture(scope="module", params=VENDORS)
def server(request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    with served(request.param, 120) as info:
        yield info


def _args(server: dict[str, Any]) -> dict[str, Any]:
    return {
        "provider": server["provider"],
        "settings": server["settings"],
        "job_id": server["job_ids"][0],
        "job_ids": server["job_ids"][:5],
        "calls": 3,
        "concurrency": 4,
        "editions": sorted(server["editions"]),
    }


@pytest.mark.parametrize("task", ["list_ours", "list_ours_async", "list_official", "stream_rss"])
def test_every_lister_sees_every_job(server: dict[str, Any], task: str) -> None:
    assert run(task, _args(server))["jobs"] == server["jobs"] == 120


@pytest.mark.parametrize("task", ["cpu_ours", "cpu_ours_async", "cpu_official"])
def test_cpu_per_call_is_measured(server: dict[str, Any], task: str) -> None:
    assert run(task, _args(server))["cpu_per_call"] > 0


@pytest.mark.parametrize("provider", VENDORS)
def test_conversion_rate_is_measured(provider: str) -> None:
    args = {"provider": provider, "jobs": 150, "conversions": 300, "repeats": 1}
    assert run("convert", args)["jobs_per_second"] > 0


def test_floor_is_first_page_then_rounds_of_concurrent_pages() -> None:
    assert floor_seconds(1, 8, 0.02) == pytest.approx(0.02)
    assert floor_seconds(100, 8, 0.02) == pytest.approx(0.28)  # 1 + ceil(99 / 8) = 14 rounds
    assert floor_seconds(9, 8, 0.02) == pytest.approx(0.04)


def test_import_time_runs_the_code() -> None:
    assert run("import_time", {"code": "import json"})["seconds"] >= 0
    assert "| measure |" in render([])
