"""Declarative base, column types and SQL helpers shared by every feature.

- ``Base`` carries a naming convention so Alembic names every constraint.
- ``Money`` is NUMERIC(12, 2) and ``Days`` NUMERIC(5, 2): Decimal in Python.
- ``UTCDateTime`` stores timezone-aware timestamps and gives them back aware.
- ``dsum()`` sums a NUMERIC column exactly on every database (SQLite has no
  decimal type, so there it sums integer hundredths).
"""

from __future__ import annotations

import contextvars
import enum
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, mapped_column, registry
from sqlalchemy.sql import coercions, roles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.visitors import InternalTraversal

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware timestamp, stored in UTC, returned aware on every database."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


MONEY_TYPE = sa.Numeric(12, 2, asdecimal=True)
DAYS_TYPE = sa.Numeric(5, 2, asdecimal=True)
#: Estimates and totals of days can pass 999.99.
DAY_TOTAL_TYPE = sa.Numeric(9, 2, asdecimal=True)
#: Shares and rates such as 0.20 (VAT, external cap).
RATIO_TYPE = sa.Numeric(5, 4, asdecimal=True)


class Base(DeclarativeBase):
    # The type map lives on the registry itself: Flask-SQLAlchemy subclasses
    # this base, and SQLAlchemy 2.1 refuses a per-subclass type_annotation_map.
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime(), date: sa.Date(), Decimal: MONEY_TYPE},
    )


Money = Annotated[Decimal, mapped_column(MONEY_TYPE)]
Days = Annotated[Decimal, mapped_column(DAYS_TYPE)]
DayTotal = Annotated[Decimal, mapped_column(DAY_TOTAL_TYPE)]
Ratio = Annotated[Decimal, mapped_column(RATIO_TYPE)]


def utcnow() -> datetime:
    """The default for audit stamps: a function, evaluated at each insert."""
    return datetime.now(UTC)


def enum_type(enum_cls: type[enum.Enum], name: str) -> sa.Enum:
    """A VARCHAR with a CHECK constraint holding the enum's values (portable)."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls) + 4,
        values_callable=lambda cls: [m.value for m in cls],
        validate_strings=True,
    )


class dsum(FunctionElement):
    """COALESCE(SUM(expr), 0) as an exact NUMERIC(14, 2) on every database.

    PostgreSQL sums NUMERIC exactly. SQLite stores NUMERIC as binary floats, so
    there the sum is taken over integer hundredths and divided once at the end.
    """

    type = sa.Numeric(14, 2, asdecimal=True)
    inherit_cache = True
    name = "dsum"


@compiles(dsum)
def _dsum_default(element, compiler, **kw):
    return "COALESCE(SUM(%s), 0)" % compiler.process(element.clauses, **kw)


@compiles(dsum, "sqlite")
def _dsum_sqlite(element, compiler, **kw):
    inner = compiler.process(element.clauses, **kw)
    return "(COALESCE(SUM(CAST(ROUND((%s) * 100) AS INTEGER)), 0) / 100.0)" % inner


class year_month(ColumnElement):
    """YYYYMM of a date as an integer (one GROUP BY term for a month).

    A column expression, not a SQL function object: SQLAlchemy treats a function as a FROM
    item too, and groups by a function through its memoized columns, which a copy made
    for a subquery's columns (tracker/billing/rule.py) shares with the original, so
    GROUP BY rendered the original column."""

    inherit_cache = True
    type = sa.Integer()
    _traverse_internals = [("date", InternalTraversal.dp_clauseelement)]

    def __init__(self, date_column) -> None:
        self.date = coercions.expect(roles.ExpressionElementRole, date_column)

    @property
    def _from_objects(self):
        return self.date._from_objects


@compiles(year_month)
def _year_month_default(element, compiler, **kw):
    inner = compiler.process(element.date, **kw)
    return f"(CAST(EXTRACT(YEAR FROM {inner}) AS INTEGER) * 100 + CAST(EXTRACT(MONTH FROM {inner}) AS INTEGER))"


@compiles(year_month, "sqlite")
def _year_month_sqlite(element, compiler, **kw):
    # One strftime a row, not two: at a year of national days the month is most of the aggregate's cost.
    return "CAST(STRFTIME('%%Y%%m', %s) AS INTEGER)" % compiler.process(element.date, **kw)


# --- PostgreSQL connection set-up ---------------------------------------------

@event.listens_for(Engine, "connect")
def _postgresql_on_connect(dbapi_connection, connection_record):
    """No JIT compilation of queries. PostgreSQL compiles a statement to machine code
    when its estimated cost is high, as a year's income at national scale is: the
    compiling took 0.3-0.9 s of CPU for a query that runs in 0.45 s without it. The
    app's statements are short or are aggregates read once and kept (results_cache),
    never long enough to repay the compiler."""
    if type(dbapi_connection).__module__.split(".")[0] != "psycopg":  # psycopg 3 (not psycopg2)
        return
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True  # a SET outside any transaction, kept for the connection's life
    dbapi_connection.execute("SET jit = off")
    dbapi_connection.autocommit = autocommit


# --- SQLite connection set-up -------------------------------------------------

#: True while the current unit of work intends to write. On SQLite a writing
#: transaction starts with BEGIN IMMEDIATE so it queues for the write lock
#: instead of failing half-way; reads (GET requests) use a plain BEGIN.
sqlite_write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "sqlite_write_intent", default=True
)


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, connection_record):
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn):
    if conn.dialect.name != "sqlite":
        return
    conn.exec_driver_sql("BEGIN IMMEDIATE" if sqlite_write_intent.get() else "BEGIN")
