"""WebSocket fan-out: open many live agenda sockets as signed-in delegates, have the
organiser publish a new schedule version through the site, and time the "published"
message's arrival on every socket.

The organiser first runs the optimiser (a new working version to publish), then every socket
is opened and listening, then the clock starts as the publish form is sent. A socket's delay
is the time from then until its message arrives; the message must name the published
version. Sockets are spread over the delegate accounts and over the servers given.
"""

import asyncio
import http.cookiejar
import json
import re
import time
import urllib.parse
import urllib.request
from itertools import cycle

from websockets.asyncio.client import connect

FINISHED = {"succeeded", "failed", "cancelled"}


class Browser:
    """A signed-in person's HTTP client: cookies kept, redirects followed."""

    def __init__(self, base_url):
        self.base_url = base_url.rstrip("/")
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path):
        with self.opener.open(self.base_url + path, timeout=60) as response:
            return response.read().decode(), response.geturl()

    def post(self, path, data):
        body = urllib.parse.urlencode(data).encode()
        with self.opener.open(self.base_url + path, data=body, timeout=60) as response:
            return response.read().decode(), response.geturl()

    def csrf(self, html):
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if match is None:
            raise RuntimeError("no CSRF token on the page")
        return match.group(1)

    def sign_in(self, email, password):
        page, _url = self.get("/en/account/login/")
        _page, url = self.post("/en/account/login/", {
            "username": email, "password": password, "csrfmiddlewaretoken": self.csrf(page)})
        if "/account/login/" in url:
            raise RuntimeError(f"{email} could not sign in")
        return self

    def cookie_header(self):
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.cookies)


def run_optimiser(organiser, workshop, time_limit=5, timeout=120):
    """Starts a run and waits for it; returns the number of the version it made."""
    build = f"/en/workshops/{workshop}/schedule/build/"
    page, _url = organiser.get(build)
    page, _url = organiser.post(f"{build}start/", {
        "csrfmiddlewaretoken": organiser.csrf(page), "objective": "demand",
        "time_limit": str(time_limit), "mode": "fresh"})
    status_url = re.search(r'data-status-url="([^"]+)"', page)
    if status_url is None:
        raise RuntimeError("the optimiser run did not start: " + _messages(page))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = json.loads(organiser.get(status_url.group(1))[0])
        if status["status"] in FINISHED:
            if status["status"] != "succeeded" or status["version"] is None:
                raise RuntimeError(f"the optimiser run ended {status['status']}: "
                                   f"{status['error']}")
            return status["version"]
        time.sleep(0.5)
    raise RuntimeError(f"the optimiser run did not finish within {timeout} s")


def publish(organiser, workshop, version):
    page, _url = organiser.get(f"/en/workshops/{workshop}/schedule/check/")
    page, _url = organiser.post(f"/en/workshops/{workshop}/schedule/publish/", {
        "csrfmiddlewaretoken": organiser.csrf(page), "based_on": str(version),
        "confirm_warnings": "1"})
    if "is published" not in page:
        raise RuntimeError(f"version {version} was not published: {_messages(page)}")


def _messages(page):
    return " ".join(re.findall(r'class="message[^"]*"[^>]*>\s*([^<]+)', page)) or "(no message)"


def _signed_in(base_url, person):
    return Browser(base_url).sign_in(person["email"], person["password"])


def _socket_url(base_url, workshop):
    parts = urllib.parse.urlsplit(base_url)
    return f"ws://{parts.netloc}/ws/workshops/{workshop}/agenda/", f"http://{parts.netloc}"


async def _open(url, origin, cookie):
    return await connect(url, origin=origin, additional_headers={"Cookie": cookie},
                         open_timeout=60, ping_interval=None, max_queue=None)


async def _wait_for(socket, version, clock):
    while True:
        message = json.loads(await socket.recv())
        if message.get("kind") == "published" and message.get("version") == version:
            return time.perf_counter() - clock["started"]


async def measure(base_urls, scenario, *, sockets=200, accounts=20, wait=10.0):
    """Returns {"sockets", "opened", "received", "delays_s", "publish_s", "accounts",
    "version"}; delays_s has one entry per socket whose message arrived within `wait`."""
    workshop = scenario["workshop"]
    organiser = Browser(base_urls[0]).sign_in(scenario["organiser"]["email"],
                                              scenario["organiser"]["password"])
    version = await asyncio.to_thread(run_optimiser, organiser, workshop)
    people = scenario["delegates"][:accounts]
    delegates = await asyncio.gather(*[
        asyncio.to_thread(_signed_in, base_urls[index % len(base_urls)], person)
        for index, person in enumerate(people)])
    cookies = cycle(delegates)
    opening = []
    for index in range(sockets):
        delegate = next(cookies)
        url, origin = _socket_url(base_urls[index % len(base_urls)], workshop)
        opening.append(_open(url, origin, delegate.cookie_header()))
    opened = []
    for batch in range(0, len(opening), 50):  # a browser-like pace, not 200 handshakes at once
        opened += await asyncio.gather(*opening[batch:batch + 50])
    clock = {"started": None}
    try:
        clock["started"] = time.perf_counter()
        waiting = [asyncio.create_task(_wait_for(socket, version, clock)) for socket in opened]
        await asyncio.to_thread(publish, organiser, workshop, version)
        publish_s = time.perf_counter() - clock["started"]
        done, pending = await asyncio.wait(waiting, timeout=wait)
        for task in pending:
            task.cancel()
        delays = sorted(task.result() for task in done if task.exception() is None)
    finally:
        await asyncio.gather(*[socket.close() for socket in opened], return_exceptions=True)
    return {"sockets": sockets, "opened": len(opened), "received": len(delays),
            "delays_s": delays, "publish_s": publish_s, "accounts": len(delegates),
            "version": version}
