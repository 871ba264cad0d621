"""EmiasRegistry offers every method of RegistryPort with the same parameters."""

from __future__ import annotations

import inspect

import pytest

from kiosk.registry.emias import EmiasRegistry
from kiosk.registry.port import RegistryPort

PORT_METHODS = [
    name for name, member in vars(RegistryPort).items() if callable(member) and not name.startswith("_")
]


def test_the_port_has_the_designed_methods() -> None:
    assert {
        "identify",
        "specialties",
        "doctors",
        "schedule",
        "book",
        "appointments",
        "close",
        "referrals",
        "doctors_by_referral",
        "doctors_for_reschedule",
        "reschedule",
        "cancel",
        "check_in",
        "supports_check_in",
        "lpus_for_specialty",
        "assignments",
    } <= set(PORT_METHODS)


@pytest.mark.parametrize("name", PORT_METHODS)
def test_adapter_signature_matches_the_port(name: str) -> None:
    port = inspect.signature(getattr(RegistryPort, name))
    adapter = inspect.signature(getattr(EmiasRegistry, name))
    assert list(port.parameters) == list(adapter.parameters)
    for parameter in port.parameters.values():
        assert adapter.parameters[parameter.name].default == parameter.default
