"""One way to find a program (Mailpit, chromedriver, Java): a variable that names it, PATH, then known places."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from herstelpad.locate import SetupError, find_binary, find_java, find_mailpit


def program(folder: Path, name: str, script: str = "exit 0") -> Path:
    """A small executable shell script."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def java(home: Path, version: str) -> Path:
    """A `bin/java` that prints a version the way a JDK does (on stderr)."""
    return program(home / "bin", "java", f'echo \'openjdk version "{version}" 2024-01-16\' >&2')


@pytest.fixture
def empty_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """PATH holds one empty folder of this test only."""
    folder = tmp_path / "path"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    return folder


def test_the_variable_wins_then_path_then_the_places_in_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                              empty_path: Path) -> None:
    first, second = program(tmp_path / "a", "tool"), program(tmp_path / "b", "tool")
    places = [(first, "place a"), (second, "place b")]
    monkeypatch.delenv("TOOL_BIN", raising=False)
    assert find_binary("TOOL_BIN", "tool", places) == find_binary("TOOL_BIN", "tool", places[:1])
    assert find_binary("TOOL_BIN", "tool", places).how == "place a"  # type: ignore[union-attr]
    on_path = program(empty_path, "tool")
    assert find_binary("TOOL_BIN", "tool", places).path == str(on_path)  # type: ignore[union-attr]
    monkeypatch.setenv("TOOL_BIN", str(second))
    assert find_binary("TOOL_BIN", "tool", places).how == "TOOL_BIN"  # type: ignore[union-attr]
    assert find_binary("TOOL_BIN", "elsewhere", []) is not None


def test_a_variable_naming_nothing_says_so_instead_of_looking_further(monkeypatch: pytest.MonkeyPatch,
                                                                      tmp_path: Path, empty_path: Path) -> None:
    program(empty_path, "mailpit")
    monkeypatch.setenv("MAILPIT_BIN", str(tmp_path / "weg" / "mailpit"))
    with pytest.raises(SetupError, match=r"MAILPIT_BIN=.*/weg/mailpit: .* does not exist\. Fix or unset it\."):
        find_mailpit()
    monkeypatch.delenv("MAILPIT_BIN")
    assert find_mailpit().how == "PATH"  # type: ignore[union-attr]


def test_nothing_anywhere_is_none(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, empty_path: Path) -> None:
    monkeypatch.delenv("TOOL_BIN", raising=False)
    assert find_binary("TOOL_BIN", "tool", [(tmp_path / "nowhere", "nowhere")]) is None


def test_java_too_old_on_path_is_passed_over_and_java_home_must_be_new_enough(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, empty_path: Path
) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    java(tmp_path / "old", "11.0.22")
    program(empty_path, "java", f'exec {tmp_path / "old" / "bin" / "java"}')
    assert find_java(17) is None
    assert find_java(11).how == "PATH, Java 11"  # type: ignore[union-attr]
    java(tmp_path / "jdk17", "17.0.9")
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "jdk17"))
    found = find_java(17)
    assert found is not None and found.path == str(tmp_path / "jdk17" / "bin" / "java")
    assert found.how == "JAVA_HOME, Java 17"
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "old"))
    with pytest.raises(SetupError, match=r"JAVA_HOME=.*/old: it is Java 11, 17 or newer is needed\. Fix or unset it\."):
        find_java(17)


def test_an_old_style_version_string_reads_as_its_minor_number(tmp_path: Path, empty_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    java(tmp_path / "jdk8", "1.8.0_392")
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "jdk8"))
    with pytest.raises(SetupError, match="it is Java 8"):
        find_java(11)
