"""The catalogue of every ``Call`` both built-in adapters can build, with a genuine reply each.

Each entry is one call of one adapter (neutral operations, and every vendor-only operation),
built with valid arguments against a seeded in-process emulator. Multi-request operations
(Alibaba create, submit, delete, find-by-voice-id) are driven against the emulator, and every
call they yield is in the catalogue. The emulator's reply to each call is kept as the
*template* the hostile-reply fuzzer mutates, so the fuzz stays close to real shapes.

``PUBLIC_CALL_METHODS`` lists what the catalogue must cover; a test checks it against the
adapters' classes, so a new operation that is not fuzzed fails the suite.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Generator, Iterator
from typing import Any

import attrs
import httpx

from voiceclone import JobQuery, NewJob, VoiceCloneError
from voiceclone.adapter import Call, ListRequest, NumberedWindow, OffsetWindow
from voiceclone.testing import emulate

HUAWEI = "huawei-metastudio"
ALIBABA = "alibaba-ice"
PROVIDERS = (HUAWEI, ALIBABA)

REQUEST_ID_HEADER = {HUAWEI: "X-Request-Id", ALIBABA: "x-acs-request-id"}
"""Where each vendor puts the request id in its reply headers."""


@attrs.frozen
class CallCase:
    """One call of one adapter, and the emulator's genuine reply to it."""

    provider: str
    name: str
    call: Call[Any]
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...]


Builder = Callable[[Any, dict[str, str]], Any]


def _metastudio_builders() -> dict[str, Builder]:
    from voiceclone_metastudio import CommitJobReq, CreateTrainingJobReq

    body = CreateTrainingJobReq(voice_name="Fuzz", sex="FEMALE", language="CN")
    return {
        "get_job": lambda p, c: p.get_job(c["job"]),
        "list_jobs": lambda p, c: p.list_jobs(ListRequest(JobQuery(), OffsetWindow(0, 10))),
        "create_job": lambda p, c: p.create_job(NewJob(voice_name="Fuzz", language="zh")),
        "submit_job": lambda p, c: p.submit_job(c["fresh"]),
        "delete_job": lambda p, c: p.delete_job(c["fresh2"]),
        "list_voice_training_job": lambda p, c: p.list_voice_training_job(offset=0, limit=5),
        "show_voice_training_job": lambda p, c: p.show_voice_training_job(c["job"]),
        "create_training_basic_job": lambda p, c: p.create_training_basic_job(body),
        "create_training_middle_job": lambda p, c: p.create_training_middle_job(body),
        "create_training_advance_job": lambda p, c: p.create_training_advance_job(body),
        "create_training_third_party_job": lambda p, c: p.create_training_third_party_job(body),
        "commit_voice_training_job": lambda p, c: p.commit_voice_training_job(
            c["fresh1"], CommitJobReq()
        ),
        "delete_voice_training_job": lambda p, c: p.delete_voice_training_job(c["victim"]),
        "show_job_audit_result": lambda p, c: p.show_job_audit_result(c["job"]),
        "show_job_uploading_address": lambda p, c: p.show_job_uploading_address(c["segment"]),
        "show_training_segment_info": lambda p, c: p.show_training_segment_info(c["segment"]),
        "confirm_training_segment": lambda p, c: p.confirm_training_segment(c["segment"], 0),
        "show_user_review_attachment_uploading_address": (
            lambda p, c: p.show_user_review_attachment_uploading_address(
                c["segment"], start_number=1, end_number=2
            )
        ),
        "list_job_operation_log": lambda p, c: p.list_job_operation_log(c["job"], limit=5),
        "set_job_batch_name": lambda p, c: p.set_job_batch_name("batch", [c["job"]]),
        "show_encrypt_file": lambda p, c: p.show_encrypt_file("tenant", c["job"], "once"),
        "show_voice_training_quotas": lambda p, c: p.show_voice_training_quotas(limit=5),
        "show_tenant_duration_cfg": lambda p, c: p.show_tenant_duration_cfg(),
        "create_short_job": lambda p, c: p.create_short_job("VOICE_ASSESS", "CN"),
        "commit_short_job": lambda p, c: p.commit_short_job(c["short"]),
        "show_short_job": lambda p, c: p.show_short_job(c["short"]),
    }


def _ice_builders() -> dict[str, Builder]:
    return {
        "get_job": lambda p, c: p.get_job(c["job"]),
        "list_jobs": lambda p, c: p.list_jobs(ListRequest(JobQuery(), NumberedWindow(1, 10))),
        "list_jobs[CosyVoice]": lambda p, c: p.list_jobs(
            ListRequest(JobQuery(), NumberedWindow(1, 10), partition="CosyVoice")
        ),
        "create_job": lambda p, c: p.create_job(
            NewJob(voice_name="Fuzz", gender="female", voice_id="fuzzvoice1")
        ),
        "create_job[Standard]": lambda p, c: p.create_job(
            NewJob(
                voice_name="Fuzz",
                gender="female",
                edition="Standard",
                options={"Audios": "media1", "Authentication": "media2"},
            )
        ),
        "create_job[CosyVoice]": lambda p, c: p.create_job(
            NewJob(voice_name="Fuzz", edition="CosyVoice", options={"Audios": "media1"})
        ),
        "submit_job": lambda p, c: p.submit_job(c["fresh"]),
        "delete_job": lambda p, c: p.delete_job(c["fresh2"]),
        "find_job_by_voice_id": lambda p, c: p.find_job_by_voice_id("neverusedvoice"),
        "create_customized_voice_job": lambda p, c: p.create_customized_voice_job(
            "fuzzvoice2", "male"
        ),
        "get_demonstration_for_customized_voice_job": (
            lambda p, c: p.get_demonstration_for_customized_voice_job()
        ),
        "detect_audio_for_customized_voice_job": (
            lambda p, c: p.detect_audio_for_customized_voice_job(
                c["fresh_voice1"], 1, "https://example.com/a.wav"
            )
        ),
        "submit_customized_voice_job": lambda p, c: p.submit_customized_voice_job(
            c["fresh_voice1"]
        ),
        "submit_standard_customized_voice_job": (
            lambda p, c: p.submit_standard_customized_voice_job(["m1", "m2"], "m3", "female")
        ),
        "submit_cosy_voice_customized_voice_job": (
            lambda p, c: p.submit_cosy_voice_customized_voice_job("m1")
        ),
        "get_customized_voice_job": lambda p, c: p.get_customized_voice_job(c["job"]),
        "list_customized_voice_jobs": lambda p, c: p.list_customized_voice_jobs(1, 5, "Basic"),
        "delete_customized_voice_job": lambda p, c: p.delete_customized_voice_job(c["victim"]),
        "get_customized_voice": lambda p, c: p.get_customized_voice(c["voice"]),
        "list_customized_voices": lambda p, c: p.list_customized_voices(1, 5),
        "update_customized_voice": lambda p, c: p.update_customized_voice(c["voice"], "media9"),
    }


BUILDERS: dict[str, Callable[[], dict[str, Builder]]] = {
    HUAWEI: _metastudio_builders,
    ALIBABA: _ice_builders,
}


def provider_class(provider: str) -> type[Any]:
    """The adapter class of ``provider``."""
    if provider == HUAWEI:
        from voiceclone_metastudio import MetaStudioProvider

        return MetaStudioProvider
    from voiceclone_ice._adapter import IceProvider

    return IceProvider


def public_call_methods(provider: str) -> set[str]:
    """The public methods of the adapter class that build calls or operations."""
    names = set()
    for name, function in inspect.getmembers(provider_class(provider), inspect.isfunction):
        annotation = str(inspect.signature(function).return_annotation)
        if not name.startswith("_") and any(
            word in annotation for word in ("Call[", "Operation[", "Generator[")
        ):
            names.add(name)
    return names


def _make(http: httpx.Client, adapter: Any, call: Call[Any]) -> Any:
    return call.parse(http.send(call.request, auth=adapter.auth))


def _context(provider: str, emulator: Any, http: httpx.Client, adapter: Any) -> dict[str, str]:
    """Ids for the builders: a trained job, fresh jobs (one per mutating call), a victim to
    delete, and (Huawei) a segment-upload job and a short job."""
    records = emulator.jobs()
    if provider == HUAWEI:
        from voiceclone_metastudio import CreateTrainingJobReq

        body = CreateTrainingJobReq(voice_name="Ctx", sex="MALE", create_type="SEGMENT")
        fresh = [
            _make(http, adapter, adapter.create_training_basic_job(body)).job_id for _ in range(4)
        ]
        short = _make(http, adapter, adapter.create_short_job()).job_id
        done = sorted(i for i, r in records.items() if r.get("state") == "SUCCEED")
        return {
            "job": done[0],
            "fresh": fresh[0],
            "fresh1": fresh[1],
            "fresh2": fresh[2],
            "segment": fresh[3],
            "victim": done[1],
            "short": short,
        }
    fresh = [
        _make(http, adapter, adapter.create_customized_voice_job(f"ctxvoice{n}", "female")).job_id
        for n in range(4)
    ]
    done = sorted(
        i for i, r in records.items() if r.get("Status") == "Success" and r.get("Type") == "Basic"
    )
    return {
        "job": done[0],
        "voice": str(records[done[0]]["VoiceId"]),
        "fresh": fresh[0],
        "fresh1": fresh[1],
        "fresh2": fresh[2],
        "fresh_voice1": "ctxvoice1",
        "victim": fresh[3],
    }


def _calls_of(op: Any, http: httpx.Client, auth: httpx.Auth) -> Iterator[tuple[Call[Any], Any]]:
    """Each call of ``op`` (a Call or an operation) with the emulator's reply to it."""
    if isinstance(op, Call):
        yield op, http.send(op.request, auth=auth)
        return
    assert isinstance(op, Generator)
    result: Any = None
    error: VoiceCloneError | None = None
    for _ in range(6):
        try:
            call = op.throw(error) if error is not None else op.send(result)
        except (StopIteration, VoiceCloneError):
            return
        response = http.send(call.request, auth=auth)
        yield call, response
        result, error = None, None
        try:
            result = call.parse(response)
        except VoiceCloneError as exc:
            error = exc


def catalogue(provider: str) -> list[CallCase]:
    """Every call of ``provider``'s adapter, each with a genuine emulator reply."""
    from voiceclone import resolve_provider

    cases: list[CallCase] = []
    with emulate(provider, jobs=60, seed=11) as emulated:
        adapter = resolve_provider(provider).create(**emulated.settings())
        with httpx.Client(transport=emulated.transport) as http:
            context = _context(provider, emulated.emulator, http, adapter)
            for name, build in BUILDERS[provider]().items():
                for step, (call, response) in enumerate(
                    _calls_of(build(adapter, context), http, adapter.auth)
                ):
                    label = name if step == 0 else f"{name}#{step}:{call.name}"
                    body = response.read()
                    headers = tuple(response.headers.multi_items())
                    cases.append(
                        CallCase(provider, label, call, response.status_code, body, headers)
                    )
    return cases
