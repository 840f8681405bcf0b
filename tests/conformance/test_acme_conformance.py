"""The conformance kit on the example plugin (``tests/plugins/voiceclone_acme``), installed as
its own distribution and found through its entry point like any third-party plugin."""

from voiceclone.testing.conformance import AdapterConformance


class TestAcmeVoiceConformance(AdapterConformance):
    provider = "acme-voice"
    documented_statuses = frozenset(
        {"draft", "moderating", "queued", "training", "ready", "rejected", "errored"}
    )
