"""Which simulators exist, and their default loopback ports (match .env.example)."""

from __future__ import annotations

import importlib
import importlib.util

# name -> (module with `build(**options) -> JSONServer` or `serve(port)`, default port)
SIMULATORS: dict[str, tuple[str, int]] = {}


def register(name: str, module: str, port: int) -> None:
    SIMULATORS[name] = (module, port)


def load(name: str):
    module, _port = SIMULATORS[name]
    return importlib.import_module(module)


# Each simulator registers itself here when it is added.
for _name, _module, _port in [
    ("dukcapil", "simulators.dukcapil", 8101),
    ("sms", "simulators.sms", 8102),
    ("whatsapp", "simulators.whatsapp", 8103),
    ("lapor", "simulators.lapor", 8104),
    ("oidc", "simulators.oidc", 8105),
    ("smtp", "simulators.smtp_sink", 8025),
]:
    if importlib.util.find_spec(_module) is not None:
        register(_name, _module, _port)
