"""gunicorn settings for one app server behind nginx (deploy/README.md).

    gunicorn --config deploy/gunicorn.conf.py app:app

Read from the environment (tracker-web.service takes it from /etc/tracker/tracker.env):
TRACKER_BIND (default 127.0.0.1:8000; a second app server binds its private
address, reachable only from the nginx host) and WEB_CONCURRENCY (workers,
default 3). The app itself needs TRACKER_ENV=production, SECRET_KEY,
DATABASE_URL, PROXY_HOPS=1 and RATELIMIT_STORAGE_URI (shared Redis).
"""

import os

bind = os.environ.get("TRACKER_BIND", "127.0.0.1:8000")
# Synchronous workers: each page is short CPU work; nginx buffers slow clients.
# A worker peaks near 290 MB (README, Performance): size WEB_CONCURRENCY to memory.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "sync"
# A 100,000-row import takes up to 30 s and exports a few seconds; nginx waits 120 s too.
timeout = 120
graceful_timeout = 30
# Recycle workers now and then so memory cannot creep.
max_requests = 2000
max_requests_jitter = 200
proc_name = "tracker-web"

# Which proxy to trust is the app's setting alone (PROXY_HOPS, werkzeug's ProxyFix):
# gunicorn must not take the scheme from X-Forwarded-* headers itself, or a
# server that nginx reaches over loopback would behave unlike one it reaches
# over the network.
secure_scheme_headers = {}

# Logs to stdout/stderr, which systemd puts in the journal. The client address
# and scheme are what the app sees after trusting PROXY_HOPS proxies (werkzeug's
# ProxyFix rewrites them in the request environment), so the log shows the real
# client and https, not nginx's own address.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s %({wsgi.url_scheme}e)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
