"""The vendor's vocabulary as the emulator speaks it: enum values, error codes, sample names.

Enum values come from the official SDK's model classes (reference notes section 3). Error codes
the documentation names are used as documented; the few it does not name (unknown job, a state
that forbids the operation, a failed training) are the emulator's choice, marked below, in the
vendor's ``MSS.`` shape.
"""

from __future__ import annotations

__all__ = [
    "ACTIVE_STATES",
    "CHARGE_MODES",
    "CREATE_TYPES",
    "EDITION_PATHS",
    "FAILURE_REASONS",
    "JOB_STATES",
    "JOB_TAGS",
    "JOB_TYPES",
    "LANGUAGES",
    "SEGMENT_COUNTS",
    "SEXES",
    "SUPPORTED_SERVICES",
    "VOICE_NAMES",
    "ApiError",
]

JOB_STATES = (
    "CREATING",
    "SYSTEM_AUDITING",
    "AUDITING",
    "WAITING_SPLIT",
    "SPLITTING",
    "SPLIT_FAILED",
    "ANNOTATING",
    "WAITING",
    "PROCESSING",
    "RESULT_REVIEW",
    "AUDIT_FAILED",
    "USER_RESULT_REVIEW",
    "USER_REVIEW_REJECT",
    "UPLOADING",
    "FAILED",
    "SUCCEED",
)
# The states a committed job passes through, in order, before SUCCEED.
ACTIVE_STATES = (
    "SYSTEM_AUDITING",
    "AUDITING",
    "WAITING_SPLIT",
    "SPLITTING",
    "ANNOTATING",
    "WAITING",
    "PROCESSING",
    "UPLOADING",
)
JOB_TYPES = ("BASIC", "MIDDLE", "ADVANCE", "THIRD_PARTY", "THIRD_PARTY_LJZN", "FLEXUS")
EDITION_PATHS = {
    "basic-jobs": "BASIC",
    "middle-jobs": "MIDDLE",
    "advance-jobs": "ADVANCE",
    "third-party-jobs": "THIRD_PARTY",
}
SEGMENT_COUNTS = {"BASIC": 20, "MIDDLE": 100}
CREATE_TYPES = ("PACKAGE", "SEGMENT")
JOB_TAGS = ("ECOMMERCE", "NEWS", "MARKETING", "LIVE", "EDUCATION", "CUSTOMER", "STORYTELLING")
SUPPORTED_SERVICES = ("VIDEO_2D", "LIVE_2D", "CHAT_2D")
CHARGE_MODES = ("PERIODIC", "ONE_TIME", "ON_DEMAND")
SEXES = ("FEMALE", "MALE")
LANGUAGES = ("CN", "EN")

VOICE_NAMES = (
    "温柔女声",
    "知性女声",
    "新闻男声",
    "磁性男声",
    "客服小美",
    "童声朵朵",
    "甜美女声",
    "沉稳男声",
    "活力少女",
    "故事爷爷",
    "电商主播小云",
    "播音腔",
    "Gentle female voice",
    "Narrator",
)

# Emulator-chosen failure codes (the documentation shows only "MSS.00000000"/"error reason").
FAILURE_REASONS = {
    "FAILED": (
        ("MSS.20000001", "训练失败：音频质量不满足训练要求"),
        ("MSS.20000002", "训练失败：有效音频时长不足"),
        ("MSS.20000003", "训练失败：算法内部错误，请重新提交"),
    ),
    "SPLIT_FAILED": (("MSS.20000004", "音频切分失败：未检测到有效语音"),),
}
AUDIT_REJECTIONS = (
    ("3.wav", "3.txt", "MSS.20010001", "音频与文本内容不一致"),
    ("7.wav", "7.txt", "MSS.20010002", "音频存在明显背景噪音"),
    ("authorization.pdf", "", "MSS.20010003", "授权书不清晰或未签字"),
)


class ApiError(Exception):
    """A vendor error reply: HTTP status, ``error_code``, ``error_msg``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message

    # Documented codes (reference section 8.1).
    @classmethod
    def invalid_parameter(cls, detail: str) -> ApiError:
        return cls(400, "MSS.00000003", f"Invalid parameter: {detail}")

    @classmethod
    def invalid_body(cls, detail: str) -> ApiError:
        return cls(400, "MSS.00000002", f"Invalid body: {detail}")

    @classmethod
    def json_exception(cls) -> ApiError:
        return cls(400, "MSS.10000002", "Request JSON exception")

    @classmethod
    def validation(cls, detail: str) -> ApiError:
        return cls(400, "MSS.10000003", f"Parameter validation abnormal: {detail}")

    @classmethod
    def tenant_mismatch(cls) -> ApiError:
        return cls(400, "MSS.00010009", "urlTenantId is not equal tokenTenantId")

    # Emulator-chosen codes.
    @classmethod
    def job_not_found(cls, job_id: str) -> ApiError:
        return cls(404, "MSS.00010004", f"The job does not exist: {job_id}")

    @classmethod
    def invalid_state(cls, state: str, action: str) -> ApiError:
        return cls(400, "MSS.00010010", f"The job in state {state} does not allow {action}")
