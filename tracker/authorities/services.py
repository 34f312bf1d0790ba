"""Authorities: create, edit, list; a client user sees only their own."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker import results_cache
from tracker.access import Role
from tracker.addresses import normalise_email
from tracker.audit import services as audit
from tracker.authorities.models import Authority, AuthorityKind
from tracker.cache_scope import NO_DAYS
from tracker.errors import Conflict, NotFound, ValidationFailed
from tracker.pagination import Page, paginate
from tracker.web import options

#: Limits the form and the API schema take from here (e-mail: addresses.EMAIL_MAX).
NAME_MAX = 160
ADDRESS_MAX = 1000
VAT_NUMBER_MAX = 20
FINANCE_CONTACT_MAX = 120


@dataclass
class AuthorityInput:
    name: str
    kind: str = AuthorityKind.COUNCIL.value
    is_lead: bool = False
    address: str = ""
    vat_number: str = ""
    finance_contact: str = ""
    finance_email: str = ""


def _clean(session: Session, data: AuthorityInput, existing: Authority | None) -> dict:
    fields = {}
    name = (data.name or "").strip()
    if not name:
        fields["name"] = "Give the authority's name."
    elif len(name) > NAME_MAX:
        fields["name"] = f"Use at most {NAME_MAX} characters."
    try:
        kind = AuthorityKind(data.kind)
    except ValueError:
        fields["kind"] = f"Kind must be one of {', '.join(AuthorityKind)}."
        kind = None
    vat = (data.vat_number or "").strip().upper().replace(" ", "")
    if vat and not (vat.startswith("GB") and vat[2:].isdigit() and len(vat[2:]) in (9, 12)) and not (
        vat[:2].isalpha() and 4 <= len(vat) <= VAT_NUMBER_MAX
    ):
        fields["vat_number"] = "Enter a VAT number such as GB123456789."
    address = (data.address or "").strip()
    if len(address) > ADDRESS_MAX:
        fields["address"] = f"Use at most {ADDRESS_MAX:,} characters."
    contact = (data.finance_contact or "").strip()
    if len(contact) > FINANCE_CONTACT_MAX:
        fields["finance_contact"] = f"Use at most {FINANCE_CONTACT_MAX} characters."
    email = (data.finance_email or "").strip()
    if email:
        try:
            email = normalise_email(email, "finance_email")
        except ValidationFailed as exc:
            fields.update(exc.fields)
    if name and not fields.get("name"):
        clash = session.scalar(
            sa.select(Authority.id).where(sa.or_(Authority.name == name, sa.func.lower(Authority.name) == name.lower()))
        )
        if clash and (existing is None or clash != existing.id):
            raise Conflict.for_field("name", f"An authority called {name} already exists.")
    if data.is_lead:
        lead = session.scalar(sa.select(Authority.id).where(Authority.is_lead.is_(True)))
        if lead and (existing is None or lead != existing.id):
            fields["is_lead"] = "There is already a lead authority; only one authority can be the lead."
    if fields:
        raise ValidationFailed("Check the highlighted fields.", fields)
    return {
        "name": name,
        "kind": kind,
        "is_lead": bool(data.is_lead),
        "address": address,
        "vat_number": vat,
        "finance_contact": contact,
        "finance_email": email,
    }


def create_authority(session: Session, actor, data: AuthorityInput) -> Authority:
    authority = Authority(**_clean(session, data, None))
    session.add(authority)
    session.flush()
    audit.record(session, actor, "create", "authority", authority.id, None, audit.snapshot(authority))
    session.commit()
    return authority


def update_authority(session: Session, actor, authority: Authority, data: AuthorityInput) -> Authority:
    before = audit.snapshot(authority)
    for key, value in _clean(session, data, authority).items():
        setattr(authority, key, value)
    audit.record(session, actor, "update", "authority", authority.id, before, audit.snapshot(authority))
    session.commit()
    return authority


def visible_authorities(user) -> sa.Select:
    """The authorities a user may see: all for lead staff, their own for a client."""
    stmt = sa.select(Authority).order_by(Authority.is_lead.desc(), Authority.name)
    if user.role == Role.CLIENT:
        stmt = stmt.where(Authority.id == user.authority_id)
    return stmt


def list_authorities(session: Session, user, page: int, per_page: int, *, is_lead: bool | None = None,
                     by_id: bool = False) -> Page:
    """One page of the authorities this user may see, for the page and the API alike:
    the lead first then by name, or by id (``by_id``: the API's stable order)."""
    stmt = visible_authorities(user)
    if is_lead is not None:
        stmt = stmt.where(Authority.is_lead.is_(is_lead))
    if by_id:
        stmt = stmt.order_by(None).order_by(Authority.id)
    return paginate(session, stmt, page, per_page)


def get_authority(session: Session, user, authority_id: int) -> Authority:
    authority = session.get(Authority, authority_id)
    if authority is None or (user.role == Role.CLIENT and authority.id != user.authority_id):
        raise NotFound("No such authority.")
    return authority


def lead_authority(session: Session) -> Authority | None:
    return session.scalar(sa.select(Authority).where(Authority.is_lead.is_(True)))


def client_choices(session: Session) -> list[tuple[int, str]]:
    stmt = sa.select(Authority.id, Authority.name).where(Authority.is_lead.is_(False)).order_by(Authority.name)
    return [(row.id, row.name) for row in session.execute(stmt)]


def client_filter_options(session: Session) -> list:
    """"Any client" and every client authority, for list filters: hundreds at
    national scale, so built once and kept until a change that is not a support day."""
    return results_cache.cached(session, "client-filter-options", None,
                                lambda: options([(0, "Any client"), *client_choices(session)]), scope=NO_DAYS)
