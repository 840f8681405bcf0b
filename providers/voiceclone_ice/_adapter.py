"""``IceProvider``: the neutral operations and the 12 typed ICE calls, all sans-I/O.

Neutral operations map onto the vendor's as follows (``docs/providers/alibaba-ice.md``):

===============  ==========================================================================
``get_job``      ``GetCustomizedVoiceJob``
``list_jobs``    ``ListCustomizedVoiceJobs``, one ``Type`` (partition) per call
``create_job``   Basic: ``CreateCustomizedVoiceJob``; Standard:
                 ``SubmitStandardCustomizedVoiceJob``; CosyVoice:
                 ``SubmitCosyVoiceCustomizedVoiceJob``
``submit_job``   Basic: ``GetCustomizedVoiceJob`` then ``SubmitCustomizedVoiceJob``
``delete_job``   ``GetCustomizedVoiceJob`` then ``DeleteCustomizedVoiceJob``
===============  ==========================================================================
"""

from __future__ import annotations

import uuid
from collections.abc import Generator, Mapping
from typing import Any

import attrs
import httpx

from voiceclone import (
    ConflictError,
    CreatedJob,
    JobQuery,
    JobStatus,
    NewJob,
    NotFoundError,
    Page,
    ProviderError,
    ValidationError,
    VoiceCloningJob,
)
from voiceclone.adapter import (
    Call,
    Capabilities,
    ListRequest,
    NumberedWindow,
    Operation,
    ProviderBase,
)
from voiceclone_ice._api import (
    CAPABILITIES,
    GUARDED_PARTITIONS,
    LIST_PARTITIONS,
    PROVIDER_ID,
    canonical_edition,
)
from voiceclone_ice._auth import Credentials, IceAuth
from voiceclone_ice._calls import make_call, malformed, read_data, read_reply, structure_data
from voiceclone_ice._errors import ERROR_TABLE, request_id_of
from voiceclone_ice._fields import WIRE_NAME
from voiceclone_ice._jobs import job_from_record
from voiceclone_ice._requests import (
    MAX_PAGE_NO,
    CreateCustomizedVoiceJobRequest,
    DeleteCustomizedVoiceJobRequest,
    DetectAudioForCustomizedVoiceJobRequest,
    GetCustomizedVoiceJobRequest,
    GetCustomizedVoiceRequest,
    GetDemonstrationForCustomizedVoiceJobRequest,
    IceRequest,
    ListCustomizedVoiceJobsRequest,
    ListCustomizedVoicesRequest,
    SubmitCosyVoiceCustomizedVoiceJobRequest,
    SubmitCustomizedVoiceJobRequest,
    SubmitStandardCustomizedVoiceJobRequest,
    UpdateCustomizedVoiceRequest,
    check_existing_voice_id,
    check_voice_id,
    media_ids,
)
from voiceclone_ice._wire import (
    Acknowledgement,
    AudioDetection,
    CustomizedVoice,
    CustomizedVoiceJob,
    CustomizedVoiceJobPage,
    CustomizedVoicePage,
    Demonstration,
    DemonstrationList,
    JobIdentity,
)

__all__ = ["IceProvider"]

_OPTIONS: Mapping[str, frozenset[str]] = {
    "Basic": frozenset({"Scenario"}),
    "Standard": frozenset({"Audios", "Authentication", "DemoAudioMediaURL"}),
    "CosyVoice": frozenset({"Audios", "Model", "DemoAudioMediaURL"}),
}
"""The ``NewJob.options`` each edition takes, by wire name."""

_NEUTRAL_FIELDS = {
    "job_id": "job_id",
    "voice_id": "voice_id",
    "voice_name": "voice_name",
    "voice_desc": "description",
    "gender": "gender",
}
_SUBMITTED_STATUS = "PreTraining"
"""What the docs imply a job is in right after a Standard or CosyVoice submission."""
_NOT_DELETABLE = frozenset({"Training", "Success"})
_SUBMITTED = frozenset({JobStatus.PREPROCESSING, JobStatus.TRAINING, JobStatus.SUCCEEDED})

Steps = Generator[Call[Any], Any, Any]


def _fail(field: str, rule: str) -> ValidationError:
    return ValidationError(field, rule, provider=PROVIDER_ID)


def _build(cls: type[Any], **values: Any) -> Any:
    """A request built from neutral input, its ``ValidationError`` naming the neutral field."""
    try:
        return cls(**values)
    except ValidationError as exc:
        wire = {a.name: a.metadata.get(WIRE_NAME, a.name) for a in attrs.fields(cls)}
        name = _NEUTRAL_FIELDS.get(exc.field, f"options.{wire.get(exc.field, exc.field)}")
        raise _fail(name, exc.rule) from exc


def generate_voice_id() -> str:
    """A fresh ``VoiceId``: 32 letters and digits, ``vc`` and 30 random hex digits."""
    return "vc" + uuid.uuid4().hex[:30]


class IceProvider(ProviderBase):
    """The Alibaba Cloud ICE adapter for one region, endpoint and set of credentials.

    Built by ``voiceclone_ice.PROVIDER.create(**settings)``. Every method returns a ``Call`` or
    an ``Operation`` and sends nothing; ``Client.call`` runs them.
    """

    id = PROVIDER_ID
    error_table = ERROR_TABLE

    def __init__(self, credentials: Credentials, *, region: str, endpoint: str) -> None:
        self._auth = IceAuth(credentials, region)
        self.region = region
        self.endpoint = endpoint.rstrip("/")

    def __repr__(self) -> str:
        return f"IceProvider(region={self.region!r}, endpoint={self.endpoint!r})"

    @property
    def capabilities(self) -> Capabilities:
        """What this adapter can do (``voiceclone_ice._api.CAPABILITIES``)."""
        return CAPABILITIES

    @property
    def auth(self) -> httpx.Auth:
        """Signs each attempt with RPC signature v1."""
        return self._auth

    def _call(self, request: IceRequest, parse: Any, *, safe: bool | None = None) -> Call[Any]:
        return make_call(self.endpoint, request, parse, safe_to_repeat=safe)

    # -- neutral: reading -------------------------------------------------------------------

    def get_job(self, job_id: str) -> Call[VoiceCloningJob]:
        """One job (``GetCustomizedVoiceJob``)."""
        request = _build(GetCustomizedVoiceJobRequest, job_id=job_id)
        return self._call(request, _parse_job)

    def list_partitions(self, query: JobQuery) -> tuple[str | None, ...]:
        """The ``Type`` values to list: every edition, or the one the query names.

        ``ListCustomizedVoiceJobs`` lists only Basic jobs when ``Type`` is omitted, so "every
        job" is the merge of one listing per ``Type``: Basic, Standard and CosyVoice.
        """
        if query.edition is None:
            return LIST_PARTITIONS
        return (self._edition(query.edition, "edition"),)

    def list_jobs(self, request: ListRequest) -> Call[Page[VoiceCloningJob]]:
        """One page of one partition; ``total`` is that partition's ``TotalCount``.

        The CosyVoice partition of an unfiltered listing is read defensively, because its
        ``Type`` value is undocumented: if the service rejects ``Type=CosyVoice`` (a plain 4xx
        such as ``InvalidParameter``) or answers with jobs of another ``Type`` (it ignored the
        filter), the partition is empty rather than an error or a duplicate of Basic.
        """
        window = request.window
        if not isinstance(window, NumberedWindow):
            raise _fail("window", f"{PROVIDER_ID} pages by number; got {type(window).__name__}")
        edition = request.partition or request.query.edition
        type_ = None if edition is None else self._edition(edition, "edition")
        if window.number > MAX_PAGE_NO:
            rule = f"reaches page {window.number}; ICE page numbers (PageNo) end at {MAX_PAGE_NO}"
            raise _fail("offset", rule)
        wire = ListCustomizedVoiceJobsRequest(
            page_no=window.number, page_size=window.size, type=type_
        )
        offset = (window.number - 1) * window.size
        if request.query.edition is None and wire.type in GUARDED_PARTITIONS:
            guarded = wire.type
            return self._call(wire, lambda r: _parse_guarded_page(r, guarded, offset, window.size))
        return self._call(wire, lambda response: _parse_page(response, offset, window.size))

    def find_job_by_voice_id(
        self, voice_id: str, edition: str = "Basic"
    ) -> Generator[Call[Any], Any, VoiceCloningJob | None]:
        """The job of ``edition`` whose ``VoiceId`` is ``voice_id``, or None: an operation that
        pages through ``ListCustomizedVoiceJobs`` (100 a page) until it finds it.

        This is how a Basic create is recovered after an ambiguous failure: the voice id is
        chosen by the client, so the job can be found again without its job id.
        """
        type_ = self._edition(edition, "edition")
        if type_ == "Basic":
            check_voice_id("voice_id", voice_id)  # chosen by the client under the create rule
        else:
            check_existing_voice_id("voice_id", voice_id)  # assigned by the service
        return self._find(voice_id, type_)

    def _find(self, voice_id: str, type_: str) -> Steps:
        number = 1
        while True:
            request = ListCustomizedVoiceJobsRequest(page_no=number, page_size=100, type=type_)
            offset = (number - 1) * 100
            page = yield self._call(request, lambda r, o=offset: _parse_page(r, o, 100))
            for job in page.items:
                if job.voice_id == voice_id:
                    return job
            if not page.items or page.total is None or number * 100 >= page.total:
                return None
            number += 1

    # -- neutral: writing -------------------------------------------------------------------

    def create_job(self, new: NewJob) -> Operation[CreatedJob]:
        """Create a job of ``new.edition`` (Basic by default); every input is checked first.

        Basic creates the job (``Initialization``); submit it after detecting the recordings.
        Standard and CosyVoice create and submit in one operation.
        """
        edition = self._edition(new.edition or CAPABILITIES.default_edition or "Basic", "edition")
        options = dict(new.options)
        allowed = _OPTIONS[edition]
        for key in options:
            if key not in allowed:
                choices = ", ".join(sorted(allowed))
                raise _fail(f"options.{key}", f"not an option of the {edition} edition ({choices})")
        if new.language is not None and new.language.split("-")[0].lower() != "zh":
            raise _fail("language", f"{new.language!r}: ICE voice cloning is for Mandarin (zh)")
        if edition == "Basic":
            return self._create_basic(new, options)
        if new.voice_id is not None:
            raise _fail("voice_id", f"the {edition} edition chooses the voice id itself")
        if new.description is not None:
            raise _fail("description", f"the {edition} edition takes no description")
        for key in ("Audios", "Authentication") if edition == "Standard" else ("Audios",):
            if key not in options:
                raise _fail(f"options.{key}", f"is required for the {edition} edition")
        gender = None if new.gender is None else new.gender.value
        common = {
            "gender": gender,
            "voice_name": new.voice_name,
            "demo_audio_media_url": options.get("DemoAudioMediaURL"),
            "audios": options["Audios"],
        }
        if edition == "Standard":
            wire: IceRequest = _build(
                SubmitStandardCustomizedVoiceJobRequest,
                authentication=options["Authentication"],
                **common,
            )
        else:
            wire = _build(
                SubmitCosyVoiceCustomizedVoiceJobRequest, model=options.get("Model"), **common
            )

        def parse(response: httpx.Response) -> CreatedJob:
            identity = structure_data(response, JobIdentity)
            return CreatedJob(
                job=VoiceCloningJob(
                    provider=PROVIDER_ID,
                    job_id=identity.job_id,
                    status=JobStatus.PREPROCESSING,
                    raw_status=_SUBMITTED_STATUS,
                    voice_name=new.voice_name,
                    voice_id=identity.voice_id or None,
                    edition=edition,
                    gender=new.gender,
                    language=new.language,
                )
            )

        return self._call(wire, parse)

    def _create_basic(self, new: NewJob, options: Mapping[str, Any]) -> Operation[CreatedJob]:
        if new.gender is None:
            raise _fail("gender", "is required for the Basic edition (female or male)")
        request: CreateCustomizedVoiceJobRequest = _build(
            CreateCustomizedVoiceJobRequest,
            voice_id=new.voice_id if new.voice_id is not None else generate_voice_id(),
            gender=new.gender.value,
            scenario=options.get("Scenario", "story"),
            voice_name=new.voice_name,
            voice_desc=new.description,
        )
        return self._create_basic_steps(request, new)

    def _create_basic_steps(self, request: CreateCustomizedVoiceJobRequest, new: NewJob) -> Steps:
        # Safe to repeat: a repeat that finds the VoiceId taken looks the job up (below).
        outcome = yield self._call(request, _parse_create_outcome, safe=True)
        if isinstance(outcome, ConflictError):
            existing = yield from self._find(request.voice_id, "Basic")
            if existing is None or not _made_by(existing, request):
                raise outcome
            return CreatedJob(job=existing)
        return CreatedJob(
            job=VoiceCloningJob(
                provider=PROVIDER_ID,
                job_id=outcome.job_id,
                status=JobStatus.CREATED,
                raw_status="Initialization",
                voice_name=new.voice_name,
                voice_id=outcome.voice_id or request.voice_id,
                edition="Basic",
                gender=new.gender,
                language=new.language,
            )
        )

    def submit_job(self, job_id: str) -> Operation[None]:
        """Start training a Basic job: look its ``VoiceId`` up, then ``SubmitCustomizedVoiceJob``.

        Standard and CosyVoice jobs are submitted when created, and a Basic job past submission
        cannot be submitted again: both raise ``ConflictError`` before anything is sent.
        """
        get = self.get_job(job_id)
        return self._submit_steps(job_id, get)

    def _submit_steps(self, job_id: str, get: Call[VoiceCloningJob]) -> Steps:
        job: VoiceCloningJob = yield get
        if (job.edition or "Basic") != "Basic":
            raise _conflict(job, f"a {job.edition} job is submitted when it is created")
        if job.status in _SUBMITTED:
            raise _conflict(job, f"job {job_id} is already submitted (status {job.raw_status})")
        if not job.voice_id:
            raise ConflictError(
                f"job {job_id} has no VoiceId to submit", provider=PROVIDER_ID, code="NoVoiceId"
            )
        yield self.submit_customized_voice_job(job.voice_id)
        return None

    def delete_job(self, job_id: str) -> Operation[None]:
        """Delete a job: look it up, refuse ``Training``/``Success`` (the service does too),
        then ``DeleteCustomizedVoiceJob``.

        The delete is marked safe to repeat: it reads "not found" as done, because the job was
        just seen to exist (a repeat after a lost reply finds it already deleted).
        """
        get = self.get_job(job_id)
        delete = self._call(
            DeleteCustomizedVoiceJobRequest(job_id=job_id), _parse_idempotent_delete, safe=True
        )
        return self._delete_steps(get, delete)

    def _delete_steps(self, get: Call[VoiceCloningJob], delete: Call[None]) -> Steps:
        job: VoiceCloningJob = yield get
        if job.raw_status in _NOT_DELETABLE:
            raise _conflict(job, f"a job in {job.raw_status} cannot be deleted")
        yield delete
        return None

    # -- vendor operations ------------------------------------------------------------------

    def create_customized_voice_job(
        self,
        voice_id: str,
        gender: str,
        scenario: str = "story",
        voice_name: str | None = None,
        voice_desc: str | None = None,
    ) -> Call[JobIdentity]:
        """``CreateCustomizedVoiceJob``: a Basic job under the client-chosen ``voice_id``."""
        request = CreateCustomizedVoiceJobRequest(
            voice_id=voice_id,
            gender=gender,
            scenario=scenario,
            voice_name=voice_name,
            voice_desc=voice_desc,
        )
        return self._call(request, lambda r: structure_data(r, JobIdentity))

    def get_demonstration_for_customized_voice_job(
        self, scenario: str = "story"
    ) -> Call[tuple[Demonstration, ...]]:
        """``GetDemonstrationForCustomizedVoiceJob``: the 20 scripts to record."""
        request = GetDemonstrationForCustomizedVoiceJobRequest(scenario=scenario)
        return self._call(request, lambda r: structure_data(r, DemonstrationList).demonstrations)

    def detect_audio_for_customized_voice_job(
        self, voice_id: str, audio_record_id: int, record_url: str
    ) -> Call[AudioDetection]:
        """``DetectAudioForCustomizedVoiceJob``: check (and stage) one recording."""
        request = DetectAudioForCustomizedVoiceJobRequest(
            voice_id=voice_id, audio_record_id=audio_record_id, record_url=record_url
        )
        return self._call(request, lambda r: structure_data(r, AudioDetection))

    def submit_customized_voice_job(
        self, voice_id: str, demo_audio_media_url: str | None = None
    ) -> Call[JobIdentity]:
        """``SubmitCustomizedVoiceJob``: start training a Basic job (not safe to repeat)."""
        request = SubmitCustomizedVoiceJobRequest(
            voice_id=voice_id, demo_audio_media_url=demo_audio_media_url
        )
        return self._call(request, lambda r: structure_data(r, JobIdentity))

    def submit_standard_customized_voice_job(
        self,
        audios: str | list[str] | tuple[str, ...],
        authentication: str,
        gender: str | None = None,
        voice_name: str | None = None,
        demo_audio_media_url: str | None = None,
    ) -> Call[JobIdentity]:
        """``SubmitStandardCustomizedVoiceJob``: a Standard job from media assets."""
        request = SubmitStandardCustomizedVoiceJobRequest(
            audios=media_ids(audios),
            authentication=authentication,
            gender=gender,
            voice_name=voice_name,
            demo_audio_media_url=demo_audio_media_url,
        )
        return self._call(request, lambda r: structure_data(r, JobIdentity))

    def submit_cosy_voice_customized_voice_job(
        self,
        audios: str | list[str] | tuple[str, ...],
        model: str | None = None,
        gender: str | None = None,
        voice_name: str | None = None,
        demo_audio_media_url: str | None = None,
    ) -> Call[JobIdentity]:
        """``SubmitCosyVoiceCustomizedVoiceJob``: a CosyVoice job from one media asset."""
        request = SubmitCosyVoiceCustomizedVoiceJobRequest(
            audios=media_ids(audios),
            model=model,
            gender=gender,
            voice_name=voice_name,
            demo_audio_media_url=demo_audio_media_url,
        )
        return self._call(request, lambda r: structure_data(r, JobIdentity))

    def get_customized_voice_job(self, job_id: str) -> Call[CustomizedVoiceJob]:
        """``GetCustomizedVoiceJob`` as the vendor's record."""
        request = GetCustomizedVoiceJobRequest(job_id=job_id)
        return self._call(
            request, lambda r: structure_data(r, CustomizedVoiceJob, "CustomizedVoiceJob")
        )

    def list_customized_voice_jobs(
        self, page_no: int = 1, page_size: int = 10, type: str | None = None
    ) -> Call[CustomizedVoiceJobPage]:
        """``ListCustomizedVoiceJobs``: one page of vendor records (``Basic`` when no type)."""
        request = ListCustomizedVoiceJobsRequest(page_no=page_no, page_size=page_size, type=type)
        return self._call(request, lambda r: structure_data(r, CustomizedVoiceJobPage))

    def delete_customized_voice_job(self, job_id: str) -> Call[Acknowledgement]:
        """``DeleteCustomizedVoiceJob``; "not found" on a repeat is an error here."""
        request = DeleteCustomizedVoiceJobRequest(job_id=job_id)
        return self._call(request, _parse_acknowledgement)

    def get_customized_voice(self, voice_id: str) -> Call[CustomizedVoice]:
        """``GetCustomizedVoice``: a trained voice."""
        request = GetCustomizedVoiceRequest(voice_id=voice_id)
        return self._call(request, lambda r: structure_data(r, CustomizedVoice, "CustomizedVoice"))

    def list_customized_voices(
        self, page_no: int = 1, page_size: int = 10, type: str | None = None
    ) -> Call[CustomizedVoicePage]:
        """``ListCustomizedVoices``: one page of trained voices (``Basic`` when no type)."""
        request = ListCustomizedVoicesRequest(page_no=page_no, page_size=page_size, type=type)
        return self._call(request, lambda r: structure_data(r, CustomizedVoicePage))

    def update_customized_voice(
        self, voice_id: str, demo_audio_media_id: str | None = None
    ) -> Call[Acknowledgement]:
        """``UpdateCustomizedVoice``: set the voice's demonstration audio media id."""
        request = UpdateCustomizedVoiceRequest(
            voice_id=voice_id, demo_audio_media_id=demo_audio_media_id
        )
        return self._call(request, _parse_acknowledgement)

    # -- helpers ----------------------------------------------------------------------------

    @staticmethod
    def _edition(value: str, field: str) -> str:
        edition = canonical_edition(value)
        if edition is None:
            choices = ", ".join(CAPABILITIES.editions)
            raise _fail(field, f"{value!r} is not an ICE edition; use one of {choices}")
        return edition


def _conflict(job: VoiceCloningJob, message: str) -> ConflictError:
    """Refused on the client side, from the job's state; there is no vendor code."""
    return ConflictError(message, provider=PROVIDER_ID)


def _parse_job(response: httpx.Response) -> VoiceCloningJob:
    data, request_id = read_data(response)
    return job_from_record(data.get("CustomizedVoiceJob"), request_id)


def _parse_page(response: httpx.Response, offset: int, limit: int) -> Page[VoiceCloningJob]:
    data, request_id = read_data(response)
    records = data.get("CustomizedVoiceJobList")
    if records is None:
        records = []
    if type(records) is not list:
        raise malformed(response, "CustomizedVoiceJobList is not a list", request_id)
    total = data.get("TotalCount")
    if type(total) is not int or total < 0:
        raise malformed(response, "TotalCount is missing or not a count", request_id)
    items = tuple([job_from_record(record, request_id) for record in records])
    return Page(items=items, offset=offset, limit=limit, total=total)


def _parse_guarded_page(
    response: httpx.Response, type_: str, offset: int, limit: int
) -> Page[VoiceCloningJob]:
    empty: Page[VoiceCloningJob] = Page(items=(), offset=offset, limit=limit, total=0)
    try:
        page = _parse_page(response, offset, limit)
    except ProviderError as exc:
        if type(exc) is ProviderError and exc.status_code is not None and exc.status_code < 500:
            return empty  # the service does not take this Type value
        raise
    if any(job.edition != type_ for job in page.items):
        return empty  # the service ignored the Type value and listed its default
    return page


def _parse_acknowledgement(response: httpx.Response) -> Acknowledgement:
    body = read_reply(response)
    return Acknowledgement(request_id=request_id_of(response, body))


def _parse_idempotent_delete(response: httpx.Response) -> None:
    try:
        read_reply(response)
    except NotFoundError:
        return None  # already gone: an earlier attempt of this delete got through
    return None


def _parse_create_outcome(response: httpx.Response) -> JobIdentity | ConflictError:
    try:
        return structure_data(response, JobIdentity)
    except ConflictError as exc:
        return exc


def _made_by(job: VoiceCloningJob, request: CreateCustomizedVoiceJobRequest) -> bool:
    """True when ``job`` is what ``request`` would have created (a recovered earlier attempt)."""
    extra = job.extra
    expected = {
        "Gender": request.gender,
        "Scenario": request.scenario,
        "VoiceName": request.voice_name,
        "VoiceDesc": request.voice_desc,
    }
    return job.status is JobStatus.CREATED and all(
        (extra.get(key) or None) == (value or None) for key, value in expected.items()
    )
