"""The conformance tests run the kit on every adapter; the kit's own tests run it through
pytester on adapters broken on purpose."""

pytest_plugins = ["pytester"]
