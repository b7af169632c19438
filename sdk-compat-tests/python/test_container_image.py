"""The container image, built from the repository's Dockerfile and run with podman; driven with boto3.

No Docker engine and no registry are needed: the base image is Debian bookworm made with debootstrap plus a jlink'd
runtime of the build JDK (``sdk-compat-tests/container/base-image``, cached under ``$SLUICE_CONTAINER_CACHE``, default
``~/.cache/sluice/container-base``, per JDK version), passed to ``podman build --build-arg BASE=...``. The image itself
is built from the real Dockerfile on every run and tagged ``sluice:<version>`` and ``sluice:latest``. podman runs with
``CONTAINERS_CONF=sdk-compat-tests/container/containers.conf`` (runc, ulimits this host allows) and builds with
``--isolation chroot``. Needs root, podman, runc and debootstrap (``.ci/run`` installs them); set
``SLUICE_SKIP_CONTAINER_TEST=1`` to skip on a machine without them.

The figures the README and the closing notes quote (image size, ``podman run`` to first answer, stop with an open long
poll) are printed at the end of the pytest run and written to ``sdk-compat-tests/target/container-figures.txt``.
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import boto3
import pytest
import yaml
from botocore.config import Config
from botocore.exceptions import ClientError

from sluice_server import REGION, free_port, isolated_aws_environ, wait_ready

REPO = Path(__file__).resolve().parents[2]
CONTAINER_DIR = REPO / "sdk-compat-tests" / "container"
FIGURES = REPO / "sdk-compat-tests" / "target" / "container-figures.txt"
JAVA_HOME = os.environ.get("JAVA_HOME") or "/usr/lib/jvm/temurin-25-jdk-amd64"
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))

pytestmark = pytest.mark.skipif(os.environ.get("SLUICE_SKIP_CONTAINER_TEST") == "1",
                                reason="SLUICE_SKIP_CONTAINER_TEST=1")

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


def podman(*args, check=True, timeout=300):
    result = subprocess.run(["podman", *args], capture_output=True, text=True, env=podman_env(), timeout=timeout)
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


def wait_for(endpoint, container, timeout=120):
    """Waits until the container's server is ready; fails with its log if the container ends first."""
    def ended():
        state = podman("inspect", container, "--format", "{{.State.Status}}", check=False).stdout.strip()
        if state in ("running", "created", "configured"):
            return None
        return f"container {container} is {state}; log:\n{logs(container)}"

    wait_ready(endpoint, ended, lambda: f"log:\n{logs(container)}", timeout=timeout, pause=0.05)


def logs(container):
    result = podman("logs", container, check=False)
    return result.stdout + result.stderr


class Containers:
    """Containers and volumes made by one test, removed at its end."""

    def __init__(self):
        self.names = []
        self.volumes = []

    def volume(self):
        name = f"sluice-test-{uuid.uuid4().hex[:10]}"
        podman("volume", "create", name)
        self.volumes.append(name)
        return name

    def run(self, image, *options, args=()):
        """podman run -d with a read-only root file system and a writable /tmp (as Kubernetes gives it)."""
        name = f"sluice-test-{uuid.uuid4().hex[:10]}"
        self.names.append(name)
        podman("run", "-d", "--name", name, "--read-only", "--read-only-tmpfs=false",
               "--tmpfs", "/tmp:rw,mode=1777,size=64m", "--health-interval=disable", *options, image, *args)
        return name

    def remove(self):
        for name in self.names:
            podman("rm", "-f", "-t", "0", name, check=False)
        for volume in self.volumes:
            podman("volume", "rm", "-f", volume, check=False)


@pytest.fixture
def containers():
    made = Containers()
    yield made
    made.remove()


@pytest.fixture(scope="module")
def image():
    """Builds the image from the repository's Dockerfile on the local base image; yields its name."""
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


def test_image_declares_user_port_volume_and_labels(image):
    config = json.loads(podman("image", "inspect", image).stdout)[0]["Config"]
    version = project_version()

    assert config["User"] == "10001:10001"
    assert "9324/tcp" in config["ExposedPorts"]
    assert "/data" in config["Volumes"]
    env = dict(item.split("=", 1) for item in config["Env"])
    assert env["SLUICE_DATA_DIR"] == "/data"
    assert "-XX:MaxRAMPercentage=75" in env["SLUICE_JAVA_OPTS"]
    assert config["Labels"]["org.opencontainers.image.version"] == version
    assert config["Labels"]["org.opencontainers.image.licenses"] == "Apache-2.0"
    tags = podman("image", "inspect", f"localhost/sluice:{version}", "--format", "{{.Id}}").stdout
    assert tags == podman("image", "inspect", image, "--format", "{{.Id}}").stdout
    answer = podman("run", "--rm", image, "--version")
    assert answer.stdout.strip() == f"sluice {version}"


def test_sdk_round_trip_graceful_stop_and_restart_on_a_named_volume(image, containers):
    volume = containers.volume()
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    first = containers.run(image, "-p", f"127.0.0.1:{port}:9324", "-v", f"{volume}:/data")
    wait_for(endpoint, first)
    with isolated_aws_environ():
        sqs = sqs_client(endpoint)
        sqs.list_queues()
        record("podman run to first answer", f"{time.monotonic() - started:.1f} s")

        jobs = sqs.create_queue(QueueName="jobs", Attributes={"VisibilityTimeout": "45"})["QueueUrl"]
        idle = sqs.create_queue(QueueName="idle")["QueueUrl"]
        sqs.send_message(QueueUrl=jobs, MessageBody="taken, not deleted")
        taken = sqs.receive_message(QueueUrl=jobs, VisibilityTimeout=600)["Messages"]
        assert [m["Body"] for m in taken] == ["taken, not deleted"]
        sqs.send_message(QueueUrl=jobs, MessageBody="waiting")

        poll = {}

        def long_poll():
            began = time.monotonic()
            reply = sqs_client(endpoint).receive_message(QueueUrl=idle, WaitTimeSeconds=20)
            poll.update(reply=reply, seconds=time.monotonic() - began)

        poller = threading.Thread(target=long_poll)
        poller.start()
        time.sleep(1.5)
        stop_began = time.monotonic()
        podman("stop", "-t", "30", first)
        stop_seconds = time.monotonic() - stop_began
        poller.join(30)

        assert poll["reply"]["ResponseMetadata"]["HTTPStatusCode"] == 200
        assert "Messages" not in poll["reply"], "the stop answers an open long poll with no messages"
        assert poll["seconds"] < 10, "the poll was answered by the stop, not at the end of its 20 s"
        assert podman("inspect", first, "--format", "{{.State.ExitCode}}").stdout.strip() == "0"
        assert stop_seconds < 25
        record("podman stop with an open long poll", f"{stop_seconds:.1f} s (exit status 0)")
        log = logs(first)
        assert "Sluice stopping: answered 1 open long poll(s)" in log
        assert "Sluice store closed" in log
        assert "Exception" not in log and "\tat " not in log

        listing = podman("run", "--rm", "-v", f"{volume}:/data", "--entrypoint", "sh", image, "-c",
                         'stat -c "%a %u:%g %n" /data /data/*').stdout.splitlines()
        assert listing[0] == "700 10001:10001 /data"
        assert all(line.startswith("600 10001:10001 /data/") for line in listing[1:]) and len(listing) > 1, listing

        second = containers.run(image, "-p", f"127.0.0.1:{port}:9324", "-v", f"{volume}:/data")
        wait_for(endpoint, second)
        sqs = sqs_client(endpoint)
        assert sqs.get_queue_url(QueueName="jobs")["QueueUrl"] == jobs
        counts = sqs.get_queue_attributes(QueueUrl=jobs, AttributeNames=["All"])["Attributes"]
        assert counts["VisibilityTimeout"] == "45"
        assert counts["ApproximateNumberOfMessages"] == "1"
        assert counts["ApproximateNumberOfMessagesNotVisible"] == "1", "the unacknowledged message is still in flight"
        assert [m["Body"] for m in sqs.receive_message(QueueUrl=jobs)["Messages"]] == ["waiting"]


def test_a_data_directory_the_user_cannot_read_stops_the_start_in_one_line(image, containers):
    with tempfile.TemporaryDirectory(prefix="sluice-unreadable-") as host_dir:
        os.chmod(host_dir, 0o700)  # root's, and the image runs as 10001
        name = containers.run(image, "-v", f"{host_dir}:/data")
        status = podman("wait", name, timeout=120).stdout.strip()
        output = [line for line in logs(name).splitlines() if " INFO " not in line and "level=" not in line]

    assert status == "1"
    assert output == ["Sluice cannot start: the data directory /data is not readable and writable by this process"
                      " (user sluice); give it that user or choose another sluice.data-dir"]


def compose_service(name):
    compose = yaml.safe_load((REPO / "compose.yaml").read_text())
    return compose, compose["services"][name]


def compose_run_options(service, port, volume, with_env_file):
    """The podman run options that compose.yaml's service means, with its port on 127.0.0.1:port and its named
    volume replaced by a fresh one."""
    options = []
    for mapping in service["ports"]:
        published, target = mapping.split(":")
        assert target == "9324"
        options += ["-p", f"127.0.0.1:{port}:{target}"]
    for mount in service["volumes"]:
        source, target, *mode = mount.split(":")
        if source.startswith("./"):
            source = str(REPO / source)
            assert Path(source).is_file(), source
        else:
            source = volume
        options += ["-v", ":".join([source, target, *mode])]
    for key, value in service["environment"].items():
        options += ["-e", f"{key}={value}"]
    assert service["env_file"] == ["compose/sluice.env"]
    env_file = REPO / "compose" / "sluice.env"
    if with_env_file:
        # The file's commented examples, switched on.
        examples = [line[1:] for line in env_file.read_text().splitlines() if re.match(r"#[A-Z_]+=", line)]
        env_file = Path(tempfile.mkdtemp(prefix="sluice-env-")) / "sluice.env"
        env_file.write_text("\n".join(examples) + "\n")
    options += ["--env-file", str(env_file)]
    return options


def test_compose_file_matches_the_image_and_its_settings_take_effect(image, containers):
    compose, service = compose_service("sluice")
    config = json.loads(podman("image", "inspect", image).stdout)[0]["Config"]
    assert service["image"] == "sluice:latest" and service["build"] == "."
    assert [p.split(":")[1] for p in service["ports"]] == [p.split("/")[0] for p in config["ExposedPorts"]]
    named = [v for v in service["volumes"] if not v.startswith("./")]
    assert [v.split(":")[1] for v in named] == list(config["Volumes"])
    assert named[0].split(":")[0] in compose["volumes"]
    assert service["read_only"] is True and service["tmpfs"] == ["/tmp"]
    init_file = service["environment"]["SLUICE_INIT_FILE"]
    assert any(v.split(":")[1] == init_file for v in service["volumes"])
    prometheus = compose["services"]["prometheus"]
    assert prometheus["profiles"] == ["metrics"]
    scrape = yaml.safe_load((REPO / "compose" / "prometheus.yml").read_text())["scrape_configs"][0]
    assert scrape["metrics_path"] == "/q/metrics" and scrape["static_configs"][0]["targets"] == ["sluice:9324"]

    # As compose.yaml starts it: open mode, the queues of compose/queues.yaml, the image's health check.
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    name = containers.run(image, *compose_run_options(service, port, containers.volume(), with_env_file=False))
    wait_for(endpoint, name)
    assert podman("healthcheck", "run", name, check=False).returncode == 0
    with isolated_aws_environ():
        sqs = sqs_client(endpoint)
        orders = sqs.get_queue_url(QueueName="orders")["QueueUrl"]
        redrive = json.loads(sqs.get_queue_attributes(QueueUrl=orders, AttributeNames=["RedrivePolicy"])
                             ["Attributes"]["RedrivePolicy"])
        assert redrive == {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:000000000000:orders-dlq",
                           "maxReceiveCount": 5}
        assert sqs.get_queue_attributes(QueueUrl=sqs.get_queue_url(QueueName="events.fifo")["QueueUrl"],
                                        AttributeNames=["FifoQueue"])["Attributes"]["FifoQueue"] == "true"
        with OPENER.open(f"{endpoint}/q/metrics", timeout=5) as metrics:
            assert metrics.status == 200 and b"jvm_memory_used_bytes" in metrics.read()

        # With the example env file: sigv4 with its tenants, the admin API with its token, JSON log lines.
        podman("stop", "-t", "30", name)
        port = free_port()
        endpoint = f"http://127.0.0.1:{port}"
        name = containers.run(image, *compose_run_options(service, port, containers.volume(), with_env_file=True))
        wait_for(endpoint, name)
        team_a = sqs_client(endpoint, "AKIDTEAMA", "secret-of-team-a")
        url = team_a.create_queue(QueueName="team-a-jobs")["QueueUrl"]
        assert "/111111111111/team-a-jobs" in url
        with pytest.raises(ClientError) as refused:
            sqs_client(endpoint, "AKIDTEAMA", "wrong secret").list_queues()
        assert refused.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
        request = urllib.request.Request(f"{endpoint}/admin/tenants", headers={"Authorization": "Bearer change-me"})
        with OPENER.open(request, timeout=5) as response:
            accounts = [tenant["accountId"] for tenant in json.loads(response.read())]
        assert {"111111111111", "222222222222"} <= set(accounts)
        request_lines = [json.loads(line) for line in logs(name).splitlines()
                         if line.startswith("{") and '"dev.sluice.request"' in line]
        assert any(line["mdc"].get("action") == "CreateQueue" for line in request_lines)
