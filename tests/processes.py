"""Real processes for the tests that need them: a Celery worker, a private redis-server, a
private PostgreSQL cluster, gunicorn. Each runs on a free loopback port of its own, so a test
that stops or kills one never touches the machine's shared services."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing is listening on port {port} after {timeout}s")


def stop(process: subprocess.Popen, sig=signal.SIGTERM, timeout: float = 20.0) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if getattr(process, "log_file", None):
        process.log_file.close()


def children(pid: int) -> list[int]:
    """Direct child processes (a prefork worker's pool processes)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


# --- Redis --------------------------------------------------------------------------------------


def start_redis(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    wait_for_port(port, 10)
    return process


# --- Celery worker ------------------------------------------------------------------------------


@contextmanager
def celery_publishing_to(url: str):
    """Tasks this process sends go to `url` (not run in-process) until the block ends."""
    from kombu import pools

    from portal.celery import app

    saved = os.environ.get("CELERY_BROKER_URL"), app.conf.CELERY_TASK_ALWAYS_EAGER

    def switch(broker, eager):
        # Celery reads the CELERY_BROKER_URL variable before its own settings.
        if broker is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = broker
        app.conf.CELERY_BROKER_URL = broker or "memory://"
        app.conf.CELERY_TASK_ALWAYS_EAGER = eager
        # Forget pooled connections and producers of the previous broker (not app.close(),
        # which also unregisters the app that shared_task proxies resolve to).
        app._pool = None
        app.amqp._producer_pool = None
        pools.reset()

    switch(url, False)
    try:
        yield
    finally:
        switch(*saved)


def start_celery_worker(env: dict, log_path: Path, pool: str = "solo", name: str = "test"):
    """A `celery worker` with the given environment; returns once it says "ready."."""
    log = open(log_path, "w")  # noqa: SIM115 - closed by stop()
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", f"--pool={pool}",
         "--concurrency=1", "--loglevel=INFO", "--without-gossip", "--without-mingle",
         "--without-heartbeat", "-n", f"{name}@%h"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    worker.log_file = log
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if "ready." in log_path.read_text():
            return worker
        if worker.poll() is not None:
            raise RuntimeError(f"the Celery worker exited: see {log_path}")
        time.sleep(0.25)
    stop(worker, signal.SIGKILL)
    raise RuntimeError(f"the Celery worker did not start in 90s: see {log_path}")


def worker_env(database: dict, **extra) -> dict:
    """The environment of a worker (or web) process sharing the tests' PostgreSQL database."""
    env = dict(os.environ)
    user = database.get("USER") or "postgres"
    env["DATABASE_URL"] = (
        f"postgres://{user}@{database['HOST']}:{database['PORT'] or 5432}/{database['NAME']}"
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


# --- PostgreSQL ---------------------------------------------------------------------------------


def postgres_bin(name: str) -> str | None:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(found[-1]) if found else shutil.which(name)


class PostgresCluster:
    """A throwaway PostgreSQL cluster (initdb) on a free port, stopped and started at will."""

    def __init__(self):
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="lertrat-pg-"))
        self.data = self.directory / "data"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        # PostgreSQL refuses to run as root: as root, run it as the postgres user.
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_owner:
            shutil.chown(self.directory, "postgres")
        self._run(postgres_bin("initdb"), "-D", self.data, "-U", "postgres", "-A", "trust",
                  "--no-sync", "-E", "UTF8", "--locale=C")  # fmt: skip

    def _run(self, *args):
        subprocess.run(
            [*self.as_owner, *map(str, args)], check=True, capture_output=True, cwd=self.directory
        )

    def start(self):
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(postgres_bin("pg_ctl"), "-D", self.data, "-o", options, "-l",
                  self.directory / "log", "-w", "start")  # fmt: skip

    def stop(self):
        self._run(postgres_bin("pg_ctl"), "-D", self.data, "-m", "fast", "-w", "stop")

    def destroy(self):
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(self.directory, ignore_errors=True)
