"""Regions through boto3 (JSON 1.0), the AWS CLI (query protocol off by default; JSON) and plain HTTP: the region a
client is configured with (its SigV4 credential scope, signed even with dummy keys) selects the region, as on AWS.

botocore with ``endpoint_url`` sends every request to that URL and signs it for the client's ``region_name``
(credential scope ``<key>/<date>/<region>/sqs/aws4_request``); it never takes the region or the host from a queue
URL. Starts its own packaged server (see sluice_server.py) in the open auth mode with the default region us-east-1;
skipped when SLUICE_ENDPOINT names a running server.
"""

import json
import os
import subprocess
import time
import urllib.parse
import urllib.request

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from sluice_server import aws_env, isolated_aws_environ, start_server

ACCOUNT = "000000000000"
NOT_FOUND = ("AWS.SimpleQueueService.NonExistentQueue", 400)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if os.environ.get("SLUICE_ENDPOINT"):
        pytest.skip("needs its own server")
    tmp = tmp_path_factory.mktemp("sluice-regions")
    with start_server(tmp, "-Dsluice.region=us-east-1") as base:
        yield base, tmp / "data"


def client(base, region):
    with isolated_aws_environ():
        session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name=region)
        return session.client("sqs", endpoint_url=base, config=Config(retries={"total_max_attempts": 1}))


def error(call):
    with pytest.raises(ClientError) as excinfo:
        call()
    response = excinfo.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def bodies(sqs, url):
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0).get("Messages", [])
    return sorted(m["Body"] for m in messages)


def arn(sqs, url):
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def test_the_same_name_in_two_regions_is_two_queues(server):
    base, _ = server
    us, eu = client(base, "us-east-1"), client(base, "eu-west-1")

    us_url = us.create_queue(QueueName="orders")["QueueUrl"]
    eu_url = eu.create_queue(QueueName="orders", Attributes={"VisibilityTimeout": "7"})["QueueUrl"]

    # The default region's URL is as it always was; another region's names it in the path.
    assert us_url == f"{base}/{ACCOUNT}/orders"
    assert eu_url == f"{base}/eu-west-1/{ACCOUNT}/orders"
    assert arn(us, us_url) == f"arn:aws:sqs:us-east-1:{ACCOUNT}:orders"
    assert arn(eu, eu_url) == f"arn:aws:sqs:eu-west-1:{ACCOUNT}:orders"
    assert eu.get_queue_attributes(QueueUrl=eu_url, AttributeNames=["VisibilityTimeout"])["Attributes"] == {
        "VisibilityTimeout": "7"}
    assert us.get_queue_attributes(QueueUrl=us_url, AttributeNames=["VisibilityTimeout"])["Attributes"] == {
        "VisibilityTimeout": "30"}

    us.send_message(QueueUrl=us_url, MessageBody="from virginia")
    eu.send_message(QueueUrl=eu_url, MessageBody="from ireland")
    assert bodies(us, us_url) == ["from virginia"]
    assert bodies(eu, eu_url) == ["from ireland"]

    assert us.get_queue_url(QueueName="orders")["QueueUrl"] == us_url
    assert eu.get_queue_url(QueueName="orders")["QueueUrl"] == eu_url
    assert eu_url in eu.list_queues(QueueNamePrefix="orders")["QueueUrls"]
    assert eu.list_queues(QueueNamePrefix="orders")["QueueUrls"] == [eu_url]
    assert us.list_queues(QueueNamePrefix="orders")["QueueUrls"] == [us_url]
    only_in_eu = eu.create_queue(QueueName="only-in-ireland")["QueueUrl"]
    assert error(lambda: us.get_queue_url(QueueName="only-in-ireland")) == NOT_FOUND

    # Deleting one leaves the other.
    eu.delete_queue(QueueUrl=only_in_eu)
    eu_tmp = eu.create_queue(QueueName="short-lived")["QueueUrl"]
    us_tmp = us.create_queue(QueueName="short-lived")["QueueUrl"]
    eu.delete_queue(QueueUrl=eu_tmp)
    assert us.get_queue_url(QueueName="short-lived")["QueueUrl"] == us_tmp


def test_a_url_of_another_region_names_no_queue_there(server):
    """AWS: the SDK does not take the region from the queue URL; a request sent to the wrong region gets
    QueueDoesNotExist (AWS knowledge center, "QueueDoesNotExist errors")."""
    base, _ = server
    us, eu = client(base, "us-east-1"), client(base, "eu-west-1")
    us_url = us.create_queue(QueueName="cross")["QueueUrl"]
    eu_url = eu.create_queue(QueueName="cross")["QueueUrl"]
    only_eu = eu.create_queue(QueueName="cross-eu-only")["QueueUrl"]

    assert error(lambda: us.send_message(QueueUrl=eu_url, MessageBody="wrong region")) == NOT_FOUND
    assert error(lambda: us.send_message(QueueUrl=only_eu, MessageBody="wrong region")) == NOT_FOUND
    assert error(lambda: eu.send_message(QueueUrl=us_url, MessageBody="wrong region")) == NOT_FOUND
    assert error(lambda: us.purge_queue(QueueUrl=eu_url)) == NOT_FOUND
    assert error(lambda: eu.delete_queue(QueueUrl=us_url)) == NOT_FOUND
    # Nothing was stored or deleted by the refused requests.
    assert bodies(us, us_url) == []
    assert bodies(eu, eu_url) == []
    assert us.get_queue_url(QueueName="cross")["QueueUrl"] == us_url


def test_unsigned_requests_follow_the_url(server):
    """A request without a credential scope (plain HTTP, query protocol) is in the region its queue URL names."""
    base, _ = server
    eu = client(base, "eu-west-1")
    eu_url = eu.create_queue(QueueName="unsigned")["QueueUrl"]
    form = urllib.parse.urlencode({"Action": "SendMessage", "QueueUrl": eu_url, "MessageBody": "no signature"})
    request = urllib.request.Request(base + "/", data=form.encode(), method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as response:
        assert response.status == 200
    assert bodies(eu, eu_url) == ["no signature"]
    # ... and a request that names no queue is in the default region.
    form = urllib.parse.urlencode({"Action": "ListQueues", "QueueNamePrefix": "unsigned"})
    request = urllib.request.Request(base + "/", data=form.encode(), method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded",
                                              "Accept": "application/json"})
    with opener.open(request, timeout=10) as response:
        listed = json.loads(response.read())
    assert listed["ListQueuesResponse"]["ListQueuesResult"].get("QueueUrls") in (None, [])


def test_a_dead_letter_queue_is_in_its_source_region(server):
    base, _ = server
    us, eu = client(base, "us-east-1"), client(base, "eu-west-1")
    us.create_queue(QueueName="jobs-dlq")
    eu_dlq = eu.create_queue(QueueName="jobs-dlq")["QueueUrl"]
    eu_jobs = eu.create_queue(QueueName="jobs")["QueueUrl"]

    policy = {"deadLetterTargetArn": f"arn:aws:sqs:us-east-1:{ACCOUNT}:jobs-dlq", "maxReceiveCount": "1"}
    with pytest.raises(ClientError) as excinfo:
        eu.set_queue_attributes(QueueUrl=eu_jobs, Attributes={"RedrivePolicy": json.dumps(policy)})
    assert excinfo.value.response["Error"]["Code"] == "InvalidParameterValue"
    assert "Dead letter target does not exist." in excinfo.value.response["Error"]["Message"]

    policy["deadLetterTargetArn"] = arn(eu, eu_dlq)
    eu.set_queue_attributes(QueueUrl=eu_jobs, Attributes={"RedrivePolicy": json.dumps(policy)})
    eu.send_message(QueueUrl=eu_jobs, MessageBody="poison")
    assert bodies(eu, eu_jobs) == ["poison"]
    assert bodies(eu, eu_jobs) == []  # the second receive moved it
    received = eu.receive_message(QueueUrl=eu_dlq, VisibilityTimeout=0, AttributeNames=["All"])["Messages"]
    assert received[0]["Body"] == "poison"
    assert received[0]["Attributes"]["DeadLetterQueueSourceArn"] == f"arn:aws:sqs:eu-west-1:{ACCOUNT}:jobs"
    assert eu.list_dead_letter_source_queues(QueueUrl=eu_dlq)["queueUrls"] == [eu_jobs]

    # A move task: ARNs of the request's region only; back to the source queue in eu-west-1.
    assert error(lambda: us.start_message_move_task(SourceArn=arn(eu, eu_dlq))) == (
        "ResourceNotFoundException", 404)
    eu.start_message_move_task(SourceArn=arn(eu, eu_dlq))
    moved = None
    for _ in range(100):  # the task moves once a second on the real clock
        tasks = eu.list_message_move_tasks(SourceArn=arn(eu, eu_dlq))["Results"]
        if tasks and tasks[0]["Status"] == "COMPLETED":
            moved = tasks[0]
            break
        time.sleep(0.1)
    assert moved is not None and moved["ApproximateNumberOfMessagesMoved"] == 1
    assert bodies(eu, eu_jobs) == ["poison"]


def test_the_aws_cli_takes_its_region(server):
    base, _ = server
    env = aws_env()

    def cli(region, *args):
        done = subprocess.run(["aws", "--endpoint-url", base, "--region", region, "--output", "json", "sqs", *args],
                              env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout) if done.stdout.strip() else None

    url = cli("ap-southeast-2", "create-queue", "--queue-name", "cli-regional")["QueueUrl"]
    assert url == f"{base}/ap-southeast-2/{ACCOUNT}/cli-regional"
    cli("ap-southeast-2", "send-message", "--queue-url", url, "--message-body", "g'day")
    got = cli("ap-southeast-2", "receive-message", "--queue-url", url)
    assert [m["Body"] for m in got["Messages"]] == ["g'day"]
    assert cli("us-east-1", "list-queues", "--queue-name-prefix", "cli-regional") is None


def test_regions_survive_a_restart(tmp_path_factory):
    if os.environ.get("SLUICE_ENDPOINT"):
        pytest.skip("needs its own server")
    first = tmp_path_factory.mktemp("sluice-regions-restart")
    with start_server(first) as base:
        eu = client(base, "eu-west-1")
        us = client(base, "us-east-1")
        eu.send_message(QueueUrl=eu.create_queue(QueueName="kept")["QueueUrl"], MessageBody="eu message")
        us.send_message(QueueUrl=us.create_queue(QueueName="kept")["QueueUrl"], MessageBody="us message")
    second = tmp_path_factory.mktemp("sluice-regions-restart-2")
    with start_server(second, f"-Dsluice.data-dir={first / 'data'}") as base:
        eu = client(base, "eu-west-1")
        us = client(base, "us-east-1")
        assert eu.get_queue_url(QueueName="kept")["QueueUrl"] == f"{base}/eu-west-1/{ACCOUNT}/kept"
        assert us.get_queue_url(QueueName="kept")["QueueUrl"] == f"{base}/{ACCOUNT}/kept"
        assert bodies(eu, f"{base}/eu-west-1/{ACCOUNT}/kept") == ["eu message"]
        assert bodies(us, f"{base}/{ACCOUNT}/kept") == ["us message"]
