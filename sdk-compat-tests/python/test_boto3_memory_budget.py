"""The memory budget (``sluice.memory.max-index``) as botocore sees it: a send to a full server is RequestThrottled
(403), which botocore retries in both its ``legacy`` mode (its SQS retry policy matches RequestThrottled with 403)
and its ``standard`` mode (RequestThrottled is one of its throttling codes), and a send succeeds again once messages
are deleted. The server runs with a budget of three messages' worth. Skipped when SLUICE_ENDPOINT names a running
server.
"""

import os

import boto3
import pytest
from botocore.config import Config

from sluice_server import REGION, isolated_aws_environ, start_server

# Each message without attributes is charged 640 bytes: three fit, the fourth send is refused.
BUDGET = "1920"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    if os.environ.get("SLUICE_ENDPOINT"):
        pytest.skip("needs its own server with a tiny memory budget")
    with start_server(tmp_path_factory.mktemp("sluice-budget"), f"-Dsluice.memory.max-index={BUDGET}") as base:
        yield base


def sqs(endpoint, **retries):
    with isolated_aws_environ():
        session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name=REGION)
        return session.client("sqs", endpoint_url=endpoint, config=Config(retries=retries))


@pytest.mark.parametrize("mode", ["legacy", "standard"])
def test_a_full_server_refuses_sends_with_request_throttled_which_botocore_retries(endpoint, mode):
    client = sqs(endpoint, mode=mode, total_max_attempts=3)
    url = client.create_queue(QueueName=f"budget-{mode}")["QueueUrl"]
    for i in range(3):
        client.send_message(QueueUrl=url, MessageBody=f"m{i}")
    with pytest.raises(client.exceptions.RequestThrottled) as refused:
        client.send_message(QueueUrl=url, MessageBody="one too many")
    error = refused.value.response
    assert error["Error"]["Code"] == "RequestThrottled"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert error["ResponseMetadata"]["RetryAttempts"] == 2, "botocore retried the refusal"
    assert "sluice.memory.max-index" in error["Error"]["Message"]

    received = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert sorted(m["Body"] for m in received) == ["m0", "m1", "m2"]
    for message in received:
        client.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    assert client.send_message(QueueUrl=url, MessageBody="room again")["MessageId"]
    client.delete_queue(QueueUrl=url)
