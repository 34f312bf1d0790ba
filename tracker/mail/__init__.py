"""Mail: a transactional outbox, the SMTP worker and the admin's outbox pages.

Features queue messages with :func:`tracker.mail.services.queue` inside their
own transaction; ``flask mail send`` delivers them (tracker/mail/sender.py).
"""
