"""Test helpers for users' own suites: vendor emulators in-process or on loopback, fault
injection, a client factory and pytest fixtures. (Being written: see the emulator issue.)"""

__all__: list[str] = []
