"""Rendered list and report pages kept per worker until the data changes.

A list or report page's own content (its ``title``, ``content`` and other
blocks) is the same for everyone who asks the same question with the same
view of the data, until any recorded change: so it is rendered once and
kept, keyed on

- the template and the request's path and query string,
- the viewer's *scope* — role, authority (client users) and staff member
  (consultants) — which is all that decides what a list shows,
- the data stamp (``results_cache.data_stamp``: moves on every audited
  change) and today's date.

Only the page's own blocks are kept; ``base.html`` (navigation, who is
signed in, flash messages, the sign-out form) is rendered on every request.
CSRF tokens are per session: a kept block holds a placeholder that each
request fills with its own token. Flask's view stays the glue: access
checks run before, and ``build`` (the queries) runs only on a miss.
Off when REPORT_CACHE_SECONDS is 0 (as in tests unless a test turns it on).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response, current_app, render_template, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from jinja2 import ChoiceLoader, DictLoader, Environment, Template, nodes
from markupsafe import Markup

from tracker import results_cache
from tracker.cache_scope import Scope
from tracker.extensions import db

_PLACEHOLDER = "\x00csrf\x00"
_SEPARATOR = "\x01"
BASE = "base.html"
_shells: dict[tuple[str, ...], Template] = {}


def viewer_scope() -> tuple:
    """What decides which rows a list shows the signed-in user."""
    if not current_user.is_authenticated:
        return ("anonymous",)
    return (current_user.role.value, current_user.authority_id, current_user.staff_id)


def _capture_env(app: Flask) -> tuple[Environment, tuple[str, ...]]:
    """An overlay of the app's templates where base.html only lists its blocks,
    separated: rendering a page there gives the page's own blocks (its macros,
    imports and top-level sets run as usual) without the frame."""
    kept = app.extensions.get("page_cache")
    if kept is None:
        env = app.jinja_env
        source = env.loader.get_source(env, BASE)[0]
        names = tuple(block.name for block in env.parse(source).find_all(nodes.Block))
        capture = "".join("{% block " + name + " %}{% endblock %}" + _SEPARATOR for name in names)
        overlay = env.overlay(loader=ChoiceLoader([DictLoader({BASE: capture}), env.loader]))
        kept = app.extensions["page_cache"] = (overlay, names)
    return kept


def _shell(names: tuple[str, ...]) -> Template:
    """``{% extends "base.html" %}`` with each block filled from kept text."""
    shell = _shells.get(names)
    if shell is None:
        source = "{% extends " + repr(BASE) + " %}" + "".join(
            "{% block " + name + " %}{{ __kept[" + repr(name) + "] }}{% endblock %}" for name in names)
        shell = _shells[names] = current_app.jinja_env.from_string(source)
    return shell


def _render_blocks(template_name: str, context: dict) -> dict[str, str] | None:
    """The page's own blocks as text (CSRF tokens replaced by the placeholder);
    None for a page that does not extend base.html."""
    env, names = _capture_env(current_app)
    variables = dict(context)
    current_app.update_template_context(variables)
    text = env.get_template(template_name).render(variables)
    parts = text.split(_SEPARATOR)
    if len(parts) != len(names) + 1:
        return None
    token = generate_csrf()
    return {name: part.replace(token, _PLACEHOLDER) for name, part in zip(names, parts, strict=False)}


def cached_page(template_name: str, build: Callable[[], dict], scope: Scope | None = None):
    """render_template(template_name, **build()), with the page's blocks kept per scope and data stamp.
    ``build`` may put the answer's status under "status" (default 200), and what the page shows under
    "cache_scope" (tracker/cache_scope.py: a list's engagements, known once it is read); without a
    scope, any recorded change makes the page old."""
    if not results_cache.enabled() or request.method != "GET":
        context = build()
        return render_template(template_name, **context), context.get("status", 200)
    key = (template_name, request.full_path, viewer_scope())
    context: dict = {}

    def render() -> tuple[dict[str, str] | None, int]:
        context.update(build())
        return _render_blocks(template_name, context), context.get("status", 200)

    blocks, status = results_cache.cached(db.session, "page", key, render,
                                          scope=lambda: context.get("cache_scope", scope))
    if blocks is None:
        context = context or build()
        return render_template(template_name, **context), status
    token = generate_csrf()
    # The blocks are the autoescaped output of the page template; the token is URL-safe text.
    kept = {name: Markup(text.replace(_PLACEHOLDER, token)) for name, text in blocks.items()}  # noqa: S704
    return render_template(_shell(tuple(blocks)), __kept=kept), status


def cached_json(build: Callable[[], dict], scope: Scope | Callable[[dict], Scope] | None = None) -> Response | dict:
    """An API list's JSON body, kept like a page: per path and query, viewer scope and data stamp.
    ``scope`` may be a function of the answer (a list's engagements)."""
    if not results_cache.enabled() or request.method != "GET":
        return build()
    key = (request.full_path, viewer_scope())
    answer: dict = {}

    def body() -> bytes:
        answer["json"] = build()
        return current_app.json.response(answer["json"]).get_data()

    kept = results_cache.cached(db.session, "api", key, body,
                                scope=lambda: scope(answer["json"]) if callable(scope) else scope)
    return Response(kept, mimetype="application/json")
