"""The help article a pack names for the report's Handleiding, loaded by module name."""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Article:
    """A pack's help article: title, introduction and its sections (each with its steps)."""

    title: str
    intro: str
    sections: tuple[Any, ...]


def load_article(module_name: str | None) -> Article | None:
    """The article of the module a pack names (ARTICLE_TITLE, ARTICLE_INTRO, SECTIONS), None when there is none."""
    if not module_name:
        return None
    if str(Path.cwd()) not in sys.path:  # `herstelpad report` runs outside pytest, from the project folder
        sys.path.insert(0, str(Path.cwd()))
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    return Article(module.ARTICLE_TITLE, module.ARTICLE_INTRO, tuple(module.SECTIONS))


def article_of(results: dict[str, Any]) -> Article | None:
    """The article named by the run's scenarios (the first pack that names one)."""
    for scenario in results.get("scenarios", []):
        article = load_article((scenario.get("target") or {}).get("article"))
        if article is not None:
            return article
    return None
