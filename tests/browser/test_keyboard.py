"""The whole diagnostic with the keyboard only: Tab, Shift+Tab, Space, Enter, arrows.

The page is never clicked, filled or checked through Playwright's element API:
only key presses move the focus and answer, as a keyboard user would.
"""

from tests.assessment.personas import ACCOUNTING_FIRM

from .conftest import needs_chromium, new_context

pytestmark = needs_chromium
ANSWERS = ACCOUNTING_FIRM["answers"]
MOST_TABS = 120  # more than any page has stops: a field never reached fails

FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
        tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute("name"),
        value: el.value, type: el.type, text: (el.innerText || "").trim(),
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2
            && style.outlineColor !== "rgba(0, 0, 0, 0)",
        onScreen: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0,
    };
}"""


def focused(page) -> dict:
    state = page.evaluate(FOCUSED)
    assert state, f"the focus was lost on {page.url}"
    return state


def assert_focus_visible(page) -> dict:
    state = focused(page)
    assert state["onScreen"], f"focused element off screen: {state} on {page.url}"
    assert state["outline"], f"no visible focus ring: {state} on {page.url}"
    return state


def tab_to(page, selector: str, *, backwards: bool = False) -> dict:
    """Press Tab (or Shift+Tab) until `selector` has the focus; check each stop."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MOST_TABS):
        page.keyboard.press(key)
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return assert_focus_visible(page)
        if page.evaluate("document.activeElement !== document.body"):
            assert_focus_visible(page)
    raise AssertionError(f"{selector} cannot be reached with {key} on {page.url}")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def choose(page, selector: str, value: str) -> None:
    """Pick an option of a closed <select> with the arrow keys."""
    tab_to(page, selector)
    page.keyboard.press("Home")
    for _ in range(200):
        if page.evaluate("s => document.querySelector(s).value", selector) == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{value} is not an option of {selector}")


def pick_radio(page, name: str, value: str) -> None:
    """Tab into the group, then arrows: they move the focus and check."""
    tab_to(page, f'input[name="{name}"]')
    for _ in range(20):
        if focused(page)["value"] == value:
            press_choice(page, "Space")
            return
        press_choice(page, "ArrowDown")
    raise AssertionError(f"{value} is not a choice of {name}")


def press_choice(page, key: str) -> None:
    """Press a key that may check a choice, and let htmx bring the questions it
    controls (they replace the old ones): the focus must stay on the choice."""
    before = focused(page)["id"]
    page.keyboard.press(key)
    page.wait_for_function(
        "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
    if key == "Space":
        assert focused(page)["id"] == before, f"the focus left {before}"


def press_and_wait(page, key: str) -> None:
    """Press `key` on the focused control and wait for the page to change."""
    # htmx (hx-boost) swaps the body's content, main included: mark the old one.
    page.evaluate("document.querySelector('main').dataset.before = '1'")
    page.keyboard.press(key)
    page.wait_for_function(
        """() => {
            const main = document.querySelector("main");
            return main && !main.dataset.before
                && !document.querySelector(".htmx-request, .htmx-settling");
        }"""
    )


def answer(page, code: str, value) -> None:
    question = f'[name="{code}"]'
    if isinstance(value, list):
        for choice in value:
            tab_to(page, f'{question}[value="{choice}"]')
            press_choice(page, "Space")
    elif page.locator(f'input[type="radio"]{question}').count():
        pick_radio(page, code, value)
    else:
        type_into(page, question, str(value))


def answer_step(page) -> None:
    done = set()
    while True:  # a choice can bring new questions: read them again after each
        shown = page.locator('input[name="shown"]').evaluate_all(
            "els => els.map(e => e.value)"
        )
        todo = [c for c in shown if c not in done and ANSWERS.get(c) not in (None, "")]
        if not todo:
            return
        answer(page, todo[0], ANSWERS[todo[0]])
        done.add(todo[0])


def fill_profile(page) -> None:
    type_into(page, "#id_company_name", "Cabinet Durand")
    type_into(page, "#id_siren", "732 829 320")
    choose(page, "#id_sector", "finance")
    choose(page, "#id_size_band", "small")
    choose(page, "#id_department", "31")
    type_into(page, "#id_respondent_name", "Claire Durand")
    type_into(page, "#id_respondent_email", "claire@example.fr")
    type_into(page, "#id_respondent_role", "Gérante")
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")


def send_empty_and_follow_the_first_error(page) -> None:
    """Errors are announced and focused; their links lead to the fields."""
    tab_to(page, "#step-form button[type=submit]")
    press_and_wait(page, "Enter")
    assert focused(page)["id"] == "error-summary"
    assert page.get_attribute("#error-summary", "role") == "alert"
    target = page.get_attribute("#error-summary a", "href")
    tab_to(page, f'#error-summary a[href="{target}"]')
    page.keyboard.press("Enter")
    assert page.evaluate(
        "s => document.querySelector(s).contains(document.activeElement)", target
    ), f"Enter on the error link left the focus on {focused(page)}"
    error = page.locator(target).get_attribute("aria-describedby")
    assert error and page.locator(f"#{error.split()[-1]}").is_visible()


def test_skip_link_is_the_first_stop_and_leads_to_the_content(chromium, live_server):
    page = new_context(chromium, live_server, language="fr", bypass_csp=True).new_page()
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    state = assert_focus_visible(page)
    assert state["text"] == "Aller au contenu"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "contenu"
    page.keyboard.press("Tab")  # the next stop is inside the content
    assert page.evaluate(
        "document.querySelector('#contenu').contains(document.activeElement)"
    )
    page.context.close()


def test_the_diagnostic_can_be_done_with_the_keyboard_only(
    chromium, live_server, seeds
):
    page = new_context(chromium, live_server, language="fr", bypass_csp=True).new_page()
    page.goto(live_server.url + "/")
    tab_to(page, 'a[href="/diagnostic/"][role="button"]')
    press_and_wait(page, "Enter")

    send_empty_and_follow_the_first_error(page)
    assert focused(page)["id"] == "id_company_name"
    fill_profile(page)
    tab_to(page, "#step-form button[type=submit]")
    press_and_wait(page, "Enter")
    assert "/lien/" in page.url
    tab_to(page, 'a[role="button"][href*="/etape/"]')
    press_and_wait(page, "Enter")

    send_empty_and_follow_the_first_error(page)
    while "/etape/" in page.url:
        answer_step(page)
        tab_to(page, '#step-form button[name="previous"]')
        tab_to(page, '#step-form button[name="next"]', backwards=True)
        press_and_wait(page, "Enter")
        assert not page.locator("#error-summary").count(), page.inner_text(
            "#error-summary"
        )
        if "/etape/stone/" in page.url and page.locator(".reading-found").count():
            # Sent before the reading came: it shows once, then the step moves on.
            tab_to(page, '#step-form button[name="next"]')
            press_and_wait(page, "Enter")

    assert page.url.endswith("/resultat/")
    assert page.locator("svg.radar").count() == 1
    tab_to(page, "#report-actions button[type=submit]")
    page.context.close()
