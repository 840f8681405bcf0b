"""Waiting for a job to finish: the polling state machine both clients drive.

:class:`Waiter` is pure: the client fetches the job, hands it to :meth:`Waiter.observe` with
the current time, and gets back what to do next (report a change, finish, fail, give up, or
sleep for how long). Intervals grow by ``factor`` up to ``max_interval``; the last sleep is cut
to the deadline, and the job is read once more at the deadline before giving up.
"""

from __future__ import annotations

import attrs

from voiceclone._errors import JobFailedError, WaitTimeoutError
from voiceclone._models import JobStatus, VoiceCloningJob

__all__ = ["WaitStep", "Waiter"]


@attrs.frozen(slots=True)
class WaitStep:
    """What to do after one poll: ``changed`` (call ``on_change``), then either ``done`` (return
    ``job``), ``error`` (raise it) or sleep ``delay`` seconds and poll again.
    """

    job: VoiceCloningJob
    changed: bool
    done: bool = False
    error: Exception | None = None
    delay: float = 0.0


@attrs.define
class Waiter:
    """The state of one wait: the deadline, the next interval and the last job seen."""

    job_id: str
    provider: str
    timeout: float
    started: float
    interval: float
    raise_on_failure: bool = True
    max_interval: float = 60.0
    factor: float = 1.5
    last: VoiceCloningJob | None = None

    @property
    def deadline(self) -> float:
        return self.started + self.timeout

    def observe(self, job: VoiceCloningJob, now: float) -> WaitStep:
        """Take one polled job at time ``now`` and decide the next step."""
        previous, self.last = self.last, job
        changed = previous is None or (previous.status, previous.raw_status) != (
            job.status,
            job.raw_status,
        )
        if job.status is JobStatus.FAILED and self.raise_on_failure:
            return WaitStep(job, changed, error=JobFailedError(job))
        if job.status.is_terminal:
            return WaitStep(job, changed, done=True)
        remaining = self.deadline - now
        if remaining <= 0:
            error = WaitTimeoutError(self.job_id, self.timeout, job, provider=self.provider)
            return WaitStep(job, changed, error=error)
        delay = min(self.interval, remaining)
        self.interval = min(self.interval * self.factor, max(self.max_interval, self.interval))
        return WaitStep(job, changed, delay=delay)

    def expired(self, now: float) -> WaitTimeoutError | None:
        """The timeout error when a poll failed past the deadline (None while time remains)."""
        if now < self.deadline:
            return None
        return WaitTimeoutError(self.job_id, self.timeout, self.last, provider=self.provider)
