"""MetaStudio voice-training wire models: request bodies and replies, as frozen attrs classes.

Attribute names are the JSON keys (reference/huawei-metastudio-api.md section 2). Enum-valued
fields are plain strings so a value the vendor adds later is kept, never rejected; the known
values are listed in the ``*_VALUES`` constants. Times stay as the vendor's epoch numbers here
(the neutral job converts them). ``_convert.py`` owns how these meet JSON.
"""

from __future__ import annotations

import attrs

__all__ = [
    "CREATE_TYPES",
    "JOB_TAGS",
    "JOB_TYPES",
    "SHORT_JOB_TYPES",
    "SUPPORTED_SERVICES",
    "AllocatedResource",
    "AssessProperty",
    "AssessResult",
    "AttachmentUploadingAddress",
    "AuditError",
    "CommitJobReq",
    "CreateShortJobReq",
    "CreateTrainingJobReq",
    "CreatedShortJob",
    "CreatedTrainingJob",
    "JobAuditResult",
    "JobUploadingAddress",
    "ManualAuditResult",
    "OperationLog",
    "OperationLogExternalInfo",
    "OperationLogItem",
    "PackageUploadingUrl",
    "ResourceAvailableNums",
    "ReviewAttachmentAddresses",
    "SegmentConfirmation",
    "SegmentUploadingUrls",
    "SetJobBatchNameReq",
    "ShortJob",
    "SystemAuditResult",
    "TenantDurationConfig",
    "TrainingJobInfo",
    "TrainingJobList",
    "TrainingSegmentInfo",
    "VoiceTrainingQuotas",
    "VoiceTrainingResource",
]

JOB_TYPES = ("BASIC", "MIDDLE", "ADVANCE", "THIRD_PARTY", "THIRD_PARTY_LJZN", "FLEXUS")
"""Documented ``job_type`` values (only the first four can be created through this API)."""
CREATE_TYPES = ("PACKAGE", "SEGMENT")
"""``create_type``: one zip with everything, or sentence-by-sentence uploads."""
JOB_TAGS = ("ECOMMERCE", "NEWS", "MARKETING", "LIVE", "EDUCATION", "CUSTOMER", "STORYTELLING")
"""``tag`` values."""
SUPPORTED_SERVICES = ("VIDEO_2D", "LIVE_2D", "CHAT_2D")
"""``supported_service`` values."""
SHORT_JOB_TYPES = ("VOICE_ASSESS",)
"""Short-job ``job_type`` values."""


# --------------------------------------------------------------------------- request bodies


@attrs.frozen(slots=True)
class CreateTrainingJobReq:
    """Body of the four ``create_training_*_job`` calls; None fields are not sent."""

    voice_name: str
    tag: str | None = None
    description: str | None = None
    sex: str | None = None
    language: str | None = None
    create_type: str | None = None
    phone: str | None = None
    dhtms_job_id: str | None = None
    batch_name: str | None = None
    output_language: str | None = None
    custom_text: str | None = None
    is_ondemand_resource: bool | None = None
    supported_service: tuple[str, ...] | None = None


@attrs.frozen(slots=True)
class CommitJobReq:
    """Optional body of ``commit_voice_training_job``: fields to change as the job is submitted."""

    tag: str | None = None
    description: str | None = None
    sex: str | None = None
    voice_name: str | None = None
    language: str | None = None
    phone: str | None = None
    app_user_id: str | None = None
    output_language: str | None = None
    custom_text: str | None = None


@attrs.frozen(slots=True)
class SetJobBatchNameReq:
    """Body of ``set_job_batch_name``."""

    batch_name: str
    job_ids: tuple[str, ...]


@attrs.frozen(slots=True)
class CreateShortJobReq:
    """Body of ``create_short_job`` (audio quality assessment)."""

    job_type: str = "VOICE_ASSESS"
    language: str | None = None


# --------------------------------------------------------------------------- jobs


@attrs.frozen(slots=True)
class AllocatedResource:
    """The training resource a job consumed."""

    resource_id: str | None = None
    charge_mode: str | None = None
    expire_time: str | None = None


@attrs.frozen(slots=True)
class AssessProperty:
    """One audio-quality metric: expected and actual value, advice, out-of-range flag."""

    expected: str | None = None
    actual: str | None = None
    suggestion: str | None = None
    suggestion_en: str | None = None
    status: int | None = None


@attrs.frozen(slots=True)
class AssessResult:
    """The audio-quality assessment of the training data."""

    speed: AssessProperty | None = None
    sound: AssessProperty | None = None
    snr: AssessProperty | None = None
    reverb: AssessProperty | None = None
    dnsmos_ovrl: AssessProperty | None = None
    dnsmos_bak: AssessProperty | None = None
    suggestion: str | None = None


@attrs.frozen(slots=True)
class TrainingJobInfo:
    """One voice-training job (list item and ``show_voice_training_job`` reply)."""

    job_id: str
    state: str
    job_type: str | None = None
    app_user_id: str | None = None
    voice_name: str | None = None
    sex: str | None = None
    language: str | None = None
    reject_times: int | None = None
    asset_id: str | None = None
    job_failed_code: str | None = None
    job_failed_reason: str | None = None
    create_time: int | None = None
    lastupdate_time: int | None = None
    voice_authorization_url: str | None = attrs.field(default=None, repr=False)
    training_input_source_url: str | None = attrs.field(default=None, repr=False)
    create_type: str | None = None
    tag: str | None = None
    phone: str | None = attrs.field(default=None, repr=False)
    dhtms_job_id: str | None = None
    batch_name: str | None = None
    allocated_resource: AllocatedResource | None = None
    output_language: str | None = None
    is_remake: bool | None = None
    assess_result: AssessResult | None = None
    is_ondemand_resource: bool | None = None


@attrs.frozen(slots=True)
class TrainingJobList:
    """``list_voice_training_job`` reply: ``count`` is the total number of matching jobs."""

    count: int
    jobs: tuple[TrainingJobInfo, ...] = ()


@attrs.frozen(slots=True)
class SegmentUploadingUrls:
    """Per-sentence upload URLs (upload audio as audio/wav, text as text/plain)."""

    audio_uploading_url: tuple[str, ...] = attrs.field(default=(), repr=False)
    txt_uploading_url: tuple[str, ...] = attrs.field(default=(), repr=False)


@attrs.frozen(slots=True)
class CreatedTrainingJob:
    """Reply of the four create calls: the job id and pre-signed OBS upload URLs."""

    job_id: str
    training_data_uploading_url: str | None = attrs.field(default=None, repr=False)
    segment_uploading_url: SegmentUploadingUrls | None = None
    authorization_letter_uploading_url: str | None = attrs.field(default=None, repr=False)


# --------------------------------------------------------------------------- review and uploads


@attrs.frozen(slots=True)
class AuditError:
    """One problem the automatic review found in a file pair."""

    audio_name: str | None = None
    text_name: str | None = None
    error_code: str | None = None
    error_message: str | None = None


@attrs.frozen(slots=True)
class SystemAuditResult:
    """The automatic review: when, and what it found."""

    audit_time: int | None = None
    errors: tuple[AuditError, ...] = ()


@attrs.frozen(slots=True)
class ManualAuditResult:
    """The administrator's review: message and an optional attachment."""

    message: str | None = None
    attachment_name: str | None = None
    attachment_url: str | None = attrs.field(default=None, repr=False)
    audit_time: int | None = None


@attrs.frozen(slots=True)
class JobAuditResult:
    """``show_job_audit_result`` reply."""

    system_audit_result: SystemAuditResult | None = None
    admin_audit_result: ManualAuditResult | None = None


@attrs.frozen(slots=True)
class PackageUploadingUrl:
    """Where to upload the training-data zip (application/zip)."""

    training_data_uploading_url: str | None = attrs.field(default=None, repr=False)


@attrs.frozen(slots=True)
class JobUploadingAddress:
    """``show_job_uploading_address`` reply: fresh upload URLs (after AUDIT_FAILED)."""

    segment_url: SegmentUploadingUrls | None = None
    package_url: PackageUploadingUrl | None = None
    authorization_letter_uploading_url: str | None = attrs.field(default=None, repr=False)


@attrs.frozen(slots=True)
class TrainingSegmentInfo:
    """``show_training_segment_info`` reply: the sentences confirmed so far."""

    confirmed_index: tuple[int, ...] = ()


@attrs.frozen(slots=True)
class SegmentConfirmation:
    """``confirm_training_segment`` reply: False or unmatched indexes mean audio != text."""

    confirm_result: bool | None = None
    unmatched_index_hit: tuple[int, ...] = ()


@attrs.frozen(slots=True)
class AttachmentUploadingAddress:
    """One review-attachment upload URL and its sequence number."""

    number: int | None = None
    uploading_url: str | None = attrs.field(default=None, repr=False)


@attrs.frozen(slots=True)
class ReviewAttachmentAddresses:
    """``show_user_review_attachment_uploading_address`` reply."""

    addresses: tuple[AttachmentUploadingAddress, ...] = ()


# --------------------------------------------------------------------------- operation log


@attrs.frozen(slots=True)
class OperationLogExternalInfo:
    """Details of a log entry: review ids and failure reasons."""

    review_id_list: tuple[str, ...] = ()
    algorithm_failure_reason: str | None = None
    admin_audit_failure_reason: str | None = None


@attrs.frozen(slots=True)
class OperationLogItem:
    """One log entry: ``action`` (``CREATE_JOB``, ``AUDIT_NOT_PASS``, ...) by ``operator``."""

    time: int | None = None
    action: str | None = None
    operator: str | None = None
    external_info: OperationLogExternalInfo | None = None


@attrs.frozen(slots=True)
class OperationLog:
    """``list_job_operation_log`` reply: ``count`` is the total number of entries."""

    count: int | None = None
    operations: tuple[OperationLogItem, ...] = ()


# --------------------------------------------------------------------------- quotas and limits


@attrs.frozen(slots=True)
class ResourceAvailableNums:
    """How many trainings of each kind are left."""

    flexus: int | None = None
    basic: int | None = None
    middle: int | None = None
    middle_on_demand: int | None = None
    advance: int | None = None
    third_party_cmww: int | None = None


@attrs.frozen(slots=True)
class VoiceTrainingResource:
    """One purchased or allocated training resource."""

    operation_type: str | None = None
    resource_source: str | None = None
    asset_id: str | None = None
    resource_id: str | None = None
    resource_nums: int | None = None
    resource_available_nums: int | None = None
    resource_type: str | None = None
    charge_mode: str | None = None
    expire_time: str | None = None
    status: int | None = None


@attrs.frozen(slots=True)
class VoiceTrainingQuotas:
    """``show_voice_training_quotas`` reply."""

    count: int | None = None
    resource_available_nums: ResourceAvailableNums | None = None
    resources: tuple[VoiceTrainingResource, ...] = ()


@attrs.frozen(slots=True)
class TenantDurationConfig:
    """``show_tenant_duration_cfg`` reply: audio-length limits per edition, in seconds."""

    tenant_id: str | None = None
    basic_min: int | None = None
    basic_max: int | None = None
    basic_advice_value: int | None = None
    middle_min: int | None = None
    middle_max: int | None = None
    middle_advice_value: int | None = None
    advance_min: int | None = None
    advance_max: int | None = None
    advance_advice_value: int | None = None
    flexus_min: int | None = None
    flexus_max: int | None = None
    flexus_advice_value: int | None = None
    cmww_min: int | None = None
    cmww_max: int | None = None
    cmww_advice_value: int | None = None
    ljzn_min: int | None = None
    ljzn_max: int | None = None
    ljzn_advice_value: int | None = None
    short_assess_min: int | None = None
    short_assess_max: int | None = None


# --------------------------------------------------------------------------- short jobs


@attrs.frozen(slots=True)
class CreatedShortJob:
    """``create_short_job`` reply: the job id and where to upload the zip."""

    job_id: str
    data_uploading_url: str | None = attrs.field(default=None, repr=False)


@attrs.frozen(slots=True)
class ShortJob:
    """``show_short_job`` reply (``state`` is a job state; ``assess_result`` when done)."""

    job_id: str
    state: str | None = None
    job_type: str | None = None
    job_failed_code: str | None = None
    job_failed_reason: str | None = None
    create_time: int | None = None
    lastupdate_time: int | None = None
    assess_result: AssessResult | None = None
