"""Each role's everyday pages at a laptop (1366×900) and a phone (390×844) width:
no page scrolls sideways or clips a table on the laptop, the core jobs do not
scroll sideways on the phone, exactly one main-navigation item is marked current,
the header stays on one line on the laptop, and axe-core (the autouse check in
conftest.py) finds no WCAG 2.2 A/AA violation. Screenshots land in
tests/e2e/artifacts/<role>-<width>-<page>.png."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.e2e.conftest import DESKTOP, PHONE, sign_in
from tracker.assessments.models import Assessment

PASSWORD = "demo passphrase 1"

#: A page's layout measures: sideways scroll, tables wider than their box,
#: how many main-navigation links say aria-current="page", and the header's height.
MEASURE = """() => {
  const doc = document.documentElement;
  const clipped = [...document.querySelectorAll('main table')].filter(t => {
    const box = t.parentElement.getBoundingClientRect();
    return t.offsetParent !== null && t.getBoundingClientRect().width > box.width + 1;
  }).map(t => (t.className || t.parentElement.className || 'table'));
  const header = document.querySelector('.header-inner');
  return {
    scroll: doc.scrollWidth, inner: window.innerWidth, clipped,
    current: document.querySelectorAll('nav.site-nav [aria-current="page"]').length,
    currentLabel: [...document.querySelectorAll('nav.site-nav [aria-current="page"]')].map(a => a.textContent.trim()),
    headerHeight: header ? header.getBoundingClientRect().height : 0,
  };
}"""


def _pages(world, session) -> dict[str, list[tuple[str, str, bool, str]]]:
    """role → [(name, path, core job?, nav item expected current)]."""
    cwac = world.engagements["cwac"]
    round_id = session.scalar(sa.select(Assessment.id).where(Assessment.engagement_id == cwac.id)
                              .order_by(Assessment.assessed_on.desc()))
    lead_pages = [
        ("engagements", "/engagements/", False, "Engagements"),
        ("engagement", f"/engagements/{cwac.id}", False, "Engagements"),
        ("days", f"/engagements/{cwac.id}/days", False, "Engagements"),
        ("plan", f"/engagements/{cwac.id}/plan", True, "Engagements"),
    ]
    return {
        "consultant": [("home", "/", True, "Home"), ("week", "/days/week", True, "My week"),
                       ("my-days", "/days/mine", True, "My days"), *lead_pages],
        "manager": [("home", "/", True, "Home"), ("week", "/days/week", True, "My week"),
                    ("capacity", "/reports/capacity", False, "Capacity"),
                    ("reviews", "/reports/reviews", False, "Capacity"),
                    ("income", "/reports/income", False, "Income"),
                    ("progress", f"/reports/progress/{cwac.id}", False, "Engagements"),
                    ("invoices", "/invoices/", True, "Invoices"), *lead_pages],
        "finance": [("home", "/", True, "Home"), ("invoices", "/invoices/", True, "Invoices"),
                    ("aged-debt", "/invoices/aged-debt", False, "Invoices"),
                    ("income", "/reports/income", False, "Income"),
                    ("settings", "/settings/", False, "Settings")],
        "admin": [("home", "/", True, "Home"), ("staff", "/staff/", False, "Staff"),
                  ("users", "/users", False, "Users"), ("audit", "/audit/", False, "Audit"),
                  ("settings", "/settings/", False, "Settings"),
                  ("authorities", "/authorities/", False, "Authorities")],
        "client": [("home", "/", True, "Home"), ("invoices", "/invoices/", True, "Invoices"),
                   ("progress", f"/reports/progress/{cwac.id}", False, "Progress"),
                   ("plan", f"/engagements/{cwac.id}/plan", True, "Engagements"),
                   ("sap-scoring", f"/assessments/{round_id}/responses/new", True, "Engagements")],
    }


EMAILS = {
    "consultant": "mark.dobson@halton.example.org",
    "manager": "helen.ashworth@halton.example.org",
    "finance": "finance@halton.example.org",
    "admin": "admin@halton.example.org",
    "client": "commissioning@cwac.example.org",
}


@pytest.mark.parametrize("role", list(EMAILS))
def test_everyday_pages_fit_a_laptop_and_a_phone(role, page, live_server, demo_world, session, shot,
                                                 axe_every_page):
    base = live_server
    sign_in(page, base, EMAILS[role], PASSWORD)
    problems = []
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        width = viewport["width"]
        for name, path, core, expected in _pages(demo_world, session)[role]:
            response = page.goto(base + path)
            where = f"{role} {name} @{width}px"
            if not response.ok:
                problems.append(f"{where}: {path} answered {response.status}")
                continue
            m = page.evaluate(MEASURE)
            page.wait_for_function("() => window.__axeDone === true")  # the autouse axe-core check
            if m["current"] != 1 or m["currentLabel"] != [expected]:
                problems.append(f"{where}: current nav items {m['currentLabel']}, expected [{expected!r}]")
            if width == DESKTOP["width"] or core:
                if m["scroll"] > m["inner"]:
                    problems.append(f"{where}: scrolls sideways ({m['scroll']} > {m['inner']} px)")
                if m["clipped"]:
                    problems.append(f"{where}: tables wider than their box: {m['clipped']}")
            if width == DESKTOP["width"] and m["headerHeight"] > 70:
                problems.append(f"{where}: header wraps ({m['headerHeight']:.0f} px tall)")
            shot(page, f"{role}-{width}-{name}")
    assert not problems, "\n".join(problems)
