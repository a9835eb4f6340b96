"""The portal, as a browser sees it: a page on one origin fetches the fragment from the real
server on another with a read key, and headless Chromium (Debian's ``chromium``; ``./dev
check`` installs it when it runs as root) renders it with the service's stylesheet.

What is checked is what the browser computed — the colour of a cell, the size of the scroll
container against the table in it, the headers a script could read — not the HTML text.
Playwright drives the installed Chromium; it never downloads a browser of its own.
"""

from __future__ import annotations

import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from .test_server import KEY, free_port, serve

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
READ_KEY = "portal-read-key-0123456789"
COLUMN_PX = 480  # the portal's column: narrower than any built-in's matrix
# The palette's R and A, written out here (#FDAE61, #D73027) as the browser reports them.
R_FILL, A_FILL = "rgb(253, 174, 97)", "rgb(215, 48, 39)"

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Portal</title>
<link rel="stylesheet" href="{service}/gremium.css">
<style>#column {{ width: {column}px; }}</style>
</head><body><main id="column"></main>
<script>
(async () => {{
  const fragment = await fetch("{service}/v1/recommendations/{id}?heading=3", {{
    headers: {{"Accept": "text/html", "X-API-Key": "{key}"}},
  }});
  document.getElementById("column").innerHTML = await fragment.text();
  const solve = await fetch("{service}/v1/raci/solve", {{
    method: "POST",
    headers: {{"Content-Type": "application/json", "X-API-Key": "{key}"}},
    body: JSON.stringify({{"scenario": "{scenario}"}}),
  }});
  document.body.dataset.result = JSON.stringify({{
    status: fragment.status,
    etag: fragment.headers.get("ETag"),
    solve: solve.status,
    problem: (await solve.json()).type,
  }});
}})().catch((error) => {{
  document.body.dataset.result = JSON.stringify({{error: String(error)}});
}});
</script></body></html>
"""

MEASURE = """() => {
  const cell = (letter) => document.querySelector(`table.gremium-raci td[data-letter="${letter}"]`);
  const table = document.querySelector("table.gremium-raci");
  const box = table.parentElement;
  const column = document.getElementById("column").getBoundingClientRect();
  const style = getComputedStyle(box);
  return {
    r: getComputedStyle(cell("R")).backgroundColor,
    a: getComputedStyle(cell("A")).backgroundColor,
    rText: getComputedStyle(cell("R")).color,
    none: getComputedStyle(cell("")).backgroundColor,
    container: box.className,
    overflowX: style.overflowX,
    boxRight: box.getBoundingClientRect().right,
    columnRight: column.right,
    boxWidth: box.clientWidth,
    tableWidth: table.scrollWidth,
    scrolls: box.scrollWidth > box.clientWidth,
    heading: document.querySelector(".gremium-title").tagName,
    lang: document.querySelector("section.gremium-recommendation").lang,
  };
}"""


def chromium_or_skip() -> None:
    if not CHROMIUM.exists() or shutil.which("chromium") is None:
        pytest.skip(
            "Debian's chromium is not installed (./dev check installs it when run as root: "
            "apt-get install -y chromium)"
        )


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """The real server (read key, the portal's origin with a trailing slash, as people write
    it), a stored recommendation, and the portal's page served from another origin."""
    chromium_or_skip()
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    with serve(
        tmp_path,
        GREMIUM_READ_KEYS=READ_KEY,
        GREMIUM_CORS_ORIGINS=f"{origin}/",
        GREMIUM_POOL="thread",
    ) as server:
        scenario = "mittelstand-manufacturer"
        created = httpx.post(
            f"{server.url}/v1/recommendations",
            json={"scenario": scenario, "options": {"time_limit": 5}, "stability": "none"},
            headers={"X-API-Key": KEY},
            timeout=60,
        )
        assert created.status_code == 201, created.text
        page = PAGE.format(
            service=server.url,
            id=created.json()["id"],
            key=READ_KEY,
            column=COLUMN_PX,
            scenario=scenario,
        ).encode()

        class Portal(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args: Any) -> None:
                pass

        site = http.server.ThreadingHTTPServer(("127.0.0.1", port), Portal)
        thread = threading.Thread(target=site.serve_forever, daemon=True)
        thread.start()
        try:
            yield {"url": f"{origin}/", "created": created, "folder": tmp_path}
        finally:
            site.shutdown()
            site.server_close()


def test_the_portal_renders_the_fragment_coloured_and_contained(portal: dict[str, Any]) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=ARGS, headless=True
        )
        try:
            page = browser.new_page(viewport={"width": 800, "height": 900})
            page.goto(portal["url"])
            page.wait_for_selector("body[data-result]", timeout=30_000)
            result = json.loads(page.get_attribute("body", "data-result") or "{}")
            measured = page.evaluate(MEASURE)
            page.screenshot(path=str(portal["folder"] / "portal.png"), full_page=True)
        finally:
            browser.close()

    # across origins, with the read key: the fragment, and its ETag readable by the script
    assert result["status"] == 200, result
    assert result["etag"].startswith('"')
    # the same key cannot solve: a 403 problem the script can read (CORS on errors too)
    assert (result["solve"], result["problem"]) == (403, "/problems/forbidden")
    # the letters are coloured by the service's stylesheet, R and A differently
    assert measured["r"] == R_FILL
    assert measured["a"] == A_FILL
    assert measured["rText"] == "rgb(0, 0, 0)"
    assert measured["none"] in ("rgba(0, 0, 0, 0)", "transparent")
    # the wide matrix scrolls inside its container, which stays inside the portal's column
    assert measured["container"] == "gremium-scroll"
    assert measured["overflowX"] == "auto"
    assert measured["scrolls"], measured
    assert measured["tableWidth"] > measured["boxWidth"]
    assert measured["boxRight"] <= measured["columnRight"] + 0.5
    assert (measured["heading"], measured["lang"]) == ("H3", "en")
