"""Password hashing: argon2-cffi's defaults outside test mode; cheaper parameters only with a test token, announced."""
from __future__ import annotations

from pathlib import Path

import httpx
from argon2 import PasswordHasher
from argon2.profiles import RFC_9106_LOW_MEMORY

from portal.app import create_app
from portal.config import Config
from portal.security import TESTMODUS_ARGON2, Wachtwoorden
from portal_testhulp import Portal


def _hash_parameters(wachtwoorden: Wachtwoorden) -> str:
    """The parameter part of a fresh hash, e.g. 'm=65536,t=3,p=4'."""
    return wachtwoorden.hash("een wachtwoord").split("$")[3]


def test_zonder_testtoken_de_standaard_van_argon2(tmp_path: Path) -> None:
    """A portal started without a test token hashes with argon2-cffi's defaults (RFC 9106, low memory)."""
    app = create_app(Config(database=str(tmp_path / "p.sqlite3"), base_url="http://127.0.0.1:8000", test_token=None))
    wachtwoorden: Wachtwoorden = app.state.diensten.wachtwoorden
    standaard = PasswordHasher()
    assert not wachtwoorden.testmodus
    assert wachtwoorden.parameters() == {"time_cost": standaard.time_cost, "memory_cost": standaard.memory_cost,
                                         "parallelism": standaard.parallelism}
    assert (standaard.time_cost, standaard.memory_cost) == (RFC_9106_LOW_MEMORY.time_cost,
                                                            RFC_9106_LOW_MEMORY.memory_cost)
    assert _hash_parameters(wachtwoorden) == f"m={standaard.memory_cost},t={standaard.time_cost},p={standaard.parallelism}"


def test_met_testtoken_goedkoop_en_elke_hash_blijft_geldig(tmp_path: Path) -> None:
    """In test mode new hashes are cheap; a hash made with the defaults still verifies (argon2 keeps its parameters)."""
    app = create_app(Config(database=str(tmp_path / "p.sqlite3"), base_url="http://127.0.0.1:8000", test_token="t" * 32))
    wachtwoorden: Wachtwoorden = app.state.diensten.wachtwoorden
    assert wachtwoorden.testmodus and wachtwoorden.parameters() == TESTMODUS_ARGON2
    assert _hash_parameters(wachtwoorden) == "m=8192,t=1,p=1"
    assert wachtwoorden.controleer(Wachtwoorden().hash("geheim"), "geheim")
    assert not wachtwoorden.controleer(Wachtwoorden().hash("geheim"), "anders")


def test_testdata_api_kondigt_de_testparameters_aan(portal: Portal) -> None:
    """GET /__test__/modus says test mode and its argon2 parameters."""
    with portal.test_api() as api:
        antwoord = api.get("/__test__/modus").json()
    assert antwoord["testmodus"] is True and antwoord["argon2"] == TESTMODUS_ARGON2
    assert antwoord["melding"] == "test mode: argon2id time_cost=1 memory_cost=8 MiB parallelism=1"


def test_zonder_token_geen_modus_en_de_standaard_in_het_log(portal_zonder_token: Portal, portal: Portal) -> None:
    """Started without a token the portal process says it uses the defaults, and has no test-mode announcement."""
    assert httpx.get(f"{portal_zonder_token.url}/__test__/modus").status_code == 404
    standaard = PasswordHasher()
    regel = portal_zonder_token.uitvoer.wacht_op("wachtwoorden: ", 5)
    assert regel.endswith(f"production defaults: argon2id time_cost={standaard.time_cost} "
                          f"memory_cost={standaard.memory_cost // 1024} MiB parallelism={standaard.parallelism}")
    assert portal.uitvoer.wacht_op("wachtwoorden: ", 5).endswith("test mode: argon2id time_cost=1 memory_cost=8 MiB "
                                                                  "parallelism=1")
