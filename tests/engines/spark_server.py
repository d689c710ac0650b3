"""A local Spark Connect server for the tests: loopback only, 2 cores, 1 GB driver memory.

CX_TEST_SPARK_URL (sc://host:port) uses a running server instead of starting one.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def spark_submit() -> Path:
    import pyspark  # from requirements-dev.txt

    return Path(pyspark.__file__).parent / "bin" / "spark-submit"


def start(workdir: Path) -> tuple[subprocess.Popen, str]:
    """Start the server; returns (process, sc:// URL) once it accepts connections."""
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise RuntimeError("no Java runtime: install one (apt-get install -y "
                           "openjdk-17-jre-headless) to run the Spark tests")
    port = free_port()
    log = (workdir / "spark-connect.log").open("w")
    cmd = [str(spark_submit()), "--class",
           "org.apache.spark.sql.connect.service.SparkConnectServer",
           "--master", "local[2]", "--driver-memory", "1g",
           "--conf", "spark.connect.grpc.binding.address=127.0.0.1",
           "--conf", f"spark.connect.grpc.binding.port={port}",
           "--conf", f"spark.sql.warehouse.dir={workdir / 'warehouse'}",
           "--conf", f"spark.driver.extraJavaOptions=-Dderby.system.home={workdir}",
           "--conf", "spark.sql.session.timeZone=UTC",
           "--conf", "spark.sql.shuffle.partitions=2",
           "--conf", "spark.ui.enabled=false",
           "spark-internal"]
    proc = subprocess.Popen(cmd, cwd=workdir, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the Spark Connect server exited: {tail(workdir)}")
        if "Spark Connect server started" in (workdir / "spark-connect.log").read_text():
            return proc, f"sc://127.0.0.1:{port}"
        time.sleep(1)
    stop(proc)
    raise RuntimeError(f"the Spark Connect server did not start in 180 s: {tail(workdir)}")


def tail(workdir: Path) -> str:
    return "\n".join((workdir / "spark-connect.log").read_text().splitlines()[-15:])


def stop(proc: subprocess.Popen) -> None:
    """Stop the server we started (its own process group), gently first."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
