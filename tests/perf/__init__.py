"""Benchmarks (``make bench``): voiceclone beside the official vendor SDKs, same run, same machine.

Not tests: pytest never collects this package (no ``test_*.py`` here). Every measurement runs in
a fresh interpreter, and every emulator in a server process of its own, so neither the other
side's CPU nor a previous benchmark's imports or memory leak into a figure.
``docs/performance.md`` explains the figures; ``python -m tests.perf --help`` the options.
"""
