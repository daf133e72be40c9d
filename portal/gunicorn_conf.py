"""gunicorn settings shared by every way the portal is served (scripts/prod-up.sh, the
Dockerfile, docker-compose.yml): `gunicorn portal.wsgi:application -c python:portal.gunicorn_conf`.
Command-line options (--bind, --workers, logs) override these.

Each worker warms itself up after loading the application and before taking its first
request (portal.operations.warm_up). Not --preload: a `kill -HUP` reload (README, Operations)
would keep the master's old code, the master's database connection would be shared by every
fork, and the segmenter's trie is a tree of Python objects whose reference counts un-share
copy-on-write pages as soon as requests walk it."""

import os

worker_class = "gthread"
workers = int(os.environ.get("WEB_WORKERS", "3"))
threads = int(os.environ.get("WEB_THREADS", "4"))
timeout = 60
graceful_timeout = 20
# Longer than a client's pause between requests (and a load balancer's idle timeout); with
# gunicorn's 2 s default, idle connections were closed as clients reused them (connection
# resets under `make loadtest`).
keepalive = 75


def post_worker_init(worker):
    from portal.operations.warm_up import warm_up

    warm_up()


def pre_request(worker, req):
    """A body above the cap is refused by the portal before it is read (413,
    portal/operations/request_limits.py); mark the connection to close after that answer, or
    gunicorn
    would read and discard the whole body (500 MiB: ~10 s of a worker thread) to keep it
    alive for a next request."""
    from portal.operations.request_limits import too_big

    worker.log.debug("%s %s", req.method, req.path)
    length = next((value for name, value in req.headers if name == "CONTENT-LENGTH"), None)
    if too_big(req.path or "", length):
        req.must_close = True
