"""The conformance kit on the built-in Huawei Cloud MetaStudio adapter."""

from voiceclone.testing.conformance import AdapterConformance
from voiceclone_metastudio import STATE_TO_STATUS

DOCUMENTED_STATES = {
    *("CREATING", "SYSTEM_AUDITING", "AUDITING", "WAITING_SPLIT", "SPLITTING", "ANNOTATING"),
    *("WAITING", "PROCESSING", "UPLOADING", "RESULT_REVIEW", "USER_RESULT_REVIEW"),
    *("AUDIT_FAILED", "USER_REVIEW_REJECT", "SUCCEED", "FAILED", "SPLIT_FAILED"),
}
"""The 16 ``JobState`` values of reference/huawei-metastudio-api.md (SDK 3.1.219)."""


class TestMetaStudioConformance(AdapterConformance):
    provider = "huawei-metastudio"
    status_table = STATE_TO_STATUS
    documented_statuses = frozenset(DOCUMENTED_STATES)
