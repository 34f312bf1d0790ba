"""Paging for lists: the same numbers on pages and in the API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.errors import ValidationFailed

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_index(self) -> int:
        return 0 if not self.total else (self.page - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.per_page)


def page_args(args, default_per_page: int = DEFAULT_PER_PAGE) -> tuple[int, int]:
    """page and per_page from a query string; 422 naming the field when bad."""
    fields = {}
    try:
        page = int(args.get("page", 1))
        if page < 1 or page > 10_000_000:
            raise ValueError
    except (TypeError, ValueError):
        fields["page"] = "page must be a whole number from 1."
        page = 1
    try:
        per_page = int(args.get("per_page", default_per_page))
        if not (1 <= per_page <= MAX_PER_PAGE):
            raise ValueError
    except (TypeError, ValueError):
        fields["per_page"] = f"per_page must be a whole number from 1 to {MAX_PER_PAGE}."
        per_page = default_per_page
    if fields:
        raise ValidationFailed("Check the paging parameters.", fields)
    return page, per_page


def paginate(session: Session, stmt: sa.Select, page: int, per_page: int, *, scalars: bool = True) -> Page:
    count_stmt = sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
    total = session.scalar(count_stmt) or 0
    rows = session.execute(stmt.limit(per_page).offset((page - 1) * per_page))
    items = list(rows.scalars().unique()) if scalars else list(rows)
    return Page(items=items, total=total, page=page, per_page=per_page)


def paginate_deferred(session: Session, stmt: sa.Select, entity, order_by, page: int, per_page: int,
                      options=(), count: Callable[[int], int] | None = None) -> Page:
    """Like ``paginate``, for long lists: a "deferred join".

    The OFFSET is taken over the ids alone, in ``order_by`` (``stmt``'s order; an index
    holding the filter and order columns and the id answers that without
    touching a row), and only the ``per_page`` rows found are then read. So
    page 500 of a 50,000-day engagement skips 25,000 small index entries, not
    25,000 whole rows, and the API keeps its ``page``/``per_page``/``total``
    contract (a cursor would have to drop ``page`` and ``total``). ``options``
    are loader options for the rows (e.g. not re-joining the one engagement);
    ``count``, given the function that counts, may answer from a cache.
    """
    count_stmt = sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())

    def counted() -> int:
        return session.scalar(count_stmt) or 0

    total = count(counted) if count else counted()
    ids = stmt.with_only_columns(entity.id).limit(per_page).offset((page - 1) * per_page).subquery()
    rows = sa.select(entity).join(ids, ids.c.id == entity.id).order_by(*order_by).options(*options)
    items = list(session.scalars(rows).unique())
    return Page(items=items, total=total, page=page, per_page=per_page)
