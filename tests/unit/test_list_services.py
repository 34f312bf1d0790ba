"""One list_* service per list, used by the page and the API alike: the same
visibility and filters; the API asks for id order (stable paging)."""

from datetime import date

from tests.factories import TODAY, billing_samples, day, draft, engagement
from tracker.authorities import services as authorities
from tracker.billing import services as billing
from tracker.engagements import services as engagements
from tracker.staff import services as staff


def test_engagements_list_confines_clients_and_filters(session, world):
    later = engagement(session, world.client_a, "Later work", status="proposed", start_date=date(2026, 9, 1))
    mine = engagements.list_engagements(session, world.users["client"], 1, 50)
    assert mine.items and {e.client_id for e in mine.items} == {world.client_a.id}
    assert mine.items[0] == later  # newest start first
    by_id = engagements.list_engagements(session, world.users["manager"], 1, 50, by_id=True)
    assert [e.id for e in by_id.items] == sorted(e.id for e in by_id.items)
    proposed = engagements.list_engagements(session, world.users["manager"], 1, 50, status="proposed")
    assert [e.id for e in proposed.items] == [later.id]


def test_authorities_and_staff_lists(session, world):
    assert [a.id for a in authorities.list_authorities(session, world.users["client"], 1, 50).items] == [world.client_a.id]
    everyone = authorities.list_authorities(session, world.users["manager"], 1, 50)
    assert everyone.items[0] == world.lead and everyone.total == 3
    leads = authorities.list_authorities(session, world.users["manager"], 1, 50, is_lead=True, by_id=True)
    assert leads.items == [world.lead]
    by_name = [m.name for m in staff.list_staff(session, 1, 50).items]
    assert by_name == sorted(by_name)
    by_id = [m.id for m in staff.list_staff(session, 1, 50, by_id=True).items]
    assert by_id == sorted(by_id)


def test_invoices_list_confines_clients_orders_and_filters(session, world):
    billing_samples(session, world)
    day(session, world.engagement_a, world.staff["s1"], date(2026, 11, 2), "1", "mentoring")
    waiting = draft(session, world.client_a)
    none = billing.InvoiceFilters()
    everything = billing.list_invoices(session, world.users["finance"], none, TODAY, 1, 50)
    assert everything.total >= 2
    issued = [i for i in everything.items if i.issued_on is not None]
    drafts = [i for i in everything.items if i.issued_on is None]
    assert drafts == [waiting] and everything.items == drafts + issued  # drafts first, then the newest issued
    assert [i.issued_on for i in issued] == sorted((i.issued_on for i in issued), reverse=True)
    by_id = billing.list_invoices(session, world.users["finance"], none, TODAY, 1, 50, by_id=True)
    assert [i.id for i in by_id.items] == sorted(i.id for i in everything.items)
    client = billing.list_invoices(session, world.users["client"], none, TODAY, 1, 50)
    assert client.items and {i.client_id for i in client.items} == {world.client_a.id}
    assert all(i.issued_on is not None for i in client.items)  # never a draft
    credit_notes = billing.list_invoices(session, world.users["finance"], billing.InvoiceFilters(kind="credit_note"),
                                         TODAY, 1, 50)
    assert {i.kind.value for i in credit_notes.items} <= {"credit_note"}
