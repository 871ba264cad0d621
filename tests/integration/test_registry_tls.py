"""TLS settings of the client against the demo registry serving HTTPS with certificates made by openssl."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

import kiosk.config  # noqa: F401  (first: entering through a section module is an import cycle)
from kiosk.clock import ManualClock
from kiosk.demo_registry import DemoRegistryHandle, TlsFiles, start_demo_registry
from kiosk.errors import RegistryUnavailable
from kiosk.registry.config import RegistryConfig
from kiosk.registry.emias import EmiasRegistry
from kiosk.registry.factory import tls_options
from kiosk.registry.jsonrpc import TransportFailure
from tests.registry.support import ELENA, PINNED_NOW, key_of

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A test CA, a server certificate for 127.0.0.1 and a client certificate, all signed by the CA."""
    where = tmp_path_factory.mktemp("pki")
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=Kiosk test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        cwd=where,
    )
    (where / "server.ext").write_text("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n")
    (where / "client.ext").write_text("basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n")
    for name in ("server", "client"):
        openssl(
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            f"{name}.key",
            "-out",
            f"{name}.csr",
            "-subj",
            f"/CN={name}",
            cwd=where,
        )
        openssl(
            "x509",
            "-req",
            "-in",
            f"{name}.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            f"{name}.pem",
            "-days",
            "2",
            "-extfile",
            f"{name}.ext",
            cwd=where,
        )
    return where


@pytest.fixture
def https_demo(tmp_path: Path, pki: Path) -> Iterator[DemoRegistryHandle]:
    tls = TlsFiles(pki / "server.pem", pki / "server.key")
    with start_demo_registry(tmp_path / "tls.sqlite", seed=1, clock=ManualClock(PINNED_NOW), tls=tls) as handle:
        yield handle


@pytest.fixture
def mutual_demo(tmp_path: Path, pki: Path) -> Iterator[DemoRegistryHandle]:
    tls = TlsFiles(pki / "server.pem", pki / "server.key", client_ca=pki / "ca.pem")
    with start_demo_registry(tmp_path / "mtls.sqlite", seed=1, clock=ManualClock(PINNED_NOW), tls=tls) as handle:
        yield handle


def client_for(handle: DemoRegistryHandle, **settings: object) -> EmiasRegistry:
    verify, cert = tls_options(RegistryConfig(kind="emias", url=handle.url, **settings))  # type: ignore[arg-type]
    return EmiasRegistry(handle.url, 2, 5, verify=verify, cert=cert, read_retries=0)


def test_unknown_certificate_authority_is_refused_by_default(https_demo: DemoRegistryHandle) -> None:
    assert https_demo.url.startswith("https://")
    with pytest.raises(TransportFailure) as caught:
        client_for(https_demo).specialties(key_of(ELENA))
    assert caught.value.maybe_delivered is False  # a failed handshake sends nothing


def test_ca_bundle_makes_it_trusted(https_demo: DemoRegistryHandle, pki: Path) -> None:
    assert client_for(https_demo, ca_bundle=pki / "ca.pem").specialties(key_of(ELENA))


def test_verification_off_works_but_is_not_the_default(https_demo: DemoRegistryHandle) -> None:
    assert RegistryConfig().tls_verify is True
    assert client_for(https_demo, tls_verify=False).specialties(key_of(ELENA))


def test_client_certificate(mutual_demo: DemoRegistryHandle, pki: Path) -> None:
    with pytest.raises(RegistryUnavailable):
        client_for(mutual_demo, ca_bundle=pki / "ca.pem").specialties(key_of(ELENA))
    trusted = client_for(
        mutual_demo, ca_bundle=pki / "ca.pem", client_cert=pki / "client.pem", client_key=pki / "client.key"
    )
    assert trusted.specialties(key_of(ELENA))
