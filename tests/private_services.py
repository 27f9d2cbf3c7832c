"""A private Redis, PostgreSQL cluster and Varnish for the tests that need one of their own.

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
VARNISHD = Path("/usr/sbin/varnishd")
VARNISH_VCL = Path(__file__).resolve().parents[1] / "deploy" / "varnish.vcl"


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


class PrivateVarnish:
    """varnishd with deploy/varnish.vcl in front of ``backend`` ("host:port").

    Started directly, not through Debian's service script (which cannot raise its limits
    here), in the foreground (-F) so that stop() ends it by its own pid; its working
    directory (-n: shared memory log, compiled VCL) and rendered VCL live in a temporary folder.
    """

    def __init__(self, backend, storage="malloc,64m"):
        self.host, self.backend_port = backend.rsplit(":", 1)
        self.port = free_port()
        self.storage = storage
        self.folder = Path(tempfile.mkdtemp(prefix="newsroom-varnish-"))
        # varnishd drops to its own user for the cache process, which must reach the workdir.
        self.folder.chmod(0o755)
        self.workdir = self.folder / "work"
        self.vcl = self.folder / "varnish.vcl"
        self.log = self.folder / "varnishd.log"
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def render_vcl(self):
        text = VARNISH_VCL.read_text().replace("@BACKEND_HOST@", self.host)
        self.vcl.write_text(text.replace("@BACKEND_PORT@", self.backend_port))
        return self.vcl

    def check_vcl(self):
        """Compile the rendered VCL (``varnishd -C``); CalledProcessError with its message if wrong."""
        return subprocess.run(
            [str(VARNISHD), "-C", "-f", str(self.render_vcl()), "-n", str(self.folder / "check")],
            check=True, capture_output=True, text=True,
        )  # fmt: skip

    def start(self):
        self.render_vcl()
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [str(VARNISHD), "-F", "-n", str(self.workdir), "-a", f"127.0.0.1:{self.port}",
                 "-f", str(self.vcl), "-s", self.storage, "-T", "none"],
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            wait_for_port(self.port, timeout=30)
        except TimeoutError:
            self.stop()
            raise RuntimeError(f"varnishd did not start: {self.log.read_text()}") from None

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def destroy(self):
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
