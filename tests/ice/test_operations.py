"""Neutral create/submit/delete, the Basic create recovery, the vendor calls, the factory."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

import voiceclone
from voiceclone import (
    ConflictError,
    JobStatus,
    NewJob,
    NotFoundError,
    ProviderError,
    ValidationError,
)
from voiceclone.adapter import Call
from voiceclone_ice import PROVIDER
from voiceclone_ice._wire import AudioDetection, CustomizedVoice, Demonstration


def _job(job_id: str, status: str, type_: str = "Basic", **fields: Any) -> dict[str, Any]:
    row = {"JobId": job_id, "VoiceId": "xiaozhuan", "Status": status, "Type": type_}
    row.update(fields)
    return row


class Script:
    """A fake service answering by action, recording every request's parameters."""

    def __init__(self, params_of: Any, **answers: Any) -> None:
        self.params_of = params_of
        self.answers = answers
        self.seen: list[dict[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        params = self.params_of(request)
        self.seen.append(params)
        answer = self.answers[params["Action"]]
        return answer(params) if callable(answer) else answer

    def actions(self) -> list[str]:
        return [params["Action"] for params in self.seen]


def test_basic_create_sends_the_documented_parameters(
    provider: Any, run: Any, ok: Any, params_of: Any
) -> None:
    script = Script(params_of, CreateCustomizedVoiceJob=ok({"JobId": "j1", "VoiceId": "gentle01"}))
    new = NewJob(
        voice_name="温柔",
        gender="female",
        voice_id="gentle01",
        description="soft",
        options={"Scenario": "navigation"},
    )
    created = run(provider.create_job(new), script)
    sent = script.seen[0]
    assert (sent["VoiceId"], sent["Gender"], sent["Scenario"]) == (
        "gentle01",
        "female",
        "navigation",
    )
    assert (sent["VoiceName"], sent["VoiceDesc"]) == ("温柔", "soft")
    job = created.job
    assert (job.job_id, job.voice_id, job.edition) == ("j1", "gentle01", "Basic")
    assert job.status is JobStatus.CREATED and job.raw_status == "Initialization"


def test_basic_create_generates_a_valid_voice_id(
    provider: Any, run: Any, ok: Any, params_of: Any
) -> None:
    script = Script(
        params_of, CreateCustomizedVoiceJob=lambda p: ok({"JobId": "j1", "VoiceId": p["VoiceId"]})
    )
    created = run(provider.create_job(NewJob(voice_name="x", gender="male")), script)
    voice_id = script.seen[0]["VoiceId"]
    assert re.fullmatch(r"[A-Za-z0-9]{1,32}", voice_id) and script.seen[0]["Scenario"] == "story"
    assert created.job.voice_id == voice_id


def test_standard_and_cosyvoice_create_submit_at_once(
    provider: Any, run: Any, ok: Any, params_of: Any
) -> None:
    script = Script(
        params_of,
        SubmitStandardCustomizedVoiceJob=ok({"JobId": "s1"}),
        SubmitCosyVoiceCustomizedVoiceJob=ok({"JobId": "c1", "VoiceId": "cosy-abc"}),
    )
    standard = NewJob(
        voice_name="n",
        edition="standard",
        options={
            "Audios": ["m1", "m2"],
            "Authentication": "auth1",
            "DemoAudioMediaURL": "https://o/x.wav",
        },
    )
    created = run(provider.create_job(standard), script)
    assert script.seen[0]["Audios"] == "m1,m2" and script.seen[0]["Authentication"] == "auth1"
    assert created.job.edition == "Standard" and created.job.status is JobStatus.PREPROCESSING
    cosy = NewJob(
        voice_name="n",
        gender="male",
        edition="CosyVoice",
        options={"Audios": "m9", "Model": "cosyvoice-v3-plus"},
    )
    created = run(provider.create_job(cosy), script)
    assert script.seen[1]["Model"] == "cosyvoice-v3-plus" and script.seen[1]["Gender"] == "male"
    assert created.job.voice_id == "cosy-abc" and created.job.raw_status == "PreTraining"


@pytest.mark.parametrize(
    ("new", "field"),
    [
        (NewJob(voice_name="n"), "gender"),
        (NewJob(voice_name="n", gender="female", voice_id="has space"), "voice_id"),
        (NewJob(voice_name="n", gender="female", voice_id="x" * 33), "voice_id"),
        (NewJob(voice_name="n" * 33, gender="female"), "voice_name"),
        (
            NewJob(voice_name="n", gender="female", options={"Scenario": "opera"}),
            "options.Scenario",
        ),
        (NewJob(voice_name="n", gender="female", options={"Audios": "m"}), "options.Audios"),
        (NewJob(voice_name="n", gender="female", language="en"), "language"),
        (NewJob(voice_name="n", edition="Premium"), "edition"),
        (
            NewJob(voice_name="n", edition="Standard", options={"Audios": "m"}),
            "options.Authentication",
        ),
        (
            NewJob(
                voice_name="n",
                edition="Standard",
                voice_id="abc",
                options={"Audios": "m", "Authentication": "a"},
            ),
            "voice_id",
        ),
        (
            NewJob(voice_name="n", edition="CosyVoice", options={"Audios": "m1,m2"}),
            "options.Audios",
        ),
        (
            NewJob(voice_name="n", edition="CosyVoice", options={"Audios": "m", "Model": "gpt"}),
            "options.Model",
        ),
        (
            NewJob(voice_name="n", edition="CosyVoice", description="d", options={"Audios": "m"}),
            "description",
        ),
    ],
)
def test_create_validates_before_any_request(provider: Any, new: NewJob, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        provider.create_job(new)
    assert caught.value.field == field and caught.value.provider == "alibaba-ice"


def test_basic_create_is_recovered_when_the_voice_id_is_already_ours(
    provider: Any, run: Any, ok: Any, fail: Any, params_of: Any
) -> None:
    mine = _job(
        "j7",
        "Initialization",
        VoiceId="gentle01",
        VoiceName="n",
        Gender="female",
        Scenario="story",
        CreateTime="2024-01-01T00:00:00Z",
    )
    script = Script(
        params_of,
        CreateCustomizedVoiceJob=fail(400, "InvalidParameter.VoiceIdExists"),
        ListCustomizedVoiceJobs=ok({"CustomizedVoiceJobList": [mine], "TotalCount": 1}),
    )
    operation = provider.create_job(NewJob(voice_name="n", gender="female", voice_id="gentle01"))
    first = next(operation)
    assert isinstance(first, Call) and first.safe_to_repeat
    operation.close()
    created = run(
        provider.create_job(NewJob(voice_name="n", gender="female", voice_id="gentle01")), script
    )
    assert created.job.job_id == "j7" and script.actions()[-1] == "ListCustomizedVoiceJobs"
    assert script.seen[-1]["Type"] == "Basic"


def test_basic_create_conflict_with_someone_elses_job_is_raised(
    provider: Any, run: Any, ok: Any, fail: Any, params_of: Any
) -> None:
    theirs = _job("j8", "Success", VoiceId="gentle01", VoiceName="other", Gender="male")
    script = Script(
        params_of,
        CreateCustomizedVoiceJob=fail(400, "InvalidParameter.VoiceIdExists"),
        ListCustomizedVoiceJobs=ok({"CustomizedVoiceJobList": [theirs], "TotalCount": 1}),
    )
    with pytest.raises(ConflictError):
        run(
            provider.create_job(NewJob(voice_name="n", gender="female", voice_id="gentle01")),
            script,
        )


def test_submit_looks_the_voice_id_up_then_submits(
    provider: Any, run: Any, ok: Any, params_of: Any
) -> None:
    script = Script(
        params_of,
        GetCustomizedVoiceJob=ok({"CustomizedVoiceJob": _job("j1", "Initialization")}),
        SubmitCustomizedVoiceJob=ok({"JobId": "j1", "VoiceId": "xiaozhuan"}),
    )
    assert run(provider.submit_job("j1"), script) is None
    assert script.actions() == ["GetCustomizedVoiceJob", "SubmitCustomizedVoiceJob"]
    assert script.seen[1]["VoiceId"] == "xiaozhuan"


@pytest.mark.parametrize(
    ("status", "type_"),
    [
        ("Training", "Basic"),
        ("Success", "Basic"),
        ("PreTraining", "Standard"),
        ("Initialization", "CosyVoice"),
    ],
)
def test_submit_refuses_jobs_already_submitted(
    provider: Any, run: Any, ok: Any, params_of: Any, status: str, type_: str
) -> None:
    script = Script(
        params_of, GetCustomizedVoiceJob=ok({"CustomizedVoiceJob": _job("j1", status, type_)})
    )
    with pytest.raises(ConflictError):
        run(provider.submit_job("j1"), script)
    assert script.actions() == ["GetCustomizedVoiceJob"]


def test_delete_checks_the_state_and_tolerates_a_repeat(
    provider: Any, run: Any, ok: Any, fail: Any, params_of: Any
) -> None:
    script = Script(
        params_of,
        GetCustomizedVoiceJob=ok({"CustomizedVoiceJob": _job("j1", "Fail")}),
        DeleteCustomizedVoiceJob=fail(404, "ResourceNotFound"),
    )
    assert run(provider.delete_job("j1"), script) is None  # gone already: done
    assert script.actions() == ["GetCustomizedVoiceJob", "DeleteCustomizedVoiceJob"]
    training = Script(
        params_of, GetCustomizedVoiceJob=ok({"CustomizedVoiceJob": _job("j1", "Training")})
    )
    with pytest.raises(ConflictError):
        run(provider.delete_job("j1"), training)
    missing = Script(params_of, GetCustomizedVoiceJob=fail(404, "ResourceNotFound"))
    with pytest.raises(NotFoundError):
        run(provider.delete_job("nope"), missing)


def test_get_job_maps_the_record(provider: Any, run: Any, ok: Any, params_of: Any) -> None:
    script = Script(
        params_of,
        GetCustomizedVoiceJob=ok(
            {
                "CustomizedVoiceJob": _job(
                    "j1", "Fail", Message="训练失败", CreateTime="2023-06-07T02:27:08Z"
                )
            }
        ),
    )
    job = run(provider.get_job("j1"), script)
    assert script.seen[0]["JobId"] == "j1"
    assert job.status is JobStatus.FAILED and job.failure.message == "训练失败"
    assert job.created_at.isoformat() == "2023-06-07T02:27:08+00:00"


def test_the_vendor_calls_cover_all_twelve_actions(
    provider: Any, run: Any, ok: Any, params_of: Any
) -> None:
    voice = {"VoiceId": "xiaozhuan", "VoiceName": "小专", "DemoAudioMediaId": "m", "Type": "Basic"}
    script = Script(
        params_of,
        CreateCustomizedVoiceJob=ok({"JobId": "j", "VoiceId": "xiaozhuan"}),
        GetDemonstrationForCustomizedVoiceJob=ok(
            {
                "DemonstrationList": [
                    {"AudioId": 1, "Text": "今天天气很好", "DemoAudio": "https://oss/x?Signature=s"}
                ]
            }
        ),
        DetectAudioForCustomizedVoiceJob=ok({"Pass": False, "Reason": "发音错误"}),
        SubmitCustomizedVoiceJob=ok({"JobId": "j", "VoiceId": "xiaozhuan"}),
        SubmitStandardCustomizedVoiceJob=ok({"JobId": "s"}),
        SubmitCosyVoiceCustomizedVoiceJob=ok({"JobId": "c", "VoiceId": "cv"}),
        GetCustomizedVoiceJob=ok({"CustomizedVoiceJob": _job("j", "Training")}),
        ListCustomizedVoiceJobs=ok(
            {"CustomizedVoiceJobList": [_job("j", "Success")], "TotalCount": 1}
        ),
        DeleteCustomizedVoiceJob=ok(),
        GetCustomizedVoice=ok({"CustomizedVoice": voice}),
        ListCustomizedVoices=ok({"CustomizedVoiceList": [voice], "TotalCount": 1}),
        UpdateCustomizedVoice=ok(),
    )
    p = provider
    assert run(p.create_customized_voice_job("xiaozhuan", "female"), script).job_id == "j"
    demos = run(p.get_demonstration_for_customized_voice_job("story"), script)
    assert demos == (Demonstration(1, "今天天气很好", "https://oss/x?Signature=s"),)
    assert "Signature=s" not in repr(demos)
    detection = run(
        p.detect_audio_for_customized_voice_job("xiaozhuan", 1, "https://o/1.wav"), script
    )
    assert detection == AudioDetection(passed=False, reason="发音错误")
    assert run(p.submit_customized_voice_job("xiaozhuan"), script).voice_id == "xiaozhuan"
    assert run(p.submit_standard_customized_voice_job(["a", "b"], "auth"), script).job_id == "s"
    assert run(p.submit_cosy_voice_customized_voice_job("a"), script).voice_id == "cv"
    assert run(p.get_customized_voice_job("j"), script).status == "Training"
    assert run(p.list_customized_voice_jobs(type="Standard"), script).total_count == 1
    assert run(p.delete_customized_voice_job("j"), script).request_id == "req-1"
    assert run(p.get_customized_voice("xiaozhuan"), script) == CustomizedVoice(
        "xiaozhuan", "小专", demo_audio_media_id="m", type="Basic"
    )
    assert run(p.list_customized_voices(page_size=100), script).voices[0].voice_id == "xiaozhuan"
    assert run(p.update_customized_voice("xiaozhuan", "m2"), script).request_id == "req-1"
    assert len(set(script.actions())) == 12
    assert script.seen[2]["AudioRecordId"] == "1"
    assert script.seen[-1]["DemoAudioMediaId"] == "m2"


def test_vendor_calls_validate_and_reject_malformed_data(
    provider: Any, run: Any, ok: Any, params_of: Any
) -> None:
    with pytest.raises(ValidationError):
        provider.detect_audio_for_customized_voice_job("xiaozhuan", 21, "https://o/1.wav")
    with pytest.raises(ValidationError):
        provider.get_demonstration_for_customized_voice_job("song")
    script = Script(params_of, DetectAudioForCustomizedVoiceJob=ok({"Pass": "yes"}))
    with pytest.raises(voiceclone.ProviderResponseError) as caught:
        run(provider.detect_audio_for_customized_voice_job("x", 1, "https://o/1.wav"), script)
    assert caught.value.request_id == "req-1"


def test_safe_to_repeat_flags(provider: Any) -> None:
    assert provider.get_job("j").safe_to_repeat
    assert not provider.submit_customized_voice_job("x").safe_to_repeat
    assert not provider.submit_standard_customized_voice_job("a", "b").safe_to_repeat
    assert not provider.delete_customized_voice_job("j").safe_to_repeat


def test_the_spec_is_registered_under_its_aliases() -> None:
    for name in ("alibaba-ice", "alibaba", "aliyun", "ice"):
        assert voiceclone.resolve_provider(name) is PROVIDER
    assert PROVIDER.capabilities.client_chosen_voice_id
    assert PROVIDER.capabilities.editions == ("Basic", "Standard", "CosyVoice")


def test_the_factory_reads_credentials_and_validates_settings() -> None:
    env = {
        "ALIBABA_CLOUD_ACCESS_KEY_ID": "a",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "b",
        "ALIBABA_CLOUD_SECURITY_TOKEN": "t",
    }
    p = PROVIDER.create(env=env, region="us-west-1")
    assert p.endpoint == "https://ice.us-west-1.aliyuncs.com"
    assert p._auth._credentials.security_token == "t"
    legacy = PROVIDER.create(
        env={
            "ALIYUN_ACCESS_KEY_ID": "a",
            "ALIYUN_ACCESS_KEY_SECRET": "b",
            "ALIBABA_CLOUD_SECURITY_TOKEN": "t",
        }
    )
    assert legacy._auth._credentials.security_token is None  # a token belongs to its own pair
    local = PROVIDER.create(
        access_key_id="a",
        access_key_secret="b",
        endpoint="http://127.0.0.1:8080/",
        region="cn-test-9",
        env={},
    )
    assert local.endpoint == "http://127.0.0.1:8080"
    assert str(local.get_job("j").request.url).startswith("http://127.0.0.1:8080/?")
    from_env = PROVIDER.create(env={**env, "VOICECLONE_ALIBABA_ENDPOINT": "http://emu:9/"})
    assert from_env.endpoint == "http://emu:9"
    for settings, field in (
        ({"env": {}}, "access_key_id"),
        ({"env": {"ALIBABA_CLOUD_ACCESS_KEY_ID": "a"}}, "access_key_id"),
        ({"access_key_id": "a", "env": {}}, "access_key_secret"),
        ({"access_key_id": "a", "access_key_secret": "b", "project_id": "x"}, "project_id"),
        ({"access_key_id": "a", "access_key_secret": "b", "region": "mars-1"}, "region"),
        ({"access_key_id": "a", "access_key_secret": "b", "endpoint": "ftp://x"}, "endpoint"),
    ):
        with pytest.raises(ValidationError) as caught:
            PROVIDER.create(**settings)
        assert caught.value.field == field


def test_errors_carry_no_credentials(provider: Any, run: Any, fail: Any, params_of: Any) -> None:
    script = Script(params_of, GetCustomizedVoiceJob=fail(500, "InternalError"))
    with pytest.raises(ProviderError) as caught:
        run(provider.get_job("j"), script)
    assert "testAccessKeySecret" not in str(caught.value)
    assert caught.value.retryable
