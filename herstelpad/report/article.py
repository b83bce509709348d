"""A help article as its own text: parsed from a pack's plain-text file into sections, paragraphs and lists.

The text keeps the markup it has (`**vet**`, `[link](#)`, `- ` bullets, `1. ` steps, ` - o ` sub-items); the pack
names which lines are headings and which runs of lines transcribe a picture of the original article, and maps
each numbered step to the scenario step that shows it (`Shot`).
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

if TYPE_CHECKING:
    from herstelpad.report.model import Run

_NUMBERED = re.compile(r"^(\d+)\.\s+(.*)$")
_BULLET = re.compile(r"^-\s+(.*)$")
_SUB_ITEM = re.compile(r"^-\s+o\s+(.*)$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)]*)\)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Shot:
    """Where a numbered step of the article is done: a step of a named scenario, with the control to use.

    The picture is the screen *before* the step's action (the control outlined); `after` adds the screen after it;
    `phone` names the actor of the journal whose phone the step is done on (a phone card instead of a screen).
    """

    scenario: str
    step: str
    highlight: str | None = None
    after: bool = False
    phone: str | None = None
    caption: str = ""  # what the picture shows, when the step text alone does not say it
    occurrence: int = 1  # the n-th step of the scenario with this text


@dataclass(frozen=True)
class ArticleItem:
    """One item of a list: its text, its number (None for a bullet), its sub-items and the lines that follow it."""

    text: str
    number: int | None = None
    children: tuple[str, ...] = ()
    follows: tuple[ArticleBlock, ...] = ()


@dataclass(frozen=True)
class ArticleBlock:
    """A paragraph, a picture of the original (its transcribed lines), a bullet list or a numbered list."""

    kind: str  # "paragraph", "picture", "bullets", "steps"
    text: str = ""
    lines: tuple[str, ...] = ()
    items: tuple[ArticleItem, ...] = ()


@dataclass(frozen=True)
class ArticleSection:
    """A part of the article under one heading (the first part has none)."""

    key: str
    title: str
    blocks: tuple[ArticleBlock, ...]

    def steps(self) -> list[ArticleItem]:
        """The numbered items of this part, in order."""
        return [item for block in self.blocks if block.kind == "steps" for item in block.items]


@dataclass(frozen=True)
class Article:
    """A help article: its title, its parts in order, and per (part key, step number) the shots that show it."""

    title: str
    sections: tuple[ArticleSection, ...]
    shots: Mapping[tuple[str, int], tuple[Shot, ...]] = field(default_factory=dict)

    def shots_for(self, scenario: str, step: str) -> list[Shot]:
        """The shots that ask for a picture of this scenario step."""
        return [shot for shots in self.shots.values() for shot in shots if shot.scenario == scenario and shot.step == step]

    def scenarios(self) -> list[str]:
        """The names of the scenarios the shots come from, in order of first use."""
        return list(dict.fromkeys(shot.scenario for shots in self.shots.values() for shot in shots))


# --- parsing ----------------------------------------------------------------------------------


@dataclass
class _Item:
    """A list item while it is being read."""

    text: str
    number: int | None
    children: list[str] = field(default_factory=list)
    follows: list[ArticleBlock] = field(default_factory=list)

    def frozen(self) -> ArticleItem:
        """The finished item."""
        return ArticleItem(self.text, self.number, tuple(self.children), tuple(self.follows))


@dataclass
class _Section:
    """A section while it is being read."""

    key: str
    title: str
    blocks: list[ArticleBlock] = field(default_factory=list)
    items: list[_Item] = field(default_factory=list)
    kind: str = ""  # the kind of the open list

    def close_list(self) -> None:
        """Ends the open list."""
        if self.items:
            self.blocks.append(ArticleBlock(self.kind, items=tuple(item.frozen() for item in self.items)))
        self.items, self.kind = [], ""

    def add(self, block: ArticleBlock) -> None:
        """A paragraph or picture: it belongs to the open numbered list's last step, else it stands alone."""
        if self.kind == "steps":
            self.items[-1].follows.append(block)
        elif self.kind == "bullets" and block.kind == "paragraph" and self.items and not self.items[-1].follows:
            self.items[-1].follows.append(block)  # "Let op! …" right under a bullet
        else:
            self.close_list()
            self.blocks.append(block)

    def frozen(self) -> ArticleSection:
        """The finished section."""
        self.close_list()
        return ArticleSection(self.key, self.title, tuple(self.blocks))


def parse_article(
    text: str,
    headings: Mapping[str, str],
    pictures: tuple[tuple[str, str], ...] = (),
    shots: Mapping[tuple[str, int], tuple[Shot, ...]] | None = None,
) -> Article:
    """Reads an article: the first line is its title, `headings` maps heading lines to part keys, and each
    (first line, last line) of `pictures` encloses the transcribed text of a picture of the original."""
    lines = [line.rstrip() for line in text.splitlines()]
    title_index = next(i for i, line in enumerate(lines) if line.strip())
    title = lines[title_index].strip()
    sections = [_Section("inleiding", "")]
    picture: list[str] | None = None
    picture_end = ""
    after_item = False  # the previous line was a list item (a line right under it belongs to it)
    for raw in lines[title_index + 1 :]:
        line = raw.strip()
        current = sections[-1]
        if picture is not None:
            if line:
                picture.append(line)
            if line == picture_end:
                current.add(ArticleBlock("picture", lines=tuple(picture)))
                picture = None
            continue
        if not line:
            after_item = False
            continue
        if line in headings:
            current.close_list()
            sections.append(_Section(headings[line], line))
            continue
        starts = [end for first, end in pictures if first == line]
        if starts:
            picture, picture_end = [line], starts[0]
            continue
        if (sub := _SUB_ITEM.match(raw.strip())) and raw.startswith(" ") and current.items:
            current.items[-1].children.append(sub.group(1))
        elif numbered := _NUMBERED.match(line):
            number = int(numbered.group(1))
            if current.kind != "steps" or number == 1:
                current.close_list()
                current.kind = "steps"
            current.items.append(_Item(numbered.group(2), number))
        elif bullet := _BULLET.match(line):
            if current.kind != "bullets":
                current.close_list()
                current.kind = "bullets"
            current.items.append(_Item(bullet.group(1), None))
        elif after_item and current.items:
            current.items[-1].follows.append(ArticleBlock("paragraph", line))
        else:
            current.add(ArticleBlock("paragraph", line))
        after_item = bool(_NUMBERED.match(line) or _BULLET.match(line))
    return Article(title, tuple(section.frozen() for section in sections), dict(shots or {}))


def load_article(
    path: Path, headings: Mapping[str, str], pictures: tuple[tuple[str, str], ...] = (),
    shots: Mapping[tuple[str, int], tuple[Shot, ...]] | None = None,
) -> Article:
    """Reads and parses an article file (UTF-8); the shots must name steps the article has."""
    article = parse_article(path.read_text(encoding="utf-8"), headings, pictures, shots)
    numbers = {(section.key, item.number) for section in article.sections for item in section.steps()}
    unknown = sorted(set(article.shots) - numbers)
    if unknown:
        raise ValueError(f"{path.name}: the shots name steps the article does not have: {unknown}")
    return article


NO_ARTICLE = Article(title="Levende documentatie", sections=())  # a report without an article: no Handleiding


def article_from_module(module_name: str | None) -> Article | None:
    """The ARTICLE of the module a pack names (`article_module`), None when there is none or it cannot be imported."""
    if not module_name:
        return None
    if str(Path.cwd()) not in sys.path:  # `herstelpad report` runs outside pytest, from the project folder
        sys.path.insert(0, str(Path.cwd()))
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    article = getattr(module, "ARTICLE", None)
    return article if isinstance(article, Article) else None


def article_of(run: Run) -> Article:
    """The article named by the run's scenarios (the first pack that names one), else NO_ARTICLE."""
    for name in dict.fromkeys(scenario.article for scenario in run.scenarios if scenario.article):
        article = article_from_module(name)
        if article is not None:
            return article
    return NO_ARTICLE


@cache
def _cached_article(module_name: str) -> Article | None:
    """The article of a module, loaded once per process."""
    return article_from_module(module_name)


def shots_for_step(module_name: str | None, scenario: str, step: str) -> list[Shot]:
    """The shots of a pack's help article that show this step of this scenario (none without an article)."""
    article = _cached_article(module_name) if module_name else None
    return article.shots_for(scenario, step) if article is not None else []


# --- text ---------------------------------------------------------------------------------------


def inline(text: str) -> Markup:
    """The article's inline markup as HTML: **vet** in <strong>, [link](#) as the link's words (escaped)."""
    html = str(escape(text))
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    html = _LINK.sub(r'<span class="article-link">\1</span>', html)
    return Markup(html)


def plain(text: str) -> str:
    """The article's text without its markup."""
    return _LINK.sub(r"\1", _BOLD.sub(r"\1", text))


def sentences(text: str) -> list[str]:
    """Every sentence of an article file, without markup, list marks or the title line's layout."""
    found = []
    for raw in text.splitlines():
        line = raw.strip()
        line = _SUB_ITEM.sub(r"\1", line) if line.startswith("- o") else line
        line = _NUMBERED.sub(r"\2", line)
        line = _BULLET.sub(r"\1", line)
        found += [part.strip() for part in _SENTENCE_END.split(plain(line)) if part.strip()]
    return found
