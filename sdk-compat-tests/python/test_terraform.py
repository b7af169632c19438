"""Terraform's AWS provider against Sluice: the example under terraform/ (which calls the queue-with-dlq module) is
applied, planned again with ``-detailed-exitcode`` (no drift: every attribute, the Policy JSON and both redrive
policies read back as the provider expects), changed in place (a visibility timeout and a tag), planned again and
destroyed, leaving no queue; a change made behind Terraform's back must show in the plan, so the test can see drift.
Once in the open auth mode and once in the sigv4 mode with a tenant's keys, each on its own packaged server; the two
run at the same time because the provider waits ~25 s after every create and policy change (six equal
GetQueueAttributes reads at least 5 s apart, whatever the server answers).

Needs ``terraform`` on PATH and a filesystem mirror of the hashicorp/aws provider: ``$SLUICE_TF_PLUGIN_DIR``, else
the first directory under /opt holding ``registry.terraform.io/hashicorp/aws``. Skipped, saying which is missing,
when either is absent; skipped when SLUICE_ENDPOINT names a running server (it needs its own two).
"""

import concurrent.futures
import contextlib
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

from sluice_server import REGION, REPO, aws_env, start_server

TENANT_ACCOUNT, TENANT_KEY, TENANT_SECRET = "111111111111", "AKIDTERRAFORM", "terraform/secret+1"
STEP_TIMEOUT_S = 600


def plugin_mirror():
    """The root of a filesystem mirror holding hashicorp/aws (the directory given to ``init -plugin-dir``)."""
    configured = os.environ.get("SLUICE_TF_PLUGIN_DIR")
    if configured:
        return Path(configured)
    for provider_dir in sorted(Path("/opt").glob("**/registry.terraform.io/hashicorp/aws")):
        return provider_dir.parents[2]
    return None


@pytest.fixture(scope="module")
def terraform_tools():
    if os.environ.get("SLUICE_ENDPOINT"):
        pytest.skip("needs its own servers (open and sigv4 auth modes)")
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("terraform is not on PATH: the Terraform test needs Terraform >= 1.5")
    mirror = plugin_mirror()
    if mirror is None or not mirror.is_dir():
        pytest.skip("no filesystem mirror of the hashicorp/aws provider under /opt and SLUICE_TF_PLUGIN_DIR unset: "
                    "without registry access `terraform init` needs one")
    return terraform, mirror


class Lifecycle:
    """One run of the example against one server: each step is a terraform command, timed."""

    def __init__(self, terraform, mirror, workdir, endpoint, access_key, secret_key):
        self.terraform = terraform
        self.mirror = mirror
        self.example = workdir / "terraform" / "example"
        self.endpoint = endpoint
        self.keys = (access_key, secret_key)
        self.timings = {}
        shutil.copytree(REPO / "terraform", workdir / "terraform",
                        ignore=shutil.ignore_patterns(".terraform", "*.tfstate*", ".terraform.lock.hcl"))
        self.env = aws_env()
        self.env.update(TF_IN_AUTOMATION="1", TF_INPUT="0", CHECKPOINT_DISABLE="1",
                        TF_CLI_CONFIG_FILE=str(workdir / "terraformrc"))
        (workdir / "terraformrc").write_text("")

    def run(self, step, *args, ok_codes=(0,)):
        started = time.monotonic()
        proc = subprocess.run([self.terraform, *args], cwd=self.example, env=self.env, capture_output=True,
                              text=True, timeout=STEP_TIMEOUT_S)
        self.timings[step] = time.monotonic() - started
        if proc.returncode not in ok_codes:
            raise AssertionError(f"terraform {step} exited {proc.returncode}:\n{proc.stdout[-6000:]}\n"
                                 f"{proc.stderr[-4000:]}")
        return proc

    def variables(self, **extra):
        values = {"sluice_endpoint": self.endpoint, "access_key": self.keys[0], "secret_key": self.keys[1], **extra}
        return [f"-var={name}={value}" for name, value in values.items()]

    def no_drift(self, step, **extra):
        proc = self.run(step, "plan", "-no-color", "-detailed-exitcode", *self.variables(**extra), ok_codes=(0, 2))
        assert proc.returncode == 0, f"{step}: the plan after apply is not empty (drift):\n{proc.stdout[-6000:]}"

    def outputs(self):
        proc = self.run("output", "output", "-json")
        return {name: out["value"] for name, out in json.loads(proc.stdout).items()}


def sqs_client(endpoint, key, secret):
    return boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret, region_name=REGION).client(
        "sqs", endpoint_url=endpoint, config=Config(retries={"total_max_attempts": 1}))


def prove_lifecycle(lifecycle, account):
    """apply, no drift, an in-place change, no drift, destroy, no queue left; returns the step timings."""
    sqs = sqs_client(lifecycle.endpoint, *lifecycle.keys)
    base = f"{lifecycle.endpoint}/{account}"

    lifecycle.run("init", "init", "-no-color", f"-plugin-dir={lifecycle.mirror}")
    lifecycle.run("apply", "apply", "-no-color", "-auto-approve", *lifecycle.variables())

    out = lifecycle.outputs()
    names = ["dev-notifications", "dev-orders", "dev-orders-dlq", "dev-payments-dlq.fifo", "dev-payments.fifo"]
    assert out["queue_urls"] == [f"{base}/{name}" for name in names], "aws_sqs_queues data source"
    assert out["orders_from_data_source"] == {
        "arn": f"arn:aws:sqs:{REGION}:{account}:dev-orders",
        "url": f"{base}/dev-orders",
        "tags": {"env": "dev", "team": "shop", "owner": "terraform"},
    }, "aws_sqs_queue data source"

    orders = sqs.get_queue_attributes(QueueUrl=f"{base}/dev-orders", AttributeNames=["All"])["Attributes"]
    assert json.loads(orders["RedrivePolicy"]) == {
        "deadLetterTargetArn": f"arn:aws:sqs:{REGION}:{account}:dev-orders-dlq", "maxReceiveCount": 5}
    assert [s["Sid"] for s in json.loads(orders["Policy"])["Statement"]] == ["AccountSends", "TopicSends"]
    orders_dlq = sqs.get_queue_attributes(QueueUrl=f"{base}/dev-orders-dlq",
                                          AttributeNames=["RedriveAllowPolicy"])["Attributes"]
    assert json.loads(orders_dlq["RedriveAllowPolicy"]) == {
        "redrivePermission": "byQueue", "sourceQueueArns": [f"arn:aws:sqs:{REGION}:{account}:dev-orders"]}
    payments = sqs.get_queue_attributes(QueueUrl=f"{base}/dev-payments.fifo", AttributeNames=["All"])["Attributes"]
    assert {k: payments[k] for k in ("FifoQueue", "DeduplicationScope", "FifoThroughputLimit", "KmsMasterKeyId")} == {
        "FifoQueue": "true", "DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId",
        "KmsMasterKeyId": "alias/aws/sqs"}

    lifecycle.no_drift("plan")

    # An in-place change, with a change made behind Terraform's back to show that drift is seen (and undone).
    sqs.set_queue_attributes(QueueUrl=f"{base}/dev-notifications", Attributes={"VisibilityTimeout": "31"})
    changed = {"orders_visibility_timeout_seconds": 90, "team": "platform"}
    proc = lifecycle.run("apply change", "apply", "-no-color", "-auto-approve", *lifecycle.variables(**changed))
    assert "aws_sqs_queue.notifications will be updated in-place" in proc.stdout
    assert re.search(r"visibility_timeout_seconds\s+= 31 -> 30", proc.stdout), proc.stdout
    for name, expected in (("dev-orders", "90"), ("dev-notifications", "30")):
        attributes = sqs.get_queue_attributes(QueueUrl=f"{base}/{name}", AttributeNames=["VisibilityTimeout"])
        assert attributes["Attributes"]["VisibilityTimeout"] == expected, name
    assert sqs.list_queue_tags(QueueUrl=f"{base}/dev-payments.fifo")["Tags"]["team"] == "platform"
    lifecycle.no_drift("plan after change", **changed)

    lifecycle.run("destroy", "destroy", "-no-color", "-auto-approve", *lifecycle.variables(**changed))
    assert sqs.list_queues().get("QueueUrls", []) == []
    return lifecycle.timings


@pytest.fixture(scope="module")
def lifecycles(terraform_tools, tmp_path_factory):
    """Both lifecycles started at once, each on its own server; yields their futures by auth mode."""
    terraform, mirror = terraform_tools
    tenants = f"-Dsluice.tenants={TENANT_ACCOUNT}:{TENANT_KEY}:{TENANT_SECRET}"
    modes = {
        "open": ((), "test", "test", "000000000000"),
        "sigv4": (("-Dsluice.auth.mode=sigv4", tenants), TENANT_KEY, TENANT_SECRET, TENANT_ACCOUNT),
    }
    with contextlib.ExitStack() as stack, concurrent.futures.ThreadPoolExecutor(len(modes)) as pool:
        futures = {}
        for mode, (options, key, secret, account) in modes.items():
            tmp = tmp_path_factory.mktemp(f"terraform-{mode}")
            endpoint = stack.enter_context(start_server(tmp, *options))
            lifecycle = Lifecycle(terraform, mirror, tmp, endpoint, key, secret)
            futures[mode] = pool.submit(prove_lifecycle, lifecycle, account)
        yield futures
        concurrent.futures.wait(futures.values())


def report(mode, timings):
    print(f"\nterraform ({mode} auth mode): " + ", ".join(f"{step} {s:.0f} s" for step, s in timings.items()))


def test_open_mode_apply_no_drift_change_destroy(lifecycles, capsys):
    timings = lifecycles["open"].result()
    with capsys.disabled():
        report("open", timings)


def test_sigv4_mode_with_tenant_keys(lifecycles, capsys):
    timings = lifecycles["sigv4"].result()
    with capsys.disabled():
        report("sigv4", timings)
