"""Job ids that URL normalisation would rewrite are refused before any request."""

import pytest

import voiceclone
from voiceclone_metastudio._api import check_id


@pytest.mark.parametrize("job_id", [".", ".."])
def test_dot_segments_are_not_job_ids(job_id: str) -> None:
    with pytest.raises(voiceclone.ValidationError, match="job_id"):
        check_id(job_id)


@pytest.mark.parametrize("job_id", [".", ".."])
def test_the_client_refuses_them_for_every_provider(job_id: str) -> None:
    from voiceclone.testing import emulate

    with (
        emulate("alibaba-ice") as emulated,
        emulated.client() as client,
        pytest.raises(voiceclone.ValidationError, match="job_id"),
    ):
        client.get_job(job_id)


def test_a_dotted_id_that_is_not_a_segment_is_fine() -> None:
    assert check_id("a.b") == "a.b"
