"""The cache is an optimisation: when Redis is down, a read is a miss and a write is dropped,
so pages keep working (slower) instead of failing with a 500. Logged at most once a minute
per process. `incr`/`decr` still raise — callers that count (portal/operations/ratelimit.py)
decide."""

import logging
import threading
import time
import uuid
from contextlib import contextmanager

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.core.signals import request_finished, request_started
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
OUTAGE = (RedisConnectionError, RedisTimeoutError, OSError)
_last_warning = 0.0


def _warn(operation: str, error: Exception):
    global _last_warning
    if time.monotonic() - _last_warning > 60:
        _last_warning = time.monotonic()
        logger.warning("cache unavailable (%s): %s", operation, error)


def _fail_safe(name: str, fallback):
    def method(self, *args, **kwargs):
        try:
            return getattr(super(FailSafeRedisCache, self), name)(*args, **kwargs)
        except OUTAGE as error:
            _warn(name, error)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    method.__name__ = name
    return method


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django makes a new redis-py client for every cache operation, and redis-py 5 builds its
    table of ~80 response callbacks in each: 0.3 ms of CPU per operation, 7 ms of a cold list
    page's two dozen. One client per connection pool is enough: the pool hands out connections
    (and Django's caches are per thread anyway)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailSafeRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    get = _fail_safe("get", lambda key, default=None, version=None: default)
    get_many = _fail_safe("get_many", {})
    has_key = _fail_safe("has_key", False)
    set = _fail_safe("set", None)
    set_many = _fail_safe("set_many", lambda data, *a, **k: list(data))
    add = _fail_safe("add", False)
    touch = _fail_safe("touch", False)
    delete = _fail_safe("delete", False)
    delete_many = _fail_safe("delete_many", None)
    clear = _fail_safe("clear", False)


# Small values that many parts of one page read (the index and names generations, the award
# levels' catalogue): read once per request — a cold list page read the names generation five
# times, each a round trip to Redis. Per thread (gunicorn's gthread workers serve one request
# per thread); outside a request (the worker, a shell) every read goes to the cache.
_read_in_request = threading.local()
# Keys nearly every page reads (registered by the apps that own them, `read_together`): the
# first get_once of a request reads them all in one round trip instead of one each.
_read_together: set = set()


def _request_started(**kwargs):
    _read_in_request.values, _read_in_request.started = None, True


def _request_finished(**kwargs):
    _read_in_request.values, _read_in_request.started = None, False


request_started.connect(_request_started, dispatch_uid="cache-read-once")
request_finished.connect(_request_finished, dispatch_uid="cache-read-once")


@contextmanager
def read_once_in():
    """A block outside a request read as a request is (get_once: each key at most once): a
    worker's bulk job asks the same small values for every row (a rebuild read the award
    levels' catalogue from the cache twice per case study: 0.4 ms a row)."""
    if getattr(_read_in_request, "started", False):
        yield  # in a request, or an outer block: its values
        return
    _request_started()
    try:
        yield
    finally:
        _request_finished()


def read_together(*keys) -> None:
    """Register keys that nearly every request reads with get_once: the request's first
    get_once reads them with it, in one round trip (cache.get_many)."""
    _read_together.update(keys)


def _values_of_request():
    """The values read in this request (None outside one), the registered keys read first."""
    values = getattr(_read_in_request, "values", None)
    if values is None and getattr(_read_in_request, "started", False):
        together = sorted(_read_together)
        values = _read_in_request.values = cache.get_many(together) if together else {}
    return values


def get_once(key, default=None):
    """cache.get(key), read at most once in a request (None, a miss, is read again)."""
    values = _values_of_request()
    if values is None:
        return cache.get(key, default)
    if values.get(key) is None:
        values[key] = cache.get(key)
    return default if values[key] is None else values[key]


def keep_once(key, value) -> None:
    """After a write of the key in this request: get_once gives this value for the rest of it."""
    values = _values_of_request()
    if values is not None:
        values[key] = value


def forget_once(key) -> None:
    """After a write of the key in this request: the next get_once reads it again."""
    values = getattr(_read_in_request, "values", None)
    if values:
        values.pop(key, None)


def token(key, unreachable=None) -> str:
    """A token kept in the cache under `key`, made when there is none, read once per request:
    what a cached thing's key names so that replacing the token (`new_token`) makes it old.
    With the cache unreachable: `unreachable`, or a new token on every call."""
    value = get_once(key)
    if value is None:
        cache.add(key, uuid.uuid4().hex, None)
        forget_once(key)
        value = get_once(key)
    if value is None:
        return uuid.uuid4().hex if unreachable is None else unreachable
    return value


def new_token(key) -> None:
    cache.set(key, uuid.uuid4().hex, None)
    forget_once(key)
