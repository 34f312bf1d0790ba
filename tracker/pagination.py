"""Paging for lists: the same numbers on pages and in the API."""

from __future__ import annotations

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
