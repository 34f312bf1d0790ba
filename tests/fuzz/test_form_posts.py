"""Hypothesis throws odd input at the main forms: whatever arrives, the answer
is a page (200), a redirect (302) or a refusal (4xx) — never a 500."""

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import login

ODD_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "0", "-1", "1e309", "NaN", "Infinity", "0.333", "2026-02-30", "2026-13-01", "9" * 30,
                     "2147483648", "-2147483649", "1" * 400,
                     "<script>alert(1)</script>", "=cmd|' /C calc'!A0", "\x00", "’", "1,000.00", "£500"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
)

FORMS = {
    "/authorities/new": ["name", "kind", "is_lead", "address", "vat_number", "finance_contact", "finance_email"],
    "/staff/new": ["name", "job_title", "email", "monthly_capacity_days", "external_cap_share", "active"],
    "/engagements/new": ["client_id", "title", "kind", "day_rate", "estimated_days_low", "estimated_days_high",
                         "start_date", "end_date", "purchase_order", "vat", "vat_note", "approval_reference",
                         "staff_ids", "description"],
    "/users/new": ["email", "name", "role", "authority_id", "staff_id", "password"],
    "/settings/day_rate": ["value", "effective_from", "note"],
    "/reports/capacity/2026-11/review": ["reviewed_on", "notes", "decisions", "actions"],
    "/days/week?start=2026-11-16": ["start", "staff_id", "rows-0-engagement_id", "rows-0-activity",
                                    "rows-0-original_activity", "rows-0-d0", "rows-0-d1"],
}

#: make test runs a fixed, repeatable set of examples; FUZZ_RANDOM=1 (bench/fuzz_random.sh) explores afresh.
FUZZ_RANDOM = os.environ.get("FUZZ_RANDOM") == "1"


def _engagement_forms(world):
    e = world.engagement_a.id
    return {
        f"/engagements/{e}/days/new": ["staff_id", "worked_on", "activity", "days", "state", "billable", "notes"],
        f"/engagements/{e}/days/plan": ["staff_id", "first", "count", "days_each", "activity", "notes"],
        f"/engagements/{e}/edit": FORMS["/engagements/new"],
        f"/engagements/{e}/status": ["action", "note", "confirmed"],
    }


def _fuzz(client, method: str, url: str, fields: list[str]) -> None:
    """Send ODD_TEXT in every field of one form or query string; never a 500."""
    @given(values=st.fixed_dictionaries(dict.fromkeys(fields, ODD_TEXT)))
    @settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES") or 40), deadline=None, database=None, derandomize=not FUZZ_RANDOM,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def send(values):
        if method == "GET":
            response = client.get(url, query_string=values)
        else:
            response = client.post(url, data=values)
        assert response.status_code < 500, (method, url, values, response.status_code)

    send()


def test_main_forms_never_answer_500(app, world):
    client = login(app.test_client(), world.users["admin"])
    for url, fields in (FORMS | _engagement_forms(world)).items():
        _fuzz(client, "POST", url, fields)


LISTS = {
    "/engagements/": ["client_id", "status", "page", "per_page"],
    "/authorities/": ["page", "per_page"],
    "/days/week": ["start", "staff_id"],
    "/reports/capacity": ["month"],
    "/reports/income": ["start", "end", "by", "format"],
    "/audit/": ["who", "entity", "action", "entity_id", "start", "end", "page"],
}


def test_list_filters_never_answer_500(app, world):
    client = login(app.test_client(), world.users["admin"])
    e = world.engagement_a.id
    for url, fields in (LISTS | {f"/engagements/{e}/days": ["staff_id", "activity", "state", "month", "page", "per_page"]}).items():
        _fuzz(client, "GET", url, fields)
