"""Facts about the ICE API (2020-11-09) that every other module of the adapter shares."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from voiceclone.adapter import Capabilities, PageNumber, SortOrder

__all__ = [
    "API_VERSION",
    "CAPABILITIES",
    "DEFAULT_REGION",
    "EDITIONS",
    "GUARDED_PARTITIONS",
    "LIST_PARTITIONS",
    "PROVIDER_ID",
    "REGIONS",
    "SETTINGS",
    "canonical_edition",
    "endpoint_for",
]

PROVIDER_ID = "alibaba-ice"
API_VERSION = "2020-11-09"

REGIONS = ("cn-shanghai", "cn-hangzhou", "cn-beijing", "cn-shenzhen", "ap-southeast-1", "us-west-1")
"""The regions the ICE endpoint page documents (``ice.{region}.aliyuncs.com``)."""

DEFAULT_REGION = "cn-shanghai"
"""The region the voice-cloning pages use in their examples."""

EDITIONS = ("Basic", "Standard", "CosyVoice")
"""The job editions: ``Type`` values, plus CosyVoice, which has its own submit operation."""

LIST_PARTITIONS = ("Basic", "Standard", "CosyVoice")
"""The ``Type`` values listed for "every job": ``ListCustomizedVoiceJobs`` assumes ``Basic``
when ``Type`` is omitted, so each edition is listed on its own. ``Basic`` and ``Standard`` are
documented; ``CosyVoice`` is not (CosyVoice has its own submit operation and its jobs' ``Type``
is undocumented), so its partition is read defensively (see ``IceProvider.list_jobs``)."""

GUARDED_PARTITIONS = frozenset({"CosyVoice"})
"""Partitions whose ``Type`` value the list API does not document."""

SETTINGS: Mapping[str, str] = MappingProxyType(
    {
        "region": f"region id, one of {', '.join(REGIONS)} (default {DEFAULT_REGION})",
        "endpoint": "base URL overriding https://ice.{region}.aliyuncs.com "
        "(else VOICECLONE_ALIBABA_ENDPOINT)",
        "access_key_id": "AccessKey id (else ALIBABA_CLOUD_ACCESS_KEY_ID, ALIYUN_ACCESS_KEY_ID)",
        "access_key_secret": "AccessKey secret (else ALIBABA_CLOUD_ACCESS_KEY_SECRET, "
        "ALIYUN_ACCESS_KEY_SECRET)",
        "security_token": "STS SecurityToken for temporary keys "
        "(else ALIBABA_CLOUD_SECURITY_TOKEN)",
        "env": "the environment to read credentials from (default os.environ)",
    }
)
"""The settings ``PROVIDER.create`` takes, with their help."""

_EDITION_BY_TEXT = {edition.lower(): edition for edition in EDITIONS}

CAPABILITIES = Capabilities(
    paging=PageNumber(max_size=100, first=1),
    pushed_down_filters=frozenset({"edition"}),
    orders=(SortOrder.NEWEST_FIRST,),
    editions=EDITIONS,
    default_edition="Basic",
    regions=REGIONS,
    languages=("zh",),
    can_create=True,
    can_submit=True,
    can_delete=True,
    segment_upload=False,
    client_chosen_voice_id=True,
    max_voice_name_length=32,
)


def canonical_edition(value: str) -> str | None:
    """The edition spelled as the API spells it (``standard`` -> ``Standard``); None if unknown."""
    return _EDITION_BY_TEXT.get(value.lower())


def endpoint_for(region: str) -> str:
    """The public regional endpoint."""
    return f"https://ice.{region}.aliyuncs.com"
