"""The k8s/ dev overlay, rendered by ``kubectl kustomize`` and run by ``podman kube play`` with the image the suite
builds (podman_image.py); driven with boto3.

podman plays what the overlay holds: the Deployment (one pod, its securityContext, resources and read-only root), the
ConfigMap (the pod's environment) and the PersistentVolumeClaim (a podman named volume on /data). After a queue round
trip the pod is stopped as Kubernetes stops it (SIGTERM, then the manifest's grace period), removed with ``podman kube
down`` and played again on the same volume: the queue and a message nobody received are still there.

The rendered YAML is changed only where podman 4.3 (Debian 12's) needs it, in ``playable``:

- kube play has no ``--publish``: the container port gets a ``hostPort`` on 127.0.0.1 (in a cluster the Service
  reaches the pod; the overlay has no hostPort).
- pods and volumes are named after the Deployment, the claim and the pod's volumes (an ``emptyDir`` becomes a volume
  named like it, ``tmp``): they get a suffix of this run's, as other runs on the machine may play at the same time.
- the image gets a tag of this run's, so a build running meanwhile cannot retag ``localhost/sluice:latest`` under it.

And where podman 4.3 falls short of Kubernetes, the test does the kubelet's part:

- ``kube down`` stops pods with a 0 s timeout (SIGKILL), and kube play ignores ``terminationGracePeriodSeconds``
  (its stop timeout stays 10 s): the test first stops the pod with the manifest's grace period.
- kube play refuses a PersistentVolumeClaim whose volume exists (podman 4.4 reuses it): the second play leaves the
  claim out, and the Deployment's ``claimName`` finds the volume.
- the liveness probe becomes a health check running curl (not in the image) on port 0 (4.3 does not resolve the named
  port ``http``), and without systemd nothing runs it: the test waits for ``/q/health/ready`` itself.

Needs what the image test needs, plus kubectl; skipped, saying why, without podman or kubectl or with
``SLUICE_SKIP_CONTAINER_TEST=1``.
"""

import copy
import shutil
import subprocess
import time
import uuid

import pytest
import yaml

from podman_image import REPO, SKIPPED, logs, podman, record, sqs_client, wait_for
from sluice_server import free_port, isolated_aws_environ

DEV_OVERLAY = REPO / "k8s" / "overlays" / "dev"

pytestmark = [
    pytest.mark.skipif(SKIPPED, reason="SLUICE_SKIP_CONTAINER_TEST=1"),
    pytest.mark.skipif(shutil.which("podman") is None, reason="podman is not installed: no kube play of k8s/"),
    pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed: k8s/ is not rendered"),
]


def rendered(overlay):
    """The overlay as ``kubectl kustomize`` renders it, one dict per resource."""
    result = subprocess.run(["kubectl", "kustomize", str(overlay)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return list(yaml.safe_load_all(result.stdout))


def playable(resources, run, image, host_port):
    """The rendered overlay as podman 4.3 plays it on this machine (module docstring): its Deployment's pod
    published on 127.0.0.1:``host_port``, the names suffixed with ``run``, the image ``image``."""
    for resource in resources:
        if resource["kind"] == "PersistentVolumeClaim":
            resource["metadata"]["name"] += f"-{run}"
        if resource["kind"] != "Deployment":
            continue
        resource["metadata"]["name"] += f"-{run}"
        pod = resource["spec"]["template"]["spec"]
        [container] = pod["containers"]
        container["image"] = image
        for port in container["ports"]:
            port.update(hostIP="127.0.0.1", hostPort=host_port)
        for volume in pod["volumes"]:
            if "persistentVolumeClaim" in volume:
                volume["persistentVolumeClaim"]["claimName"] += f"-{run}"
            if "emptyDir" in volume:
                for mount in container["volumeMounts"]:
                    if mount["name"] == volume["name"]:
                        mount["name"] += f"-{run}"
                volume["name"] += f"-{run}"
    return resources


def one(resources, kind):
    [resource] = [r for r in resources if r["kind"] == kind]
    return resource


class KubePlay:
    """The dev overlay played by podman, and everything podman made for it, removed at the end."""

    def __init__(self, image, work):
        self.run = uuid.uuid4().hex[:10]
        self.image = f"localhost/sluice:kube-{self.run}"
        self.overlay = rendered(DEV_OVERLAY)
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        podman("tag", image, self.image)
        resources = playable(copy.deepcopy(self.overlay), self.run, self.image, self.port)
        deployment = one(resources, "Deployment")
        self.pod = f"{deployment['metadata']['name']}-pod-0"  # podman's name for a Deployment's first pod
        self.container = f"{self.pod}-{deployment['spec']['template']['spec']['containers'][0]['name']}"
        self.claim = one(resources, "PersistentVolumeClaim")["metadata"]["name"]
        self.volumes = [self.claim] + [v["name"] for v in deployment["spec"]["template"]["spec"]["volumes"]
                                       if "emptyDir" in v]
        self.grace_seconds = deployment["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
        self.first = work / "play.yaml"
        self.first.write_text(yaml.safe_dump_all(resources))
        self.again = work / "play-again.yaml"
        self.again.write_text(yaml.safe_dump_all([r for r in resources if r["kind"] != "PersistentVolumeClaim"]))

    def play(self, file):
        podman("kube", "play", str(file), timeout=120)
        wait_for(self.endpoint, self.container)

    def stop_as_kubernetes_does(self):
        """SIGTERM, SIGKILL after the manifest's grace period; the seconds it took."""
        began = time.monotonic()
        podman("pod", "stop", "-t", str(self.grace_seconds), self.pod, timeout=self.grace_seconds + 30)
        return time.monotonic() - began

    def down(self):
        podman("kube", "down", str(self.first))

    def remove(self):
        podman("kube", "down", str(self.first), check=False)
        podman("pod", "rm", "-f", "-t", "0", self.pod, check=False)
        for volume in self.volumes:
            podman("volume", "rm", "-f", volume, check=False)
        podman("untag", self.image, self.image, check=False)


@pytest.fixture
def kube(image, tmp_path):
    played = KubePlay(image, tmp_path)
    yield played
    played.remove()


def test_the_dev_overlay_serves_sqs_and_keeps_its_queue_across_a_redeploy(image, kube):
    began = time.monotonic()
    assert one(kube.overlay, "Deployment")["spec"]["template"]["spec"]["containers"][0]["image"] == image, \
        "the overlay runs the image the build makes"

    kube.play(kube.first)
    record("podman kube play (dev overlay) to ready", f"{time.monotonic() - began:.1f} s")
    assert podman("volume", "exists", kube.claim, check=False).returncode == 0, "the claim is a named volume"
    pod = one(kube.overlay, "Deployment")["spec"]["template"]["spec"]
    memory = pod["containers"][0]["resources"]["limits"]["memory"]
    said = [f"{pod['securityContext']['runAsUser']}:{pod['securityContext']['runAsGroup']}",
            str(pod["containers"][0]["securityContext"]["readOnlyRootFilesystem"]).lower(),
            str(int(memory[:-2]) << {"Mi": 20, "Gi": 30}[memory[-2:]])]
    applied = podman("inspect", kube.container, "--format",
                     "{{.Config.User}} {{.HostConfig.ReadonlyRootfs}} {{.HostConfig.Memory}}").stdout.split()
    assert applied == said, "the pod runs as the overlay says: user, read-only root, memory limit"
    with isolated_aws_environ():
        sqs = sqs_client(kube.endpoint)
        url = sqs.create_queue(QueueName="orders", Attributes={"VisibilityTimeout": "40"})["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="handled")
        [handled] = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=5)["Messages"]
        assert handled["Body"] == "handled"
        sqs.delete_message(QueueUrl=url, ReceiptHandle=handled["ReceiptHandle"])
        sqs.send_message(QueueUrl=url, MessageBody="for the next pod")

        stop_seconds = kube.stop_as_kubernetes_does()
        assert podman("inspect", kube.container, "--format", "{{.State.ExitCode}}").stdout.strip() == "0"
        assert "Sluice store closed" in logs(kube.container)
        record("pod stop (grace period of the manifest)", f"{stop_seconds:.1f} s (exit status 0)")
        kube.down()
        assert podman("pod", "exists", kube.pod, check=False).returncode == 1, "kube down removed the pod"
        assert podman("volume", "exists", kube.claim, check=False).returncode == 0, "and kept the claim's volume"

        kube.play(kube.again)
        sqs = sqs_client(kube.endpoint)
        assert sqs.get_queue_url(QueueName="orders")["QueueUrl"] == url
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        assert attributes["VisibilityTimeout"] == "40"
        assert attributes["ApproximateNumberOfMessages"] == "1"
        [kept] = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=5)["Messages"]
        assert kept["Body"] == "for the next pod"
    record("kube play test (play, round trip, stop, down, play again)", f"{time.monotonic() - began:.1f} s")
