"""Sluice in the sigv4 auth mode through boto3 and the AWS CLI (JSON 1.0): two tenants, bad credentials, isolation
and grants.

Starts its own packaged server (see sluice_server.py for the jar and java rules) with
``-Dsluice.auth.mode=sigv4`` and two declared tenants; skipped when SLUICE_ENDPOINT names a running server.
"""

import json
import os
import subprocess

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from sluice_server import REGION, aws_env, isolated_aws_environ, start_server

ACCOUNT_A, KEY_A, SECRET_A = "111111111111", "AKIDBOTOA", "boto-a/secret+1"
ACCOUNT_B, KEY_B, SECRET_B = "222222222222", "AKIDBOTOB", "boto-b-secret"


@pytest.fixture(scope="module")
def sigv4_endpoint(tmp_path_factory):
    if os.environ.get("SLUICE_ENDPOINT"):
        pytest.skip("needs its own server in the sigv4 auth mode")
    tenants = f"-Dsluice.tenants={ACCOUNT_A}:{KEY_A}:{SECRET_A},{ACCOUNT_B}:{KEY_B}:{SECRET_B}"
    with start_server(tmp_path_factory.mktemp("sluice-sigv4"), "-Dsluice.auth.mode=sigv4", tenants) as base:
        yield base


@pytest.fixture(scope="module")
def client_for(sigv4_endpoint):
    with isolated_aws_environ():
        def make(key, secret):
            session = boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret,
                                            region_name=REGION)
            return session.client("sqs", endpoint_url=sigv4_endpoint,
                                  config=Config(retries={"total_max_attempts": 1}))

        yield make


def error(call):
    with pytest.raises(ClientError) as excinfo:
        call()
    response = excinfo.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def test_keys_and_bad_credentials(client_for):
    a = client_for(KEY_A, SECRET_A)
    url = a.create_queue(QueueName="boto-keys")["QueueUrl"]
    assert url.endswith(f"/{ACCOUNT_A}/boto-keys")
    a.send_message(QueueUrl=url, MessageBody="hi")
    assert error(lambda: client_for(KEY_A, "wrong").list_queues()) == ("SignatureDoesNotMatch", 403)
    assert error(lambda: client_for("AKIDNOBODY", SECRET_A).list_queues()) == ("InvalidClientTokenId", 403)


def test_isolation_until_granted_then_only_send(client_for):
    a, b = client_for(KEY_A, SECRET_A), client_for(KEY_B, SECRET_B)
    url = a.create_queue(QueueName="boto-private")["QueueUrl"]
    denied = ("AccessDenied", 403)

    assert not [u for u in b.list_queues(QueueNamePrefix="boto-").get("QueueUrls", []) if ACCOUNT_A in u]
    assert error(lambda: b.send_message(QueueUrl=url, MessageBody="x")) == denied
    assert error(lambda: b.receive_message(QueueUrl=url)) == denied
    assert error(lambda: b.purge_queue(QueueUrl=url)) == denied
    assert error(lambda: b.delete_queue(QueueUrl=url)) == denied
    assert error(lambda: b.tag_queue(QueueUrl=url, Tags={"k": "v"})) == denied

    a.add_permission(QueueUrl=url, Label="b-sends", AWSAccountIds=[ACCOUNT_B], Actions=["SendMessage"])

    b.send_message(QueueUrl=url, MessageBody="from b")
    assert error(lambda: b.receive_message(QueueUrl=url)) == denied
    assert error(lambda: b.purge_queue(QueueUrl=url)) == denied
    assert error(lambda: b.tag_queue(QueueUrl=url, Tags={"k": "v"})) == denied
    assert [m["Body"] for m in a.receive_message(QueueUrl=url).get("Messages", [])] == ["from b"]


def cli(endpoint, key, secret, *args):
    env = aws_env()
    env.update(AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret)
    return subprocess.run(["aws", "--endpoint-url", endpoint, "--output", "json", "sqs", *args],
                          env=env, capture_output=True, text=True, timeout=60)


def test_aws_cli_signs_with_tenant_keys_and_is_confined(sigv4_endpoint):
    created = cli(sigv4_endpoint, KEY_A, SECRET_A, "create-queue", "--queue-name", "cli-tenant")
    assert created.returncode == 0, created.stderr
    url = json.loads(created.stdout)["QueueUrl"]
    assert url.endswith(f"/{ACCOUNT_A}/cli-tenant")
    sent = cli(sigv4_endpoint, KEY_A, SECRET_A, "send-message", "--queue-url", url, "--message-body", "hi")
    assert sent.returncode == 0, sent.stderr

    wrong_secret = cli(sigv4_endpoint, KEY_A, "wrong", "list-queues")
    assert wrong_secret.returncode != 0 and "SignatureDoesNotMatch" in wrong_secret.stderr
    unknown_key = cli(sigv4_endpoint, "AKIDNOBODY", SECRET_A, "list-queues")
    assert unknown_key.returncode != 0 and "InvalidClientTokenId" in unknown_key.stderr
    other_tenant = cli(sigv4_endpoint, KEY_B, SECRET_B, "receive-message", "--queue-url", url)
    assert other_tenant.returncode != 0 and "AccessDenied" in other_tenant.stderr

    received = cli(sigv4_endpoint, KEY_A, SECRET_A, "receive-message", "--queue-url", url)
    assert received.returncode == 0, received.stderr
    assert [m["Body"] for m in json.loads(received.stdout)["Messages"]] == ["hi"]
