"""The load scenario: anonymous visitors browse and search, delegates edit their program
profile and rank offers with their agenda open over a WebSocket, an organiser runs the
optimiser. `python -m scripts.load.run` prepares the site and runs it; by hand:

    LOAD_SCENARIO=scenario.json locust -f scripts/load/locustfile.py --host http://127.0.0.1:8001

LOAD_SCENARIO names the JSON file written by `scripts.load.dataset`; LOAD_HOSTS (comma
separated base URLs) spreads the users over several servers, one server per user in turn.
Class names after the options limit the run to those classes (the baseline runs
AnonymousVisitor alone).

Requests are named by group, so that locust's statistics give each group's percentiles:
"public pages", "search", "delegate: ...", "organiser: ...".
"""

import itertools
import json
import os
import random
import re
import time
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import gevent
import websocket
from locust import FastHttpUser, HttpUser, between, events, task

SCENARIO = json.loads(open(os.environ["LOAD_SCENARIO"], encoding="utf-8").read())  # noqa: SIM115
_hosts = [host for host in os.environ.get("LOAD_HOSTS", "").split(",") if host]
_host_turns = itertools.cycle(_hosts) if _hosts else None
_delegate_turns = itertools.count()
# LOAD_THINK_SCALE shortens every pause between steps (the test suite's quick run).
THINK = float(os.environ.get("LOAD_THINK_SCALE", "1"))

PUBLIC, SEARCH = "public pages", "search"
# Answers to anonymous page and search-page requests by their X-Page-Cache header (hit, miss,
# or none when the page is not cacheable), written to LOAD_CACHE_COUNTS when the run stops.
CACHE_ANSWERS = Counter()


@events.test_stop.add_listener
def _write_cache_answers(**_kwargs):
    if os.environ.get("LOAD_CACHE_COUNTS"):
        with open(os.environ["LOAD_CACHE_COUNTS"], "w", encoding="utf-8") as handle:
            json.dump(dict(CACHE_ANSWERS), handle)


def _count_cache_answer(response):
    CACHE_ANSWERS[response.headers.get("X-Page-Cache", "none")] += 1
FINISHED = {"succeeded", "failed", "cancelled"}
SEARCH_PAGE = "/{language}/search/"
SEARCH_API = "/api/v1/search/"


class FormFields(HTMLParser):
    """The values a browser would send with one form: its inputs, checked boxes, textareas
    and selected options (or a single select's first option)."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self._textarea = self._select = None
        self._select_default = None
        self._select_chosen = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside or ("name" not in attrs and tag != "option"):
            return
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields.append((attrs["name"], attrs.get("value", "on" if kind in {
                "checkbox", "radio"} else "")))
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
        elif tag == "select":
            self._select, self._select_chosen = attrs, False
            self._select_default = None
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select_default is None:
                self._select_default = value
            if "selected" in attrs:
                self.fields.append((self._select["name"], value))
                self._select_chosen = True

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            if (not self._select_chosen and "multiple" not in self._select
                    and self._select_default is not None):
                self.fields.append((self._select["name"], self._select_default))
            self._select = None


def form_fields(html, form_id):
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.fields


def csrf_token(html):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else ""


def think(low, high):
    gevent.sleep(random.uniform(low, high) * THINK)


def _next_host(default):
    return next(_host_turns) if _host_turns else default


class _OnAHost:
    def __init__(self, environment):
        self.host = _next_host(environment.host)
        super().__init__(environment)


class AnonymousVisitor(_OnAHost, FastHttpUser):
    """Reads pages and searches, as most visitors do: one visit is a short journey."""

    weight = 85
    wait_time = between(1 * THINK, 3 * THINK)

    def page(self, url, name):
        _count_cache_answer(self.client.get(url, name=name))

    @task
    def visit(self):
        self.page(random.choice(SCENARIO["pages"]), PUBLIC)
        think(1, 3)
        query = random.choice(SCENARIO["queries"])
        language = random.choice(["en", "es"])
        self.page(f"{SEARCH_PAGE.format(language=language)}?{urlencode(query)}", SEARCH)
        think(1, 3)
        for _ in range(random.randint(1, 3)):
            self.page(random.choice(SCENARIO["profiles"]), PUBLIC)
            think(1, 3)
        # The API is never cached (its rate limits count every request).
        self.client.get(f"{SEARCH_API}?{urlencode(random.choice(SCENARIO['queries']))}",
                        name=SEARCH)
        think(1, 3)
        self.page(random.choice(SCENARIO["registry"]), PUBLIC)


class _SignedIn(_OnAHost, HttpUser):
    abstract = True

    def sign_in(self, email, password, group):
        login = self.client.get("/en/account/login/", name=f"{group}: sign in")
        with self.client.post("/en/account/login/", name=f"{group}: sign in",
                              data={"username": email, "password": password,
                                    "csrfmiddlewaretoken": csrf_token(login.text)},
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"sign-in of {email} refused ({response.status_code})")

    def post_form(self, url, data, name, expect):
        """POSTs and follows the redirect; fails unless the page after it contains `expect`."""
        with self.client.post(url, data=data, name=name, catch_response=True) as response:
            if not response.history or expect not in response.text:
                response.failure(f"{url}: expected a redirect to a page saying {expect!r}")
            return response


class Delegate(_SignedIn):
    """Edits the draft of their own program profile, ranks offers, keeps the agenda open."""

    weight = 10
    wait_time = between(2 * THINK, 5 * THINK)
    # LOAD_DELEGATES fixes their number (the test suite's quick run wants exactly one).
    fixed_count = int(os.environ.get("LOAD_DELEGATES", "0"))

    def on_start(self):
        people = SCENARIO["delegates"]
        self.person = people[next(_delegate_turns) % len(people)]
        self.sign_in(self.person["email"], self.person["password"], "delegate")
        self.edits = 0
        self.agenda = gevent.spawn(self.follow_agenda)

    def on_stop(self):
        self.agenda.kill(block=False)

    def follow_agenda(self):
        """The agenda page's WebSocket, open as long as the user runs."""
        parts = urlsplit(self.host)
        url = f"ws://{parts.netloc}/ws/workshops/{SCENARIO['workshop']}/agenda/"
        cookies = "; ".join(f"{k}={v}" for k, v in self.client.cookies.items())
        started = time.perf_counter()
        try:
            socket = websocket.create_connection(url, cookie=cookies, timeout=10,
                                                 origin=f"http://{parts.netloc}")
        except Exception as error:
            self._ws_event("delegate: agenda socket", started, error)
            return
        self._ws_event("delegate: agenda socket", started, None)
        socket.settimeout(None)
        try:
            while True:
                started = time.perf_counter()
                socket.recv()
                self._ws_event("delegate: agenda message", started, None)
        except Exception:  # closed at the end of the run
            return
        finally:
            socket.close()

    def _ws_event(self, name, started, error):
        events.request.fire(request_type="WS", name=name, response_length=0,
                            response_time=(time.perf_counter() - started) * 1000,
                            exception=error, context={})

    @task
    def work(self):
        self.edit_profile()
        think(2, 5)
        self.rank_offers()
        think(2, 5)
        self.client.get(f"/en/workshops/{SCENARIO['workshop']}/agenda/",
                        name="delegate: agenda")

    def edit_profile(self):
        url = f"/admin/pages/{self.person['page_id']}/edit/"
        page = self.client.get(url, name="delegate: open draft")
        fields = [(name, value) for name, value in form_fields(page.text, "page-edit-form")
                  if name != "duration_note"]
        self.edits += 1
        fields.append(("duration_note", f"Edited under load ({self.edits})"))
        with self.client.post(url, data=fields, name="delegate: save draft",
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                errors = re.findall(r'class="error-message"[^>]*>\s*<span>([^<]+)', response.text)
                response.failure(f"draft not saved ({response.status_code}): {errors[:3]}")

    def rank_offers(self):
        url = (f"/en/workshops/{SCENARIO['workshop']}/delegations/"
               f"{self.person['delegation']}/requests/")
        page = self.client.get(url, name="delegate: ranking").text
        ranking = re.findall(r'name="ranking" value="(\d+)"', page)
        addable = re.findall(r'name="add" value="(\d+)"', page)
        data = [("csrfmiddlewaretoken", csrf_token(page))] + [("ranking", r) for r in ranking]
        if addable and len(ranking) < 3:
            data.append(("add", random.choice(addable)))
        elif ranking:
            data.append(("down", ranking[0]))
        self.post_form(url, data, "delegate: save ranking", "Ranking saved")


class Organiser(_SignedIn):
    """Starts an optimiser run on the workshop and follows it to the end."""

    weight = 1
    fixed_count = 1
    wait_time = between(5 * THINK, 10 * THINK)

    def on_start(self):
        organiser = SCENARIO["organiser"]
        self.sign_in(organiser["email"], organiser["password"], "organiser")

    @task
    def run_optimiser(self):
        build = f"/en/workshops/{SCENARIO['workshop']}/schedule/build/"
        page = self.client.get(build, name="organiser: build page").text
        response = self.client.post(
            f"/en/workshops/{SCENARIO['workshop']}/schedule/build/start/",
            data={"csrfmiddlewaretoken": csrf_token(page), "objective": "demand",
                  "time_limit": "2", "mode": "fresh"},
            name="organiser: start run")
        status_url = re.search(r'data-status-url="([^"]+)"', response.text)
        if status_url is None:  # finished before the page was drawn
            return
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with self.client.get(status_url.group(1), name="organiser: poll run",
                                 catch_response=True) as poll:
                status = poll.json().get("status")
                if status == "failed":
                    poll.failure(f"optimiser run failed: {poll.json().get('error')}")
                if status in FINISHED:
                    return
            gevent.sleep(max(0.2, THINK))
        events.request.fire(request_type="GET", name="organiser: poll run", response_length=0,
                            response_time=60_000, context={},
                            exception=RuntimeError("the optimiser run did not end within 60 s"))

