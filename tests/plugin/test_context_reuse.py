"""A kept browser context hands nothing of one scenario to the next: no cookie, storage, permission, service worker,
cache entry, history or listener survives; a context the scenario changed for good is not kept at all.

Each test runs a small project of tests in one pytest process (real Chromium, herstelpad's `new_context`) against a
local HTTP server on two origins (127.0.0.1 and localhost): the first test leaves everything it can behind, the next
one checks it met the same context (else the test would prove nothing) and that none of it is left.
"""

from __future__ import annotations

import pytest

CONFTEST = r'''
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

HITS = Path("hits.json")

PAGE = b"""<!doctype html><html><head><title>doel</title><script src="/cached.js"></script></head><body>doel</body></html>"""


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        hits = json.loads(HITS.read_text()) if HITS.exists() else {}
        hits[self.path] = hits.get(self.path, 0) + 1
        HITS.write_text(json.dumps(hits))
        if self.path == "/cached.js":
            body, kind, extra = b"window.cachedLoaded = true;", "text/javascript", {"Cache-Control": "max-age=3600"}
        elif self.path == "/sw.js":
            body, kind, extra = b"self.addEventListener('fetch', () => {});", "text/javascript", {}
        else:
            body, kind, extra = PAGE, "text/html", {"Cache-Control": "no-store"}
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="session")
def origins():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    yield [f"http://127.0.0.1:{port}", f"http://localhost:{port}"]
    server.shutdown()


def hits(path):
    return json.loads(HITS.read_text()).get(path, 0) if HITS.exists() else 0


def guid(context):
    return context._impl_obj._guid
'''

LEAVE = r'''
async () => {
  document.cookie = "spoor=1; max-age=3600";
  localStorage.setItem("spoor", "1");
  sessionStorage.setItem("spoor", "1");
  await new Promise((resolve, reject) => {
    const open = indexedDB.open("spoor", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("dingen");
    open.onsuccess = () => {
      const tx = open.result.transaction("dingen", "readwrite");
      tx.objectStore("dingen").put("1", "spoor");
      tx.oncomplete = () => { open.result.close(); resolve(); };
    };
    open.onerror = () => reject(open.error);
  });
  const cache = await caches.open("spoor");
  await cache.put("/spoor", new Response("1"));
  await navigator.serviceWorker.register("/sw.js");
  await navigator.serviceWorker.ready;
  window.name = "spoor";
  return (await navigator.serviceWorker.getRegistrations()).length;
}
'''

FIND = r'''
async () => ({
  cookie: document.cookie,
  local: localStorage.getItem("spoor"),
  session: sessionStorage.getItem("spoor"),
  databases: (await indexedDB.databases()).map(d => d.name),
  caches: await caches.keys(),
  workers: (await navigator.serviceWorker.getRegistrations()).length,
  geolocation: (await navigator.permissions.query({name: "geolocation"})).state,
  name: window.name,
  history: history.length,
  cached: window.cachedLoaded === true,
})
'''

TESTS = f'''
import json
from pathlib import Path

from conftest import guid, hits

LEAVE = {LEAVE!r}
FIND = {FIND!r}
SEEN = Path("seen.json")


def test_leaves_everything_behind(page, context, origins):
    heard = []
    context.on("request", lambda request: heard.append(request.url))
    page.on("console", lambda message: Path("heard.txt").write_text("page listener of the first test"))
    context.grant_permissions(["geolocation"])
    for origin in origins:
        page.goto(origin + "/")
        assert page.evaluate(LEAVE) == 1
    page.goto(origins[0] + "/")
    assert page.evaluate(FIND)["geolocation"] == "granted"
    assert hits("/cached.js") >= 1 and heard
    SEEN.write_text(json.dumps({{"context": guid(context), "cached": hits("/cached.js")}}))


def test_finds_nothing_of_it(page, context, origins):
    seen = json.loads(SEEN.read_text())
    assert guid(context) == seen["context"], "the context was not kept: this test would prove nothing"
    assert context.cookies() == []
    assert len(context.pages) == 1 and page.url == "about:blank"
    for origin in origins:
        page.goto(origin + "/")
        page.evaluate("console.log('heard?')")
        found = page.evaluate(FIND)
        assert found == {{
            "cookie": "", "local": None, "session": None, "databases": [], "caches": [], "workers": 0,
            "geolocation": "prompt", "name": "", "history": found["history"], "cached": True,
        }}, found
        assert found["history"] <= 3  # the empty page the context was left on, and what this test opened
    assert hits("/cached.js") == seen["cached"] + 2, "the script came from the HTTP cache of the first test"
    assert not Path("heard.txt").exists(), "a listener of the first test heard this one"


def test_changes_the_context_for_good(page, context, origins):
    page.add_init_script("window.blijvend = true")
    page.goto(origins[0] + "/")
    assert page.evaluate("window.blijvend") is True
    SEEN.write_text(json.dumps({{"context": guid(context)}}))


def test_gets_another_context(page, context, origins):
    assert guid(context) != json.loads(SEEN.read_text())["context"]
    page.goto(origins[0] + "/")
    assert page.evaluate("window.blijvend") is None
    SEEN.write_text(json.dumps({{"context": guid(context)}}))


def test_of_a_colleague_gets_a_second_clean_context(page, context, new_context, origins):
    colleague = new_context()
    assert guid(colleague) != guid(context)
    other = colleague.new_page()
    other.goto(origins[1] + "/")
    other.evaluate("localStorage.setItem('collega', '1')")
    page.goto(origins[1] + "/")
    assert page.evaluate("localStorage.getItem('collega')") is None
    SEEN.write_text(json.dumps({{"colleague": guid(colleague)}}))


def test_after_the_colleague(new_context, origins):
    contexts = [new_context(), new_context()]
    assert json.loads(SEEN.read_text())["colleague"] in [guid(c) for c in contexts]
    for context in contexts:
        page = context.new_page()
        page.goto(origins[1] + "/")
        assert page.evaluate("localStorage.getItem('collega')") is None
'''


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """The project of tests that run in order in one process."""
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_reuse=TESTS)
    return pytester


def test_nothing_of_a_scenario_survives_in_a_kept_context(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess("-n", "0", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=6)


def test_a_fresh_context_per_scenario_on_request(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess("-n", "0", "-p", "no:cacheprovider", "--herstelpad-context", "nieuw")
    result.assert_outcomes(passed=4, failed=2)  # the two tests that expect to meet the context again
    result.stdout.fnmatch_lines(["*the context was not kept: this test would prove nothing*"])


def test_a_wrong_context_choice_is_refused(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess("--herstelpad-context", "oud")
    assert result.ret != 0
    result.stderr.fnmatch_lines(["*--herstelpad-context / HERSTELPAD_CONTEXT: 'oud' is not a choice; choose schoongemaakt or nieuw.*"])
