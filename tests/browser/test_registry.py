"""An organisation registers through the public form (desktop, and a phone in Spanish using
the keyboard), confirms its email from the mail the server wrote, and a moderator decides."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import save_screenshot, sign_in


def mail_to(portal, address, subject_words):
    for message in reversed(portal.mails()):
        if f"To: {address}" in message and subject_words in message:
            return message
    raise AssertionError(f"no mail to {address} about {subject_words!r}")


def link_in(message, portal, kind):
    match = re.search(rf"{re.escape(portal.url)}/\w\w/programs/articulators/{kind}/[\w-]+/",
                      message)
    assert match, message
    return match.group(0)


def test_register_confirm_and_approve_on_a_desktop(live_portal, browser_page):
    page = browser_page
    email = "lucia@red-sur.example"
    page.goto(f"{live_portal.url}/en/programs/articulators/")
    page.get_by_role("link", name="Register your organisation").click()
    expect(page.get_by_role("heading", name="Step 1 of 5: Organisation")).to_be_visible()

    page.get_by_label("Organisation name").fill("Red Sur de Innovación Social")
    page.get_by_label("Legal form").fill("Corporación")
    page.get_by_label("Private non-profit sector / foundations").check()
    page.get_by_label("Country").select_option(label="Chile")
    page.get_by_label("Website").fill("https://redsur.example")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="Step 2 of 5: Where it works")).to_be_visible()
    page.get_by_label("Region of the head office").select_option(label="Los Lagos")
    page.get_by_role("group", name="South and far-south zone").get_by_label("Los Lagos").check()
    page.get_by_role("group", name="South and far-south zone").get_by_label("Los Ríos").check()
    page.get_by_label("Regional", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_label("Training (skills development)").check()
    page.get_by_label("Financing").check()
    page.get_by_role("group", name="Does the organisation run linkage activities").get_by_label(
        "Yes").check()
    page.get_by_label("How does it link with other actors?").fill("Mesas regionales.")
    page.get_by_role("group", name="Has the organisation made alliances").get_by_label(
        "No", exact=True).check()
    page.get_by_label("Income poverty").check()
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_label("Contact person").fill("Lucía Soto")
    page.get_by_label("Contact email", exact=True).fill(email)
    page.get_by_label("I agree that the answers are published").check()
    page.get_by_role("button", name="Save and continue").click()

    summary = page.locator("dl.registry-summary").inner_text()
    assert "Red Sur de Innovación Social" in summary and "Los Ríos" in summary
    page.get_by_role("button", name="Send the registration").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    confirmation = mail_to(live_portal, email, "Subject: Confirm your registration")
    page.goto(link_in(confirmation, live_portal, "confirm"))
    page.get_by_role("button", name="Confirm my email address").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()

    sign_in(page, live_portal, "moderator@example.org", "Moderator-demo-2026")
    page.goto(f"{live_portal.url}/admin/")
    row = page.locator("tr", has_text="Red Sur de Innovación Social")
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name="Approve", exact=True).click()
    expect(page.locator("tr", has_text="Red Sur de Innovación Social")).to_have_count(0)

    approval = mail_to(live_portal, email, "Subject: Your organisation is in the ecosystem")
    assert "/en/programs/articulators/edit/" in approval
    page.goto(f"{live_portal.url}/en/programs/articulators/?q=Red+Sur")
    page.get_by_role("link", name="Red Sur de Innovación Social").click()
    expect(page.get_by_role("heading", name="Red Sur de Innovación Social")).to_be_visible()
    assert email not in page.content()
    save_screenshot(page, "registry-approved-entry")


def test_a_phone_registers_in_spanish_with_the_keyboard_and_sees_a_duplicate(
        live_portal, phone_page):
    page = phone_page
    email = "quillay@otra.example"
    page.goto(f"{live_portal.url}/es/inscriba-a-su-organizacion/")
    expect(page.get_by_role("heading", name="Paso 1 de 5: Organización")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_label("Nombre de la organización").focus()
    page.keyboard.type("Fundación Quillay")
    page.keyboard.press("Tab")
    page.keyboard.type("Fundación")
    page.keyboard.press("Tab")  # into the sector radio group
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # third option: non-profit / foundations
    assert page.get_by_label("Sector privado sin fines de lucro / fundaciones").is_checked()
    page.keyboard.press("Tab")
    page.get_by_label("País").select_option(label="Chile")
    page.keyboard.press("Tab")
    page.keyboard.type("https://quillay-otra.example")
    page.keyboard.press("Enter")  # Enter in a field submits the step: the default button
    expect(page.get_by_role("heading", name="Paso 2 de 5: Dónde trabaja")).to_be_visible()

    # A step left with a mistake says what is wrong, and focus can jump to the field.
    page.get_by_role("button", name="Guardar y continuar").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Región de la sede")
    summary.get_by_role("link").first.click()
    page.get_by_label("Región de la sede").select_option(label="Biobío")
    checkbox = page.get_by_role("checkbox", name="Biobío")
    checkbox.focus()
    page.keyboard.press("Space")
    assert checkbox.is_checked()
    page.get_by_label("Regional", exact=True).check()
    page.get_by_role("button", name="Guardar y continuar").click()

    page.get_by_label("Estudios (investigaciones y evaluaciones)").check()
    page.get_by_role("group", name="¿La organización realiza instancias").get_by_label(
        "Prefiero no responder").check()
    page.get_by_role("group", name="¿La organización ha realizado alianzas").get_by_label(
        "No", exact=True).check()
    page.get_by_label("Vulnerabilidad social").check()
    page.get_by_role("button", name="Guardar y continuar").click()

    # Back to the previous step and forward again: the answers are still there.
    page.get_by_role("button", name="Paso anterior").click()
    expect(page.get_by_label("Vulnerabilidad social")).to_be_checked()
    page.get_by_role("button", name="Guardar y continuar").click()

    page.get_by_label("Persona de contacto").fill("Pía Rojas")
    page.get_by_label("Correo de contacto", exact=True).fill(email)
    page.get_by_label("Acepto que las respuestas se publiquen").check()
    page.get_by_role("button", name="Guardar y continuar").click()

    duplicates = page.get_by_role("region", name="¿Su organización ya está inscrita?")
    expect(duplicates).to_contain_text("Fundación Quillay")
    expect(duplicates).to_contain_text("mismo nombre")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    save_screenshot(page, "registry-phone-review-duplicate")
    page.get_by_role("button", name="Enviar la inscripción").click()
    expect(page.get_by_role("heading", name="Revise su correo")).to_be_visible()

    confirmation = mail_to(live_portal, email, "Subject: ")
    link = link_in(confirmation, live_portal, "confirm")
    assert "/es/programs/articulators/confirm/" in link
    page.goto(link)
    page.get_by_role("button", name="Confirmar mi correo").click()
    expect(page.get_by_role("heading", name="Gracias")).to_be_visible()
