"""Typed replies of the 12 customized-voice operations (the ``Data`` object of each reply).

Field names are Python's; the converter in ``voiceclone_ice._converter`` maps them to the wire
names (``JobId``, ``CustomizedVoiceJobList`` ...). Enumerations (``Status``, ``Type``,
``Gender``, ``Scenario``) stay plain strings so that a value the service adds later is kept.
"""

from __future__ import annotations

import attrs

from voiceclone_ice._fields import wire_field

__all__ = [
    "Acknowledgement",
    "AudioDetection",
    "CustomizedVoice",
    "CustomizedVoiceJob",
    "CustomizedVoiceJobPage",
    "CustomizedVoicePage",
    "Demonstration",
    "DemonstrationList",
    "JobIdentity",
]


@attrs.frozen(slots=True)
class JobIdentity:
    """What the create and submit operations return: the job id and (except Standard) the voice."""

    job_id: str = wire_field("JobId")
    voice_id: str | None = wire_field("VoiceId", default=None)


@attrs.frozen(slots=True)
class Demonstration:
    """One of the 20 scripts of a Basic job (``GetDemonstrationForCustomizedVoiceJob``).

    ``audio_id`` is the ``AudioRecordId`` to use when detecting the recording of this script.
    ``demo_audio`` is a pre-signed OSS address (valid 12 hours), kept out of ``repr``.
    """

    audio_id: int = wire_field("AudioId")
    text: str | None = wire_field("Text", default=None)
    demo_audio: str | None = wire_field("DemoAudio", default=None, repr=False)


@attrs.frozen(slots=True)
class DemonstrationList:
    """The ``Data`` of ``GetDemonstrationForCustomizedVoiceJob``."""

    demonstrations: tuple[Demonstration, ...] = wire_field("DemonstrationList", default=())


@attrs.frozen(slots=True)
class AudioDetection:
    """The verdict on one recording (``DetectAudioForCustomizedVoiceJob``)."""

    passed: bool = wire_field("Pass")
    reason: str | None = wire_field("Reason", default=None)


@attrs.frozen(slots=True)
class CustomizedVoiceJob:
    """A job record as the API sends it (``GetCustomizedVoiceJob``, ``ListCustomizedVoiceJobs``).

    ``create_time`` is ISO-8601 UTC; ``gmt_create`` (list only) has no documented format.
    """

    job_id: str = wire_field("JobId")
    status: str | None = wire_field("Status", default=None)
    type: str | None = wire_field("Type", default=None)
    voice_id: str | None = wire_field("VoiceId", default=None)
    voice_name: str | None = wire_field("VoiceName", default=None)
    voice_desc: str | None = wire_field("VoiceDesc", default=None)
    gender: str | None = wire_field("Gender", default=None)
    scenario: str | None = wire_field("Scenario", default=None)
    message: str | None = wire_field("Message", default=None)
    create_time: str | None = wire_field("CreateTime", default=None)
    gmt_create: str | None = wire_field("GmtCreate", default=None)


@attrs.frozen(slots=True)
class CustomizedVoiceJobPage:
    """One page of ``ListCustomizedVoiceJobs``; ``total_count`` counts the whole listing."""

    jobs: tuple[CustomizedVoiceJob, ...] = wire_field("CustomizedVoiceJobList", default=())
    total_count: int = wire_field("TotalCount", default=0)


@attrs.frozen(slots=True)
class CustomizedVoice:
    """A trained voice (``GetCustomizedVoice``, ``ListCustomizedVoices``)."""

    voice_id: str = wire_field("VoiceId")
    voice_name: str | None = wire_field("VoiceName", default=None)
    voice_desc: str | None = wire_field("VoiceDesc", default=None)
    gender: str | None = wire_field("Gender", default=None)
    scenario: str | None = wire_field("Scenario", default=None)
    demo_audio_media_id: str | None = wire_field("DemoAudioMediaId", default=None)
    type: str | None = wire_field("Type", default=None)


@attrs.frozen(slots=True)
class CustomizedVoicePage:
    """One page of ``ListCustomizedVoices``."""

    voices: tuple[CustomizedVoice, ...] = wire_field("CustomizedVoiceList", default=())
    total_count: int = wire_field("TotalCount", default=0)


@attrs.frozen(slots=True)
class Acknowledgement:
    """The reply of operations that return no data (delete, update): the request id."""

    request_id: str | None = wire_field("RequestId", default=None)
