"""The fault switchboard of the demo registry: shares, counters, method filters."""

from __future__ import annotations

import pytest

from kiosk.demo_registry.faults import Faults, FaultSettings


def test_defaults_inject_nothing() -> None:
    faults = Faults()
    assert faults.latency("getSpecialitiesInfo") == 0
    assert faults.fail_status("createAppointment") is None
    assert not faults.drop_answer("createAppointment")
    assert not faults.steal_slot("createAppointment") and not faults.empty_result("getDoctorsInfo")


def test_counters_run_out() -> None:
    faults = Faults(FaultSettings(fail_next=2, drop_next=1, steal_next=1, empty_next=1))
    assert [faults.fail_status("x") for _ in range(3)] == [503, 503, None]
    assert [faults.drop_answer("x") for _ in range(2)] == [True, False]
    assert faults.steal_slot("createAppointment") and not faults.steal_slot("createAppointment")
    assert not faults.empty_result("createAppointment")  # writes never answer {}
    assert faults.empty_result("getDoctorsInfo") and not faults.empty_result("getDoctorsInfo")


def test_shares_are_shares() -> None:
    always, never = Faults(FaultSettings(fail_rate=1.0)), Faults(FaultSettings(fail_rate=0.0))
    assert all(always.fail_status("x") == 503 for _ in range(50))
    assert all(never.fail_status("x") is None for _ in range(50))
    half = Faults(FaultSettings(drop_rate=0.5), seed=1)
    dropped = sum(half.drop_answer("x") for _ in range(400))
    assert 120 < dropped < 280


def test_method_filters() -> None:
    faults = Faults(
        FaultSettings(
            fail_next=5,
            latency=1.5,
            methods=["createAppointment"],
            drop_next=5,
            drop_methods=["shiftAppointment"],
        )
    )
    assert faults.fail_status("getDoctorsInfo") is None and faults.latency("getDoctorsInfo") == 0
    assert faults.fail_status("createAppointment") == 503 and faults.latency("createAppointment") == 1.5
    assert not faults.drop_answer("createAppointment") and faults.drop_answer("shiftAppointment")


def test_down_beats_filters_and_update_checks_names() -> None:
    faults = Faults(FaultSettings(methods=["createAppointment"]))
    faults.update({"down": 1, "fail_status": "502"})
    assert faults.fail_status("getDoctorsInfo") == 502
    with pytest.raises(ValueError, match="unknown fault setting"):
        faults.update({"explode": True})
    faults.reset()
    assert faults.snapshot() == FaultSettings().__dict__
