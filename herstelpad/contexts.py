"""Browser contexts kept between scenarios: a scenario gets a context, and its page, cleaned of everything before.

A fresh context per scenario costs a new renderer process that compiles the target's scripts again: Keycloak's
account console takes 0.9 s from a new context to its login form, 0.44 s in a kept one. So the pool keeps each
context with its first page, and before handing them to the next scenario clears, for every origin the scenario's
pages and frames went to: cookies (all), localStorage and sessionStorage, IndexedDB, Cache Storage, service workers,
file systems, Web SQL, shared storage and storage buckets; and the context's HTTP cache, granted permissions, the
page's history (only the empty page is left) and `window.name`. Other pages the scenario opened are closed, and
listeners it added to the context or the page are removed. What stays is the browser's processes: compiled scripts
and open connections, which no page can read.

A context is closed instead of kept when the scenario changed it in a way that cannot be cleared: an init script or
binding of its own, a route, extra headers, geolocation, offline, a viewport or media emulation, Playwright's clock;
when resetting it fails; and always with `--video` (a video per context), a HAR recording or a storage state in the
context options, pytest-playwright's CLI debugger, or `--herstelpad-context nieuw`. `tests/plugin/test_context_reuse.py`
proves what does not survive.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

from herstelpad.settings import FRESH_CONTEXT, Settings

# what Storage.clearDataForOrigin clears (local_storage takes the origin's sessionStorage with it); cookies go for all
STORAGE_TYPES = ",".join((
    "local_storage", "indexeddb", "service_workers", "cache_storage", "file_systems", "websql", "shared_storage",
    "storage_buckets", "interest_groups",
))
# calls after which a context or page is not reused: what they set cannot be taken back
LASTING_CONTEXT_CALLS = (
    "add_init_script", "expose_binding", "expose_function", "route", "route_from_har", "route_web_socket",
    "set_extra_http_headers", "set_geolocation", "set_offline", "set_http_credentials",
)
LASTING_PAGE_CALLS = (
    "add_init_script", "expose_binding", "expose_function", "route", "route_from_har", "route_web_socket",
    "set_extra_http_headers", "set_viewport_size", "emulate_media", "add_locator_handler",
)
LASTING_CLOCK_CALLS = ("install", "fast_forward", "pause_at", "resume", "run_for", "set_fixed_time", "set_system_time")
NOT_REUSABLE_OPTIONS = ("record_video_dir", "record_har_path", "storage_state")
FREE_PER_KIND = 3  # contexts kept per set of options (a scenario with a colleague uses two)

_DEVTOOLS: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()
_OWN_SCRIPTS: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def devtools(page: Page) -> Any:
    """The page's one DevTools session (made on first use); herstelpad's pictures and the reset share it."""
    session = _DEVTOOLS.get(page)
    if session is None:
        session = _DEVTOOLS[page] = page.context.new_cdp_session(page)
    return session


def forget_devtools(page: Page) -> None:
    """Drops the page's DevTools session after it failed (the next use makes a new one)."""
    _DEVTOOLS.pop(page, None)


def own_init_script(page: Page, script: str) -> None:
    """Adds one of herstelpad's own init scripts to the page, once per page (a kept page has it already); unlike a
    scenario's init script it does not stop the page being reused."""
    done = _OWN_SCRIPTS.setdefault(page, set())
    if script not in done:
        type(page).add_init_script(page, script)
        done.add(script)


def origin_of(url: str) -> str | None:
    """scheme://host[:port] of an http(s) URL; None for about:, data:, blob: and the like."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


@dataclass(eq=False)
class Kept:
    """A context of the pool, with the page it hands out first and what its scenario did to it."""

    context: BrowserContext
    kind: str
    open_page: Callable[[], Page]  # the context's own new_page
    page: Page | None = None
    page_handed_out: bool = False
    origins: set[str] = field(default_factory=set)
    lasting: str | None = None  # the call that makes it not reusable
    listeners: list[tuple[Any, dict[str, list[Any]]]] = field(default_factory=list)  # as the pool left them


def _listeners(obj: Any) -> dict[str, list[Any]]:
    impl = obj._impl_obj
    return {name: list(impl.raw_listeners(name)) for name in impl.event_names()}


def _remove_new_listeners(obj: Any, before: dict[str, list[Any]]) -> None:
    impl = obj._impl_obj
    for name in list(impl.event_names()):
        kept = before.get(name, [])
        for listener in list(impl.raw_listeners(name)):
            if listener not in kept:
                impl.remove_listener(name, listener)


class ContextPool:
    """The browser's contexts for scenarios: taken per scenario, cleaned and kept at its end (or closed)."""

    def __init__(self, browser: Browser, reuse: bool) -> None:
        self.browser = browser
        self.reuse = reuse
        self.free: dict[str, list[Kept]] = {}
        self.handed_out: dict[BrowserContext, Kept] = {}

    @staticmethod
    def kind_of(options: dict[str, Any]) -> str:
        """Which contexts are alike: those made with the same options."""
        return json.dumps(options, sort_keys=True, default=repr)

    def reusable(self, options: dict[str, Any]) -> bool:
        """Whether contexts with these options may be kept between scenarios."""
        return self.reuse and not any(options.get(name) for name in NOT_REUSABLE_OPTIONS)

    def take(self, options: dict[str, Any]) -> BrowserContext:
        """A cleaned context with these options: a kept one, else a new one."""
        kind = self.kind_of(options)
        free = self.free.get(kind, [])
        kept = free.pop() if free else self._new(kind, options)
        kept.page_handed_out = False
        self.handed_out[kept.context] = kept
        return kept.context

    def _new(self, kind: str, options: dict[str, Any]) -> Kept:
        context = self.browser.new_context(**options)
        kept = Kept(context, kind, context.new_page)
        context.on("page", lambda page: self._watch(kept, page))

        def new_page() -> Page:
            """The kept page first (cleaned), then new ones."""
            if kept.page is not None and not kept.page.is_closed() and not kept.page_handed_out:
                kept.page_handed_out = True
                return kept.page
            page = kept.open_page()
            if kept.page is None or kept.page.is_closed():
                kept.page, kept.page_handed_out = page, True
            return page

        context.new_page = new_page  # type: ignore[method-assign]
        self._mark_lasting(kept, context, LASTING_CONTEXT_CALLS, "context")
        self._mark_lasting(kept, getattr(context, "clock", None), LASTING_CLOCK_CALLS, "clock")
        kept.listeners.append((context, _listeners(context)))
        return kept

    def _watch(self, kept: Kept, page: Page) -> None:
        """Remembers the origins the page's frames go to, and which calls on it last."""
        page.on("framenavigated", lambda frame: kept.origins.add(origin_of(frame.url) or ""))
        self._mark_lasting(kept, page, LASTING_PAGE_CALLS, "page")
        kept.listeners = [(obj, before) for obj, before in kept.listeners if not (isinstance(obj, Page) and obj.is_closed())]
        kept.listeners.append((page, _listeners(page)))

    @staticmethod
    def _mark_lasting(kept: Kept, obj: Any, names: tuple[str, ...], where: str) -> None:
        for name in names:
            original = getattr(obj, name, None)
            if original is None:
                continue

            def call(*args: Any, _original: Callable[..., Any] = original, _name: str = name, **kwargs: Any) -> Any:
                kept.lasting = kept.lasting or f"{where}.{_name}"
                return _original(*args, **kwargs)

            setattr(obj, name, call)

    def give_back(self, context: BrowserContext) -> None:
        """At the scenario's end: cleans the context and keeps it, or closes it when it cannot be cleaned."""
        kept = self.handed_out.pop(context, None)
        if kept is None:
            return
        if kept.lasting is None:
            try:
                self._clean(kept)
            except PlaywrightError:
                kept.lasting = "reset"
        free = self.free.setdefault(kept.kind, [])
        if kept.lasting is None and len(free) < FREE_PER_KIND:
            free.append(kept)
        else:
            self._close(kept)

    def _clean(self, kept: Kept) -> None:
        context, page = kept.context, kept.page
        for other in context.pages:
            if other is not page:
                other.close()
        if page is None or page.is_closed():  # (the DevTools calls need a page)
            kept.page = page = kept.open_page()
        page.goto("about:blank")  # the scenario's documents end: no script or request sets anything again
        page.evaluate("window.name = ''")
        session = devtools(page)
        session.send("Page.resetNavigationHistory")
        for origin in sorted(kept.origins - {""}):
            session.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": STORAGE_TYPES})
        session.send("Network.clearBrowserCache")
        context.clear_cookies()
        context.clear_permissions()
        for obj, before in kept.listeners:
            _remove_new_listeners(obj, before)
        kept.origins.clear()

    def discard(self, context: BrowserContext, *args: Any, **kwargs: Any) -> None:
        """A scenario closes its context itself: it is closed, not kept."""
        kept = self.handed_out.pop(context, None)
        type(context).close(context, *args, **kwargs)
        if kept is not None:
            kept.lasting = "closed"

    def _close(self, kept: Kept) -> None:
        try:
            type(kept.context).close(kept.context)
        except PlaywrightError:
            pass  # the browser went already

    def close(self) -> None:
        """At the session's end: closes every context."""
        for kept in [kept for free in self.free.values() for kept in free] + list(self.handed_out.values()):
            self._close(kept)
        self.free.clear()
        self.handed_out.clear()


@pytest.fixture(scope="session")
def context_pool(browser: Browser, settings: Settings, pytestconfig: pytest.Config) -> Iterator[ContextPool]:
    """The session's kept contexts (none with --herstelpad-context nieuw, --video or the CLI debugger)."""
    video = pytestconfig.getoption("--video", default="off") not in (None, "off")
    debug = pytestconfig.getoption("--playwright-debug", default=None) == "cli"
    pool = ContextPool(browser, reuse=settings.context != FRESH_CONTEXT and not video and not debug)
    yield pool
    pool.close()


@pytest.fixture
def new_context(
    new_context: Callable[..., BrowserContext],
    browser_context_args: dict[str, Any],
    _artifacts_recorder: Any,
    context_pool: ContextPool,
    request: pytest.FixtureRequest,
) -> Iterator[Callable[..., BrowserContext]]:
    """pytest-playwright's `new_context`, with contexts from the pool: cleaned of the scenario before, traced as
    pytest-playwright traces its own (--tracing), given back (cleaned) or closed at the scenario's end."""
    marker = next(request.node.iter_markers("browser_context_args"), None)
    args = {**browser_context_args, **(marker.kwargs if marker else {})}
    handed: list[BrowserContext] = []

    def make(**kwargs: Any) -> BrowserContext:
        options = {**args, **kwargs}
        if not context_pool.reusable(options):
            return new_context(**kwargs)
        context = context_pool.take(options)

        def close(*close_args: Any, **close_kwargs: Any) -> None:
            if context in handed:
                handed.remove(context)
                _artifacts_recorder.on_will_close_browser_context(context)
            context_pool.discard(context, *close_args, **close_kwargs)

        context.close = close  # type: ignore[method-assign]
        handed.append(context)
        _artifacts_recorder.on_did_create_browser_context(context)
        return context

    yield make
    for context in handed:
        _artifacts_recorder.on_will_close_browser_context(context)
        context_pool.give_back(context)
