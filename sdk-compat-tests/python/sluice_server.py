"""What the boto3 test files share: starting and stopping the packaged Sluice server, and an AWS-free environment.

``start_server`` runs ``$SLUICE_JAR`` (default ``target/quarkus-app/quarkus-run.jar``) with the java binary
``$SLUICE_JAVA``, else ``$JAVA_HOME/bin/java``, else ``/usr/lib/jvm/temurin-25-jdk-amd64/bin/java``, on a free
127.0.0.1 port, waits for ``/q/health/ready`` (max 60 s) and stops it afterwards. Each test file adds its own
JVM options and decides what to do when ``SLUICE_ENDPOINT`` names a running server.
"""

import contextlib
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEFAULT_JAR = REPO / "target" / "quarkus-app" / "quarkus-run.jar"
DEFAULT_JAVA = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"
REGION = "us-east-1"


def aws_env():
    """Environment with every AWS_* variable replaced so no user config interferes."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        AWS_DEFAULT_REGION=REGION,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
        AWS_MAX_ATTEMPTS="1",
        AWS_RETRY_MODE="standard",
    )
    # never send 127.0.0.1 traffic through a proxy
    no_proxy = ",".join(filter(None, [env.get("NO_PROXY"), "127.0.0.1", "localhost"]))
    env["NO_PROXY"] = env["no_proxy"] = no_proxy
    return env


@contextlib.contextmanager
def isolated_aws_environ():
    """os.environ as aws_env() has it while the block runs: boto3 reads AWS_CONFIG_FILE, AWS_PROFILE, proxies ..."""
    with pytest.MonkeyPatch.context() as mp:
        for k in list(os.environ):
            if k.startswith("AWS_"):
                mp.delenv(k)
        for k, v in aws_env().items():
            mp.setenv(k, v)
        yield


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log_tail(path, lines=60):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError as e:
        return f"<no server log: {e}>"


def wait_ready(base, ended, details, timeout=60, pause=0.25):
    """Polls ``base``/q/health/ready until it answers 200. ``ended()`` returns why the server can no longer answer
    (then the test fails at once) or None; ``details()`` is added to a timeout's failure."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    while True:
        reason = ended()
        if reason:
            pytest.fail(reason, pytrace=False)
        try:
            with opener.open(f"{base}/q/health/ready", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"Sluice not ready within {timeout} s at {base}/q/health/ready; {details()}", pytrace=False)
        time.sleep(pause)


@contextlib.contextmanager
def start_server(tmp, *jvm_options):
    """Runs the packaged server with ``jvm_options``, data in ``tmp/data`` and its log in ``tmp/server.log``;
    yields its base URL once ready and stops it (SIGTERM, then SIGKILL after 15 s) when the block ends."""
    jar = Path(os.environ.get("SLUICE_JAR", DEFAULT_JAR))
    if not jar.is_file():
        pytest.fail(f"Sluice jar not found: {jar}. Build it with `./mvnw -B package -DskipTests` "
                    f"or set SLUICE_ENDPOINT to a running server.", pytrace=False)
    java = os.environ.get("SLUICE_JAVA") or (
        os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else DEFAULT_JAVA)
    if not (os.path.isfile(java) and os.access(java, os.X_OK)):
        pytest.fail(f"java binary not found or not executable: {java} (set SLUICE_JAVA)", pytrace=False)

    data_dir = tmp / "data"
    data_dir.mkdir()
    log_path = tmp / "server.log"
    port = free_port()
    cmd = [java, "-Dquarkus.http.host=127.0.0.1", f"-Dquarkus.http.port={port}",
           f"-Dsluice.data-dir={data_dir}", *jvm_options, "-jar", str(jar)]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                cwd=tmp)
    base = f"http://127.0.0.1:{port}"
    try:
        def ended():
            if proc.poll() is None:
                return None
            return f"Sluice exited early with code {proc.returncode}; log tail:\n{log_tail(log_path)}"

        wait_ready(base, ended, lambda: f"log tail:\n{log_tail(log_path)}", timeout=60, pause=0.25)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
