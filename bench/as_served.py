"""Run the bench/measure.py of the current directory's checkout with its app made
as app.py makes it for gunicorn and the flask CLI: start-up objects frozen out of
the garbage collector's reach. bench/against.sh runs both sides through this, so
an older revision's measure.py (which did not freeze) is measured as it is served.

    python bench/as_served.py NAME      (from the checkout whose code is measured)
"""

from __future__ import annotations

import gc
import os
import sys

sys.path.insert(0, os.path.join(os.getcwd(), "bench"))
sys.path.insert(0, os.getcwd())

import measure  # the checkout's own, found through the path set above

made = measure.app_context


def app_context():
    app, context = made()
    if not gc.get_freeze_count():  # this checkout's measure.py freezes already; older ones did not
        gc.collect()
        gc.freeze()
    return app, context


measure.app_context = app_context

if __name__ == "__main__":
    measure.main(sys.argv[1])
