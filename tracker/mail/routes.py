"""/admin/outbox: what was sent, what waits and why (admins only)."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from tracker.access import Role, roles
from tracker.database import utcnow
from tracker.errors import NotFound
from tracker.extensions import db
from tracker.mail import services as mail
from tracker.mail.models import MessageStatus, OutboxAttachment
from tracker.pagination import page_args, paginate

bp = Blueprint("mail", __name__, url_prefix="/admin/outbox")


@roles(Role.ADMIN)
@bp.get("/")
def outbox():
    status = request.args.get("status", "")
    if status not in {s.value for s in MessageStatus}:
        status = ""
    page, per_page = page_args(request.args)
    return render_template(
        "mail/outbox.html", page=paginate(db.session, mail.outbox(status or None), page, per_page),
        counts=mail.status_counts(db.session), status=status,
        statuses=[("", "Any"), *((s.value, s.label) for s in MessageStatus)],
    )


@roles(Role.ADMIN)
@bp.get("/<int:message_id>")
def show_message(message_id: int):
    return render_template("mail/message.html", message=mail.get_message(db.session, message_id))


@roles(Role.ADMIN)
@bp.get("/<int:message_id>/attachments/<int:attachment_id>")
def attachment(message_id: int, attachment_id: int):
    found = db.session.get(OutboxAttachment, attachment_id)
    if found is None or found.message_id != message_id:
        raise NotFound("No such attachment.")
    return Response(found.content, mimetype=found.content_type,
                    headers={"Content-Disposition": f'attachment; filename="{found.filename}"'})


@roles(Role.ADMIN)
@bp.post("/<int:message_id>/retry")
def retry(message_id: int):
    message = mail.retry_now(db.session, mail.get_message(db.session, message_id), utcnow())
    flash(f"Message {message.id} will be sent at the next run of flask mail send.", "success")
    return redirect(url_for("mail.show_message", message_id=message.id))

