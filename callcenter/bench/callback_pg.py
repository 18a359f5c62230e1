"""A throwaway PostgreSQL for the callback benchmark: a new cluster, or a new database on --db's.

A new cluster is made with the server's own tools (Debian's postgresql package) in a temporary
folder, on 127.0.0.1 and a free port, and removed afterwards. Unlike the test suite's cluster it
keeps PostgreSQL's durable defaults (fsync, synchronous commit), so a claim's commit costs what
it costs on a real server.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from callcenter.bootstrap import Database


def find_pg_bin() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@contextmanager
def throwaway_cluster() -> Iterator[str]:
    """The URL of a superuser on a new cluster, stopped and deleted on exit."""
    bin_dir = find_pg_bin()
    if bin_dir is None:
        raise FileNotFoundError("initdb not found: install PostgreSQL or pass --db")
    root = Path(tempfile.mkdtemp(prefix="callcenter-bench-pg-"))
    root.chmod(0o755)
    password = secrets.token_hex(16)
    port = _free_port()
    as_root = os.geteuid() == 0

    def run(*args: str) -> None:
        command = [str(bin_dir / args[0]), *args[1:]]
        if as_root:
            # initdb refuses to run as root.
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True)

    data = root / "data"
    try:
        pwfile = root / "pw"
        pwfile.write_text(password)
        if as_root:
            shutil.chown(root, "postgres")
            shutil.chown(pwfile, "postgres")
        run(
            "initdb", "-D", str(data), "-U", "postgres", "--pwfile", str(pwfile),
            "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        run(
            "pg_ctl", "-D", str(data), "-l", str(root / "server.log"), "-w", "-t", "30", "start",
            "-o", f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c max_connections=100",
        )  # fmt: skip
        try:
            yield f"postgresql+psycopg://postgres:{password}@127.0.0.1:{port}/postgres"
        finally:
            run("pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def throwaway_database(server_url: str | URL) -> Iterator[str]:
    """A new, empty database on the server of `server_url` (its user needs CREATEDB)."""
    url = make_url(server_url)
    name = f"callcenter_bench_claims_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}"))
        try:
            yield url.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    finally:
        admin.dispose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def on_both_backends(
    database: Database, prefix: str, measure: Callable[[str], dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """`measure(url)` on a scratch SQLite file, then on a scratch PostgreSQL database (on the
    --db server when it is PostgreSQL, else on a throwaway cluster): {"sqlite": figures,
    "postgresql": figures, or {"skipped": why} when PostgreSQL is not installed}."""
    by_kind: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        by_kind["sqlite"] = measure(f"sqlite:///{Path(folder) / 'bench.db'}")
    scratch = (
        throwaway_database(database.url)
        if database.backend == "postgresql"
        else throwaway_cluster()
    )
    try:
        with scratch as url:
            by_kind["postgresql"] = measure(url)
    except FileNotFoundError as exc:
        by_kind["postgresql"] = {"skipped": str(exc)}
    return by_kind
