"""The public surface is explicit and pinned; importing it loads no adapter or vendor code."""

import subprocess
import sys
import types

import voiceclone
import voiceclone.adapter

EXPECTED = {
    "AsyncClient",
    "AuthenticationError",
    "Capabilities",
    "Client",
    "ConflictError",
    "CreatedJob",
    "CursorToken",
    "Failure",
    "Gender",
    "JobFailedError",
    "JobQuery",
    "JobStatus",
    "NewJob",
    "NotFoundError",
    "OffsetLimit",
    "Page",
    "PageNumber",
    "PermissionDeniedError",
    "ProviderError",
    "ProviderNotFound",
    "ProviderResponseError",
    "ProviderSpec",
    "RateLimitError",
    "RetryPolicy",
    "ServiceUnavailableError",
    "SortOrder",
    "Timeout",
    "TimeoutError",
    "TransportError",
    "UnsupportedOperation",
    "UploadTarget",
    "ValidationError",
    "VoiceCloneError",
    "VoiceCloningJob",
    "WaitTimeoutError",
    "from_dict",
    "providers",
    "register_provider",
    "resolve_provider",
    "to_dict",
}


def test_all_is_pinned_and_sorted() -> None:
    assert set(voiceclone.__all__) == EXPECTED
    assert list(voiceclone.__all__) == sorted(voiceclone.__all__)
    assert len(voiceclone.__all__) == len(set(voiceclone.__all__))


def test_every_exported_name_exists_and_has_a_docstring() -> None:
    for module in (voiceclone, voiceclone.adapter):
        for name in module.__all__:
            value = getattr(module, name)
            if isinstance(value, (type, types.FunctionType)):
                assert value.__doc__, f"{module.__name__}.{name} has no docstring"


def test_error_tree_is_rooted_in_voice_clone_error() -> None:
    errors = [
        getattr(voiceclone, n)
        for n in voiceclone.__all__
        if isinstance(getattr(voiceclone, n), type)
        and issubclass(getattr(voiceclone, n), BaseException)
    ]
    assert len(errors) >= 15
    assert all(issubclass(e, voiceclone.VoiceCloneError) for e in errors)


def test_import_loads_no_adapter_and_no_vendor_package() -> None:
    code = (
        "import sys, voiceclone, voiceclone.adapter\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "{'voiceclone_metastudio', 'voiceclone_ice', 'aliyunsdkcore', 'huaweicloudsdkcore', "
        "'huaweicloudsdkmetastudio', 'alibabacloud_ice20201109'}]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_importtime_shows_no_adapter_or_vendor_import() -> None:
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import voiceclone"],
        capture_output=True,
        text=True,
        check=True,
    )
    for name in ("voiceclone_metastudio", "voiceclone_ice", "aliyunsdkcore", "huaweicloudsdk"):
        assert name not in out.stderr
