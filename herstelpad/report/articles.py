"""The help article a pack names for the report's Handleiding, loaded by module name."""

from __future__ import annotations

import importlib
import sys
from functools import cache
from pathlib import Path

from herstelpad.report.article import Article, Shot
from herstelpad.report.model import Run

NO_ARTICLE = Article(title="Levende documentatie van de herstelpaden", sections=())


def load_article(module_name: str | None) -> Article | None:
    """The ARTICLE of the module a pack names, None when there is none or it cannot be imported."""
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
    """The article named by the run's scenarios (the first pack that names one), else a page without Handleiding."""
    for name in dict.fromkeys(scenario.article for scenario in run.scenarios if scenario.article):
        article = load_article(name)
        if article is not None:
            return article
    return NO_ARTICLE


@cache
def _cached_article(module_name: str) -> Article | None:
    """The article of a module, loaded once per process."""
    return load_article(module_name)


def shots_for_step(module_name: str | None, scenario: str, step: str) -> list[Shot]:
    """The shots of a pack's help article that show this step of this scenario (none without an article)."""
    article = _cached_article(module_name) if module_name else None
    return article.shots_for(scenario, step) if article is not None else []
