"""The pack contract's core parts: packs found by name, a person's new password, people without organisations."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from faker import Faker

from herstelpad.cli import load_pack, main
from herstelpad.pack import (
    PackError,
    TargetPack,
    find_pack,
    pack_names,
    repository_root,
)
from herstelpad.people import PeopleFactory, Person, Provisioner
from herstelpad.scaffold import ScaffoldError, init_pack
from herstelpad.secrets import REGISTRY
from herstelpad.settings import SettingsError

PACK_MODULE = '''
from herstelpad.pack import RunningTarget, TargetPack


class {cls}(TargetPack):
    """A pack of a test repository."""

    name = "{name}"

    def start(self, context):
        return RunningTarget("http://127.0.0.1:9")
{tail}'''


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A repository of its own with two packs in fixtures/, the current folder; its modules forgotten afterwards."""
    for name, cls, tail in (("mijnapp", "MijnApp", ""), ("ander", "Ander", "\nPACK = Ander()\n")):
        folder = tmp_path / "fixtures" / name
        folder.mkdir(parents=True)
        (folder / "__init__.py").write_text("")
        (folder / "pack.py").write_text(PACK_MODULE.format(cls=cls, name=name, tail=tail))
        (tmp_path / "steps" / name).mkdir(parents=True)
    (tmp_path / "fixtures" / "__init__.py").write_text("")
    monkeypatch.chdir(tmp_path)
    ours = {name: module for name, module in sys.modules.items() if name == "fixtures" or name.startswith("fixtures.")}
    for name in ours:  # this repository's own fixtures package would hide the test repository's
        del sys.modules[name]
    yield tmp_path
    for name in [name for name in sys.modules if name == "fixtures" or name.startswith("fixtures.")]:
        del sys.modules[name]
    sys.modules.update(ours)
    if str(tmp_path) in sys.path:
        sys.path.remove(str(tmp_path))


def test_a_repository_pack_is_found_by_its_name_and_its_module_without_a_pack_attribute(repository: Path) -> None:
    """`herstelpad serve --pack fixtures.mijnapp.pack` used to say 'no target pack' for a module with a class only."""
    assert load_pack("fixtures.mijnapp.pack").name == "mijnapp"
    assert load_pack("mijnapp").name == "mijnapp" and load_pack("ander").name == "ander"
    assert load_pack("fixtures.ander.pack:PACK").name == "ander"
    assert find_pack("mijnapp").scenario_folder() == repository / "steps" / "mijnapp"
    assert pack_names(repository_root(repository / "steps" / "mijnapp")) == ["ander", "mijnapp"]


def test_a_wrong_pack_name_lists_the_packs_that_exist_in_one_line(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SettingsError) as wrong:
        load_pack("mijnap")
    assert str(wrong.value) == "--pack mijnap: no pack named 'mijnap'; packs here: ander, mijnapp"
    assert main(["serve", "--pack", "mijnap"]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [f"herstelpad: {wrong.value}"]


def test_an_installed_pack_is_found_through_its_entry_point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A distribution's entry point `herstelpad.packs` (a real dist-info on the import path, read by importlib.metadata)."""
    site = tmp_path / "site"
    (site / "geinstalleerd").mkdir(parents=True)
    (site / "geinstalleerd" / "__init__.py").write_text(PACK_MODULE.format(cls="Geinstalleerd", name="geinstalleerd", tail=""))
    info = site / "geinstalleerd_pack-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: geinstalleerd-pack\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[herstelpad.packs]\ngeinstalleerd = geinstalleerd:Geinstalleerd\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.chdir(tmp_path)
    try:
        pack = find_pack("geinstalleerd")
        assert isinstance(pack, TargetPack) and pack.name == "geinstalleerd"
        assert "geinstalleerd" in pack_names(None)
    finally:
        sys.modules.pop("geinstalleerd", None)


def test_a_pack_is_one_name(repository: Path) -> None:
    (repository / "fixtures" / "mijnapp" / "pack.py").write_text(PACK_MODULE.format(cls="X", name="anders", tail=""))
    with pytest.raises(PackError, match="calls itself 'anders'"):
        find_pack("mijnapp")


class Users(Provisioner):
    """A provisioner of a target without organisations, keeping what it was asked."""

    def __init__(self) -> None:
        """Nothing made yet."""
        self.made: list[Person] = []

    def create_user(self, person: Person, **options: Any) -> dict[str, Any]:
        """Notes the person."""
        self.made.append(person)
        return {"id": len(self.made)}


def test_people_of_a_target_without_organisations_get_none_invented() -> None:
    users = Users()
    people = PeopleFactory(Faker("nl_NL"), users, "r1")
    first, second = people.person(), people.person()
    assert first.organisation is None and users.made[0].organisation is None
    assert first.email.split("@")[1] == second.email.split("@")[1] and first.email != second.email
    with pytest.raises(NotImplementedError, match="makes no organisations"):
        people.organisation()


def test_a_new_password_is_a_method_that_registers_the_secret() -> None:
    person = PeopleFactory(Faker("nl_NL"), Users(), "r2").person()
    new = person.with_password("Nieuw-wachtwoord-7f3a9c2e")
    assert new.password == "Nieuw-wachtwoord-7f3a9c2e" and person.password != new.password
    assert new.email == person.email and REGISTRY.is_secret("Nieuw-wachtwoord-7f3a9c2e")


@pytest.mark.parametrize(("name", "url", "message"), [
    ("Mijn-App", "http://127.0.0.1/", "'Mijn-App' is no pack name"),
    ("class", "http://127.0.0.1/", "'class' is no pack name"),
    ("app", "127.0.0.1/inloggen", "is no URL of a login page"),
])
def test_init_refuses_a_bad_name_or_url(tmp_path: Path, name: str, url: str, message: str) -> None:
    with pytest.raises(ScaffoldError, match=message):
        init_pack(name, url, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_init_refuses_existing_folders_and_keeps_a_projects_own_files(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text("# mine\n")
    written = init_pack("app", "http://127.0.0.1:9/", tmp_path)
    assert tmp_path / "fixtures" / "app" / "pack.py" in written and (tmp_path / "conftest.py").read_text() == "# mine\n"
    (tmp_path / "features" / "twee").mkdir(parents=True)
    with pytest.raises(ScaffoldError, match=r"pack twee exists already here \(features/twee/\)"):
        init_pack("twee", "http://127.0.0.1:9/", tmp_path)
    assert not (tmp_path / "steps" / "twee").exists()
