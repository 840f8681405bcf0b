"""Client construction, the neutral operations, call() with operations, and closing."""

from __future__ import annotations

import httpx
import pytest
from vc_fake_vendor import Store, async_client, client

import voiceclone
from voiceclone import (
    AsyncClient,
    Client,
    NewJob,
    NotFoundError,
    ProviderNotFound,
    UnsupportedOperation,
    ValidationError,
)

pytestmark = pytest.mark.usefixtures("fake_provider")


def test_exports_and_cheap_import():
    for name in ("Client", "AsyncClient", "RetryPolicy", "Timeout"):
        assert name in voiceclone.__all__
    assert voiceclone.__all__ == sorted(voiceclone.__all__)


def test_properties_and_repr():
    with client(Store()) as c:
        assert c.provider_id == "fake"
        assert c.capabilities.paging.max_limit == 10
        assert c.provider.id == "fake"
        assert repr(c) == "Client('fake')"


def test_unknown_provider():
    with pytest.raises(ProviderNotFound):
        Client("no-such-vendor")


def test_bad_settings_fail_early():
    with pytest.raises(ValidationError) as info:
        Client("fake", max_concurrency=0)
    assert info.value.field == "max_concurrency"
    with pytest.raises(ValidationError):
        Client("fake", http_client=httpx.AsyncClient())
    with pytest.raises(ValidationError):
        AsyncClient("fake", http_client=httpx.Client())


def test_neutral_operations():
    store = Store.numbered(3)
    with client(store) as c:
        assert c.get_job("j00002").voice_name == "v2"
        created = c.create_job(NewJob(voice_name="Gentle", voice_id="mine"))
        assert created.job.job_id == "mine"
        c.submit_job("mine")  # an operation of two calls: look up, then submit
        assert store.rows["mine"].status == "TRAINING"
        c.delete_job("mine")
        assert "mine" not in store.rows
        with pytest.raises(NotFoundError) as info:
            c.submit_job("mine")
        assert info.value.provider == "fake"


def test_operation_errors_are_thrown_into_the_generator():
    store = Store.numbered(1)
    with client(store) as c:
        provider = c.provider

        def tolerant():
            try:
                yield provider.get_job("missing")
            except NotFoundError:
                return "handled"
            return "not reached"

        assert c.call(tolerant()) == "handled"
        with pytest.raises(ValidationError):
            c.call("nonsense")


def test_unsupported_operation_names_the_provider():
    store = Store.numbered(1)
    with client(store, can_delete=False) as c:
        with pytest.raises(UnsupportedOperation) as info:
            c.delete_job("j00000")
        assert info.value.provider == "fake" and "fake" in str(info.value)
    assert store.requests == []


def test_validation_before_the_network():
    store = Store.numbered(1)
    with client(store) as c:
        for bad in ("", "   ", None):
            with pytest.raises(ValidationError) as info:
                c.get_job(bad)
            assert info.value.field == "job_id"
        with pytest.raises(ValidationError) as info:
            c.create_job({"voice_name": "x"})
        assert info.value.field == "new"
    assert store.requests == []


def test_injected_http_client_is_not_closed_but_own_one_is():
    http = httpx.Client(transport=httpx.MockTransport(Store.numbered(1).handle))
    with Client("fake", http_client=http) as c:
        c.get_job("j00000")
    assert not http.is_closed
    own = Client("fake")
    own.close()
    assert own._http.is_closed


async def test_async_neutral_operations():
    store = Store.numbered(2)
    async with async_client(store) as c:
        assert (await c.get_job("j00001")).job_id == "j00001"
        await c.create_job(NewJob(voice_name="A", voice_id="n1"))
        await c.submit_job("n1")
        await c.delete_job("n1")
        assert "n1" not in store.rows
        page = await c.get_page(offset=0, limit=1)
        assert page.items[0].job_id == "j00001" and page.total == 2


async def test_async_close_variants():
    c = AsyncClient("fake")
    await c.close()
    assert c._http.is_closed
