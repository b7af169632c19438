"""What the podman tests share: podman with this repository's settings, the image built from the real Dockerfile,
the boto3 client they drive it with, and the figures they measure.

No Docker engine and no registry are needed: the base image is Debian bookworm made with debootstrap plus a jlink'd
runtime of the build JDK (``sdk-compat-tests/container/base-image``, cached under ``$SLUICE_CONTAINER_CACHE``, default
``~/.cache/sluice/container-base``, per JDK version), passed to ``podman build --build-arg BASE=...``. The image
itself is built from the real Dockerfile once per pytest run (the ``image`` fixture in conftest.py) and tagged
``sluice:<version>`` and ``sluice:latest``. podman runs with
``CONTAINERS_CONF=sdk-compat-tests/container/containers.conf`` (runc, ulimits this host allows) and builds with
``--isolation chroot``. Needs root, podman, runc and debootstrap (``.ci/run`` installs them); set
``SLUICE_SKIP_CONTAINER_TEST=1`` to skip on a machine without them.

The figures (image size, start and stop times) are printed at the end of the pytest run and written to
``sdk-compat-tests/target/container-figures.txt``.
"""

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

from sluice_server import REGION, wait_ready

REPO = Path(__file__).resolve().parents[2]
CONTAINER_DIR = REPO / "sdk-compat-tests" / "container"
FIGURES = REPO / "sdk-compat-tests" / "target" / "container-figures.txt"
JAVA_HOME = os.environ.get("JAVA_HOME") or "/usr/lib/jvm/temurin-25-jdk-amd64"

SKIPPED = os.environ.get("SLUICE_SKIP_CONTAINER_TEST") == "1"

# Filled by the tests, printed by conftest.py at the end of the run.
figures = {}


def record(name, value):
    figures[name] = value
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    FIGURES.write_text("".join(f"{k}: {v}\n" for k, v in figures.items()))


def podman_env():
    env = dict(os.environ)
    env["CONTAINERS_CONF"] = str(CONTAINER_DIR / "containers.conf")
    return env


def podman(*args, check=True, timeout=300, stdin=None):
    result = subprocess.run(["podman", *args], capture_output=True, text=True, env=podman_env(), timeout=timeout,
                            input=stdin)
    if check and result.returncode != 0:
        pytest.fail(f"podman {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}",
                    pytrace=False)
    return result


def project_version():
    pom = (REPO / "pom.xml").read_text()
    return re.search(r"<artifactId>sluice</artifactId>\s*<version>([^<]+)</version>", pom).group(1)


def sqs_client(endpoint, key="test", secret="test"):
    return boto3.client("sqs", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=key,
                        aws_secret_access_key=secret,
                        config=Config(retries={"max_attempts": 1}, read_timeout=40, connect_timeout=5))


def logs(container):
    result = podman("logs", container, check=False)
    return result.stdout + result.stderr


def wait_for(endpoint, container, timeout=120, log=None):
    """Waits until the container's server is ready; fails with its log if the container ends first. ``log()`` gives
    the log to show, by default ``podman logs``."""
    log = log or (lambda: logs(container))

    def ended():
        state = podman("inspect", container, "--format", "{{.State.Status}}", check=False).stdout.strip()
        if state in ("running", "created", "configured"):
            return None
        return f"container {container} is {state or 'gone'}; log:\n{log()}"

    wait_ready(endpoint, ended, lambda: f"log:\n{log()}", timeout=timeout, pause=0.05)


def build_image():
    """Builds the image from the repository's Dockerfile on the local base image; returns its name."""
    missing = [tool for tool in ("podman", "runc", "debootstrap") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: apt-get install podman buildah runc debootstrap "
                    "(or set SLUICE_SKIP_CONTAINER_TEST=1)", pytrace=False)
    if os.geteuid() != 0:
        pytest.fail("the image test runs podman as root (or set SLUICE_SKIP_CONTAINER_TEST=1)", pytrace=False)
    if not (REPO / "target" / "quarkus-app" / "quarkus-run.jar").is_file():
        pytest.fail("target/quarkus-app is missing: ./mvnw -B package -DskipTests", pytrace=False)
    cache = os.environ.get("SLUICE_CONTAINER_CACHE") or str(Path.home() / ".cache" / "sluice" / "container-base")
    made = subprocess.run([str(CONTAINER_DIR / "base-image"), JAVA_HOME, cache], capture_output=True, text=True,
                          env=podman_env(), timeout=1200)
    if made.returncode != 0:
        pytest.fail(f"base image failed:\n{made.stderr}", pytrace=False)
    base = made.stdout.strip().splitlines()[-1]
    version = project_version()
    previous = podman("image", "inspect", "localhost/sluice:latest", "--format", "{{.Id}}", check=False).stdout.strip()
    started = time.monotonic()
    podman("build", "--isolation", "chroot", "--format", "docker", "--build-arg", f"BASE={base}",
           "--build-arg", f"VERSION={version}", "-t", f"sluice:{version}", "-t", "sluice:latest",
           "-f", str(REPO / "Dockerfile"), str(REPO), timeout=900)
    if previous and not podman("image", "inspect", previous, "--format", "{{.RepoTags}}",
                               check=False).stdout.strip("[] \n"):
        podman("rmi", previous, check=False)  # the last run's image, now without a tag
    record("image build (podman build, base cached)", f"{time.monotonic() - started:.1f} s")
    size = int(podman("image", "inspect", "localhost/sluice:latest", "--format", "{{.Size}}").stdout.strip())
    jdk = re.search(r"java\.runtime\.version = (\S+)", subprocess.run(
        [f"{JAVA_HOME}/bin/java", "-XshowSettings:properties", "-version"], capture_output=True, text=True).stderr)
    record("image size", f"{size / 1e6:.0f} MB (on Debian bookworm minbase + a jlink'd Temurin {jdk.group(1)})")
    return "localhost/sluice:latest"
