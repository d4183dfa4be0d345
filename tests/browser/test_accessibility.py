"""The key pages pass axe-core (WCAG 2.1 A and AA, and Deque's best practices) with no serious
or critical violation, in English and in Spanish; docs/accessibility.md lists the results.

Below them, each page's main task done with the keyboard alone, in both languages."""

import json
import warnings

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING_IMPACTS = {"serious", "critical"}
IMPACTS = ["critical", "serious", "moderate", "minor"]

# A small workshop with a published schedule, so that Colombia's agenda and the organiser's
# editor have rounds to show (the demo workshop has none until someone runs the optimiser).
ROUNDS_SLUG = "a11y-rounds"
INSTANCE = {
    "format": "negotiation-rounds/1",
    "name": "Accessibility rounds",
    "min_attendees": 1,
    "sessions": [{"id": "s1", "label": "Morning"}, {"id": "s2", "label": "Afternoon"}],
    "rooms": [{"id": "r1", "name": "Sala Caribe", "capacity": 4},
              {"id": "r2", "name": "Sala Andes", "capacity": 4}],
    "delegations": [{"id": key, "name": name, "delegates": 2} for key, name in (
        ("COL", "Colombia"), ("PER", "Peru"), ("ARG", "Argentina"))],
    "offers": [{"id": "col-unidos", "owner": "COL", "title": "Red UNIDOS"},
               {"id": "per-juntos", "owner": "PER", "title": "JUNTOS"},
               {"id": "arg-auh", "owner": "ARG", "title": "Asignación Universal por Hijo"}],
    "requests": [{"delegation": "PER", "offer": "col-unidos", "rank": 1},
                 {"delegation": "ARG", "offer": "col-unidos", "rank": 1},
                 {"delegation": "COL", "offer": "per-juntos", "rank": 1},
                 {"delegation": "ARG", "offer": "per-juntos", "rank": 2},
                 {"delegation": "COL", "offer": "arg-auh", "rank": 2}],
    "workshop": {"slug": ROUNDS_SLUG, "starts_on": "2026-03-10",
                 "time_zone": "America/Bogota"},
}
SCHEDULE = {
    "format": "negotiation-rounds-schedule/1",
    "rounds": [{"offer": "col-unidos", "session": "s1", "room": "r1", "attendees": ["PER"]},
               {"offer": "per-juntos", "session": "s2", "room": "r1",
                "attendees": ["ARG", "COL"]}],
}
# Imports the workshop with its schedule, publishes that version and prints the address of the
# first live profile in each language: one Django process instead of three.
SET_UP = """
import json
from django.core.management import call_command
from matchmaking.models import Workshop
from programs.models import ProgramProfilePage
call_command('import_workshop', {instance!r}, organiser=['organiser@example.org'],
             delegate=['COL=delegate.col@example.org'], schedule={schedule!r})
workshop = Workshop.objects.get(slug={slug!r})
workshop.published_version = workshop.current_version
workshop.save()
live = ProgramProfilePage.objects.live().order_by('path')
print(json.dumps({{lang: live.filter(locale__language_code=lang).first().url
                  for lang in ('en', 'es')}}))
"""

DELEGATE = ("delegate.col@example.org", "Delegate-demo-2026")
ORGANISER = ("organiser@example.org", "Organiser-demo-2026")

# page name -> (who signs in, path per language); "{profile}" is filled in at run time.
KEY_PAGES = {
    "home": (None, {"en": "/en/", "es": "/es/"}),
    "search": (None, {"en": "/en/search/?q=family", "es": "/es/search/?q=familias"}),
    "profile": (None, {"en": "{profile}", "es": "{profile}"}),
    "registration": (None, {"en": "/en/register-your-organisation/",
                            "es": "/es/inscriba-a-su-organizacion/"}),
    "ranking": (DELEGATE, {lang: f"/{lang}/workshops/santa-marta-2012/delegations/COL/requests/"
                           for lang in ("en", "es")}),
    "agenda": (DELEGATE, {lang: f"/{lang}/workshops/{ROUNDS_SLUG}/agenda/COL/"
                          for lang in ("en", "es")}),
    "schedule-editor": (ORGANISER, {lang: f"/{lang}/workshops/{ROUNDS_SLUG}/schedule/"
                                    for lang in ("en", "es")}),
}


@pytest.fixture(scope="module")
def key_pages(live_portal, tmp_path_factory):
    """Sets up the published rounds once and returns the URL of each key page."""
    folder = tmp_path_factory.mktemp("a11y")
    instance, schedule = folder / "instance.json", folder / "schedule.json"
    instance.write_text(json.dumps(INSTANCE))
    schedule.write_text(json.dumps(SCHEDULE))
    script = SET_UP.format(instance=str(instance), schedule=str(schedule), slug=ROUNDS_SLUG)
    profiles = json.loads(live_portal.manage("shell", "-v0", "-c", script)
                          .stdout.strip().splitlines()[-1])
    return {(name, lang): (account, path.format(profile=profiles[lang]))
            for name, (account, paths) in KEY_PAGES.items() for lang, path in paths.items()}


@pytest.fixture(scope="module")
def signed_in_states(live_portal, chromium, tmp_path_factory):
    """One sign-in per account for the whole module: its cookies, reused by every context."""
    folder = tmp_path_factory.mktemp("a11y-states")
    states = {}
    for email, password in (DELEGATE, ORGANISER):
        context = chromium.new_context()
        page = context.new_page()
        sign_in(page, live_portal, email, password)
        page.wait_for_url("**/account/**")
        states[email] = str(folder / f"{email}.json")
        context.storage_state(path=states[email])
        context.close()
    return states


def open_as(chromium, states, account):
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB",
        storage_state=states[account[0]] if account else None)
    context.set_default_timeout(15_000)
    return context


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} "
                     f"[{violation['helpUrl']}]")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: "
                         f"{node.get('failureSummary', '').splitlines()[-1].strip()}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    ... and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def count_by_impact(violations):
    counts = dict.fromkeys(IMPACTS, 0)
    for violation in violations:
        counts[violation["impact"]] += len(violation["nodes"])
    return counts


AXE = Axe()


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("name", list(KEY_PAGES))
def test_key_page_has_no_serious_accessibility_violation(live_portal, chromium, key_pages,
                                                         signed_in_states, name, language):
    account, path = key_pages[(name, language)]
    context = open_as(chromium, signed_in_states, account)
    try:
        page = context.new_page()
        response = page.goto(f"{live_portal.url}{path}")
        assert response.status == 200, f"{path} answered {response.status}"
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator(".skip-link").text_content() == WORDS[language]["skip"]
        # axe is evaluated through the DevTools protocol, which the page's Content Security
        # Policy (no inline or injected scripts) does not govern; add_script_tag would be
        # refused by it, and loosening the policy would test a different page.
        results = AXE.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                         "resultTypes": ["violations"]})
        violations = results.response["violations"]
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"{name} ({language}, {path}):\n{describe(blocking)}"
        if violations:  # moderate or minor: reported in pytest's warnings summary, not fatal
            warnings.warn(f"axe: {name} ({language}, {path}) {count_by_impact(violations)}:\n"
                          f"{describe(violations)}", stacklevel=1)
    finally:
        context.close()


# Keyboard only: each key page's main task done with Tab, Shift+Tab, Enter, Space and the
# arrow keys, in both languages; every control reached shows the focus outline.

WORDS = {
    "en": {"skip": "Skip to main content", "search_box": "Search for", "query": "family",
           "registration": "/en/register-your-organisation/", "name": "Organisation name",
           "step2": "Step 2 of 5: Where it works", "next": "Save and continue",
           "non_profit": "Private non-profit sector / foundations",
           "move_down": "Move down", "move_up": "Move up", "save": "Save ranking",
           "saved": "Ranking saved:", "agenda_link": "your agenda",
           "agenda": "Agenda of Colombia",
           "move_to": "Move to an empty room", "move": "Move", "moved": "Moved “{title}” to"},
    "es": {"skip": "Saltar al contenido principal", "search_box": "Buscar", "query": "familias",
           "registration": "/es/inscriba-a-su-organizacion/",
           "name": "Nombre de la organización", "step2": "Paso 2 de 5: Dónde trabaja",
           "next": "Guardar y continuar",
           "non_profit": "Sector privado sin fines de lucro / fundaciones",
           "move_down": "Bajar", "move_up": "Subir", "save": "Guardar el orden",
           "saved": "Orden guardado:", "agenda_link": "su agenda",
           "agenda": "Agenda de Colombia",
           "move_to": "Mover a una sala libre", "move": "Mover",
           "moved": "Se movió «{title}» a"},
}
# The focused element (looking inside shadow roots: the Wagtail user bar is a custom element),
# whether it is `target`, and how its focus shows; one round trip per key press.
FOCUS = """target => {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    const style = getComputedStyle(el);
    return {reached: el === target, visible: el.matches(':focus-visible'),
            outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
            on_screen: el.getBoundingClientRect().width > 0, html: el.outerHTML.slice(0, 120)};
}"""


def assert_focus_visible(page, target=None):
    """Checks the focused control shows its focus; says whether it is `target` (a handle)."""
    focus = page.evaluate(FOCUS, target)
    assert focus["visible"] and focus["outline"] != "none" and focus["width"] >= 2, (
        f"no visible focus indicator on {focus['html']}: {focus}")
    assert focus["on_screen"], f"the focused element is not on screen: {focus['html']}"
    return focus["reached"]


def tab_to(page, target, *, backwards=False, limit=80):
    """Presses Tab (Shift+Tab backwards) until `target` (a locator) has the focus, checking the
    focus indicator of every control passed on the way."""
    key = "Shift+Tab" if backwards else "Tab"
    handle = target.element_handle()
    for _ in range(limit):
        page.keyboard.press(key)
        if assert_focus_visible(page, handle):
            return
    raise AssertionError(f"{limit} presses of {key} did not reach {target}")


def open_page(chromium, states, account, url, language):
    context = open_as(chromium, states, account)
    page = context.new_page()
    page.goto(url)
    assert page.locator("html").get_attribute("lang") == language
    return context, page


LANGUAGES = pytest.mark.parametrize("language", ["en", "es"])


@LANGUAGES
def test_skip_link_comes_first_and_search_opens_a_result_by_keyboard(
        live_portal, chromium, signed_in_states, language):
    words = WORDS[language]
    context, page = open_page(chromium, signed_in_states, None,
                              f"{live_portal.url}/{language}/search/", language)
    try:
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name=words["skip"])
        assert skip.evaluate("el => el === document.activeElement")
        assert_focus_visible(page)
        box = skip.bounding_box()
        assert box["y"] >= 0 and box["height"] > 0  # moved into view when focused
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"

        tab_to(page, page.get_by_role("combobox", name=words["search_box"]))
        page.keyboard.type(words["query"])
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/{language}/search/?q={words['query']}*")
        first_hit = page.locator(".hit__title a").first
        title, address = first_hit.inner_text(), first_hit.get_attribute("href")
        tab_to(page, first_hit)
        page.keyboard.press("Enter")
        page.wait_for_url(f"**{address}")
        assert page.locator("h1").inner_text().strip() == title.strip()
    finally:
        context.close()


@LANGUAGES
def test_registration_first_step_by_keyboard(live_portal, chromium, signed_in_states, language):
    words = WORDS[language]
    context, page = open_page(chromium, signed_in_states, None,
                              f"{live_portal.url}{words['registration']}", language)
    try:
        tab_to(page, page.get_by_label(words["name"]))
        page.keyboard.type("Fundación Teclado")
        page.keyboard.press("Tab")
        page.keyboard.type("Fundación")
        page.keyboard.press("Tab")  # into the sector radio group
        assert_focus_visible(page)
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")  # the third sector
        assert page.get_by_label(words["non_profit"]).is_checked()
        page.keyboard.press("Tab")  # the country list: typing picks an option
        assert_focus_visible(page)
        page.keyboard.type("Chile")
        assert page.evaluate("document.activeElement.selectedOptions[0].text") == "Chile"
        page.keyboard.press("Tab")
        page.keyboard.type("https://teclado.example")
        tab_to(page, page.get_by_role("button", name=words["next"]))
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name=words["step2"])).to_be_visible()
    finally:
        context.close()


@LANGUAGES
def test_ranking_moves_and_saves_by_keyboard(live_portal, chromium, signed_in_states,
                                             language):
    words = WORDS[language]
    context, page = open_page(
        chromium, signed_in_states, DELEGATE,
        f"{live_portal.url}/{language}/workshops/santa-marta-2012/delegations/COL/requests/",
        language)
    try:
        titles = page.locator(".ranking__title")
        before = titles.all_inner_texts()
        assert len(before) >= 3
        second = page.locator(".ranking__item").nth(1)
        tab_to(page, second.get_by_role("button", name=words["move_down"]))
        page.keyboard.press("Enter")  # the second offer becomes third
        tab_to(page, page.locator(".ranking__item").nth(1).get_by_role(
            "button", name=words["move_up"]), backwards=True)
        page.keyboard.press("Space")  # and the offer now second goes up to first
        # A B C -> (B down) A C B -> (C up) C A B
        expected = [before[2], before[0], before[1], *before[3:]]
        assert titles.all_inner_texts() == expected
        tab_to(page, page.get_by_role("button", name=words["save"]))
        page.keyboard.press("Enter")
        page.wait_for_url("**/requests/#ranking")
        expect(page.locator(".messages")).to_contain_text(words["saved"])
        assert titles.all_inner_texts() == expected
    finally:
        context.close()


@LANGUAGES
def test_agenda_opens_by_keyboard(live_portal, chromium, signed_in_states, language):
    words = WORDS[language]
    context, page = open_page(chromium, signed_in_states, DELEGATE,
                              f"{live_portal.url}/{language}/workshops/{ROUNDS_SLUG}/",
                              language)
    try:
        tab_to(page, page.get_by_role("link", name=words["agenda_link"]))
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/{language}/workshops/{ROUNDS_SLUG}/agenda/COL/")
        expect(page.get_by_role("heading", name=words["agenda"])).to_be_visible()
        assert page.locator("#agenda tbody tr").count() == 2
    finally:
        context.close()


@LANGUAGES
def test_schedule_editor_moves_a_round_by_keyboard(live_portal, chromium, signed_in_states,
                                                   language):
    words = WORDS[language]
    context, page = open_page(chromium, signed_in_states, ORGANISER,
                              f"{live_portal.url}/{language}/workshops/{ROUNDS_SLUG}/schedule/",
                              language)
    try:
        first_round = page.locator("article.rounds-round").first
        title = first_round.locator("h3").inner_text()
        tab_to(page, first_round.locator("a.rounds-edit-link"))
        page.keyboard.press("Enter")  # opens the round's edit panel
        panel = page.locator("#edit-panel")
        expect(panel.get_by_role("heading", level=2)).to_contain_text(title)
        target = panel.get_by_label(words["move_to"])
        tab_to(page, target)
        page.keyboard.press("ArrowDown")  # the second empty room
        chosen = target.evaluate("el => el.selectedOptions[0].text")
        assert target.evaluate("el => el.selectedIndex") == 1
        tab_to(page, panel.get_by_role("button", name=words["move"], exact=True))
        page.keyboard.press("Enter")
        message = page.locator(".messages")
        expect(message).to_contain_text(words["moved"].format(title=title))
        session, room = chosen.split(" · ")
        expect(message).to_contain_text(f"{session}, {room}")
    finally:
        context.close()


def test_the_checks_catch_mistakes_planted_in_a_real_page(live_portal, browser_page):
    """axe and the focus check can fail: they find mistakes planted in the home page."""
    page = browser_page
    page.goto(f"{live_portal.url}/en/")
    # Styles set through the DOM: the Content Security Policy drops inline style attributes.
    page.evaluate("""() => {
        const main = document.getElementById('main');
        main.insertAdjacentHTML('beforeend',
            '<input type="text" id="planted-input"><p id="planted-text">Faint text</p>');
        const faint = document.getElementById('planted-text');
        faint.style.color = '#bbb';
        faint.style.background = '#fff';
    }""")
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                     "resultTypes": ["violations"]})
    found = {(violation["id"], violation["impact"], node["target"][0])
             for violation in results.response["violations"] for node in violation["nodes"]}
    assert ("label", "critical", "#planted-input") in found
    assert ("color-contrast", "serious", "#planted-text") in found

    # Through the CSS object model, which the policy allows, unlike a <style> element.
    page.evaluate("""() => document.styleSheets[0].insertRule(
        ':focus-visible { outline: none !important; box-shadow: none !important; }',
        document.styleSheets[0].cssRules.length)""")
    page.keyboard.press("Tab")
    with pytest.raises(AssertionError, match="no visible focus indicator on <a class=\"skip-link"):
        assert_focus_visible(page)
