"""Keyboard only: a consultant logs a week, and a client scores a SAP round,
without touching the mouse (Tab, arrows, typing, Enter). axe-core checks each
page on the way (conftest.py)."""

from __future__ import annotations

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from tracker.assessments.models import Assessment

PASSWORD = "demo passphrase 1"


def _focused(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement;
      return {tag: e.tagName, text: (e.innerText || '').trim(), label: e.getAttribute('aria-label') || '',
              name: e.name || '', type: e.type || '', value: e.value || ''}; }""")


def tab_to(page, matches, limit: int = 120, key: str = "Tab") -> dict:
    """Press Tab until the focused element matches; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press(key)
        focused = _focused(page)
        if matches(focused):
            return focused
    raise AssertionError(f"Tab never reached the wanted element; last focused: {_focused(page)}")


def sign_in_by_keyboard(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    tab_to(page, lambda f: f["name"] == "email")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")


def test_a_consultant_logs_a_week_by_keyboard(page, live_server, demo_world, shot):
    base = live_server
    cwac = demo_world.engagements["cwac"].title
    sign_in_by_keyboard(page, base, "mark.dobson@halton.example.org")
    tab_to(page, lambda f: f["tag"] == "A" and f["text"] == "My week")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Week of 23 Nov 2026"))).to_be_visible()
    tab_to(page, lambda f: f["tag"] == "A" and f["text"] == "Next week ›")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Week of 30 Nov 2026"))).to_be_visible()

    # The CWAC row's activity is what Mark last logged there (no silent default).
    activity = tab_to(page, lambda f: f["label"] == f"Activity for {cwac}")
    assert activity["value"], "the activity should be remembered from Mark's last CWAC day"
    tab_to(page, lambda f: f["label"] == f"Days on Monday 30 November for {cwac}")
    page.keyboard.type("0.5")
    page.keyboard.press("Tab")
    page.keyboard.type("1")
    # The arrows move to another engagement's cell for the same day, and back.
    here = f"Days on Tuesday 1 December for {cwac}"
    away, back = ("ArrowDown", "ArrowUp") if page.evaluate(
        "() => !!document.querySelector(`.week-grid input[data-row='${+document.activeElement.dataset.row + 1}']`)"
    ) else ("ArrowUp", "ArrowDown")
    page.keyboard.press(away)
    moved = _focused(page)["label"]
    assert moved.startswith("Days on Tuesday 1 December for ") and moved != here, moved
    page.keyboard.press(back)
    assert _focused(page)["label"] == here
    shot(page, "keyboard-week-typed")
    page.keyboard.press("Enter")  # saves the week
    expect(page.get_by_text(re.compile(r"Week saved \(2 changes\)"))).to_be_visible()
    expect(page.get_by_label(f"Days on Tuesday 1 December for {cwac}")).to_have_value("1")
    # The focus ring is visible on whatever has focus.
    tab_to(page, lambda f: f["label"] == f"Days on Monday 30 November for {cwac}")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    shot(page, "keyboard-week-saved")


def test_a_client_scores_a_round_by_keyboard(page, live_server, demo_world, session, shot):
    base = live_server
    cwac = demo_world.engagements["cwac"]
    round_id = session.scalar(sa.select(Assessment.id).where(Assessment.engagement_id == cwac.id)
                              .order_by(Assessment.assessed_on.desc()))
    sign_in_by_keyboard(page, base, "commissioning@cwac.example.org")
    # Home leads with what needs the client: the round to score.
    tab_to(page, lambda f: f["tag"] == "A" and f["text"].startswith("Score the "))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/assessments/{round_id}/responses/new")
    tab_to(page, lambda f: f["name"] == "group")
    page.keyboard.type("Keyboard group")
    # Into the first standard: focus lands on its checked radio ("Not scored"); arrows choose.
    first = tab_to(page, lambda f: f["type"] == "radio")
    assert first["value"] == ""
    page.keyboard.press("ArrowLeft")  # 5
    page.keyboard.press("ArrowLeft")  # 4
    assert _focused(page)["value"] == "4"
    page.keyboard.press("Tab")
    page.keyboard.type("Agreed at the Trust Board")
    page.keyboard.press("Tab")  # the next standard
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")  # 3
    assert _focused(page)["value"] == "3"
    shot(page, "keyboard-sap-scored")
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Save scores")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Scores recorded for Keyboard group.")).to_be_visible()
    shot(page, "keyboard-sap-saved")
