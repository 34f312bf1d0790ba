"""Invoicing: pages, `flask invoices`, and what billing adds to the features
below it. create_app calls init_app."""

from flask import Flask

from tracker.billing import checks, guards, mail_routes, specs
from tracker.billing.cli import invoices_cli
from tracker.billing.finance_routes import bp as finance_bp
from tracker.billing.routes import bp
from tracker.extension_points import extension_points


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(finance_bp)  # refunds, statements, the invoice logo
    app.register_blueprint(mail_routes.bp)  # "Send to client" (queues the PDF in the outbox)
    app.add_template_global(mail_routes.invoice_sends)  # the invoice page's "Sent to the client"
    app.cli.add_command(invoices_cli)
    points = extension_points(app)
    points.add_settings(*specs.SPECS)  # invoice prefixes, terms, remittance, ledger codes
    points.day_locks.append(guards.lock_reason)  # days on a draft or issued invoice cannot change
    points.error_translators.append(guards.translate_database_error)  # PostgreSQL trigger refusals -> 409
    points.integrity_checks.extend(checks.CHECKS)
    guards.install_orm_guard()  # issued invoices stay read-only, whatever the ORM code
