"""EmiasRegistry.probe(): one request, no patient; what counts as "the registry answers"."""

from __future__ import annotations

import pytest

from kiosk.errors import RegistryError, RegistryUnavailable
from kiosk.registry.emias import PROBE_KEY, PROBE_METHOD, EmiasRegistry
from kiosk.registry.jsonrpc import MethodNotFound, TransportFailure, UnreadableAnswer


def registry(url: str) -> EmiasRegistry:
    return EmiasRegistry(url, connect_timeout=2, read_timeout=2, read_retries=2, retry_backoff=0)


def test_a_result_means_it_answers(scripted) -> None:
    scripted.script.result({"specialities": []})
    registry(scripted.url).probe(timeout=1)
    [request] = scripted.script.requests
    assert request["method"] == PROBE_METHOD
    assert request["params"] == {"omsNumber": PROBE_KEY.policy, "birthDate": PROBE_KEY.birth_date.isoformat()}


@pytest.mark.parametrize(
    ("code", "data_code"), [(500, "PATIENT_NOT_FOUND"), (-32602, "INVALID_PARAMS"), (500, "NO_ATTACHMENT")]
)
def test_a_business_answer_means_it_answers(scripted, code: int, data_code: str) -> None:
    scripted.script.error(code, "Пациент не найден", data_code)
    registry(scripted.url).probe()


def test_an_internal_error_is_a_registry_error_not_an_outage(scripted) -> None:
    scripted.script.error(-32603, "Internal error")
    with pytest.raises(RegistryError) as caught:
        registry(scripted.url).probe()
    assert not isinstance(caught.value, RegistryUnavailable)


def test_no_such_method_is_not_a_registry_we_can_use(scripted) -> None:
    scripted.script.error(-32601, "Method not found")
    with pytest.raises(MethodNotFound):
        registry(scripted.url).probe()


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [(503, b"Service Temporarily Unavailable", TransportFailure), (200, b"<html>proxy</html>", UnreadableAnswer)],
)
def test_no_usable_answer_is_unavailable_and_never_retried(
    scripted, status: int, body: bytes, expected: type[Exception]
) -> None:
    scripted.script.raw(status, body)
    scripted.script.result({"specialities": []})  # a retry would have found this
    with pytest.raises(expected):
        registry(scripted.url).probe()
    assert len(scripted.script.requests) == 1


def test_a_refused_connection_is_unavailable(refused_url: str) -> None:
    with pytest.raises(TransportFailure):
        registry(refused_url).probe(timeout=1)


def test_the_probe_timeout_bounds_a_hung_answer(scripted) -> None:
    scripted.script.raw(200, b"{}", delay=3)  # longer than timeout=0.3, shorter than the test's patience
    with pytest.raises(TransportFailure, match="Timeout"):
        registry(scripted.url).probe(timeout=0.3)
