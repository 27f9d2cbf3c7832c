"""A private Redis and a private PostgreSQL cluster for the fault tests.

Each runs on a free loopback port in a temporary folder, started and stopped by the test
itself (by its own process id / data folder): the machine's shared services are never touched.
PostgreSQL refuses to run as root, so its tools run as the ``postgres`` OS user.
"""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            sock.settimeout(0.2)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


class PrivateRedis:
    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class PrivatePostgres:
    """A throwaway PostgreSQL 15 cluster; ``run`` runs a tool as the postgres user."""

    def __init__(self):
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="newsroom-pg-"))
        self.data = self.folder / "data"
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)

    def run(self, tool, *args, check=True, **kwargs):
        command = [str(PG_BIN / tool), *map(str, args)]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, **kwargs)

    def url(self, name="newsroom"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def init(self):
        self.run("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                 "--no-sync", "--locale=C.UTF-8")  # fmt: skip
        self.start()

    def start(self):
        self.run("pg_ctl", "-D", self.data, "-l", self.folder / "log", "-w", "-t", "30",
                 "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                 "-c fsync=off -c full_page_writes=off", "start")  # fmt: skip

    def stop(self, mode="fast"):
        self.run("pg_ctl", "-D", self.data, "-m", mode, "-w", "stop", check=False)

    def createdb(self, name):
        self.run("createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", name)

    def copy_database(self, source_url, name):
        """Create ``name`` here as a copy (schema and committed rows) of ``source_url``."""
        self.createdb(name)
        dump = subprocess.run(
            ["pg_dump", "--no-owner", "--format=custom", source_url],
            check=True, capture_output=True,
        )  # fmt: skip
        subprocess.run(
            ["pg_restore", "--no-owner", "-d", self.url(name)],
            input=dump.stdout, check=True, capture_output=True,
        )  # fmt: skip

    def destroy(self):
        self.stop(mode="immediate")
        shutil.rmtree(self.folder, ignore_errors=True)
