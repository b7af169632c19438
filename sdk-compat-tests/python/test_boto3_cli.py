"""Sluice compatibility test: boto3 and the AWS CLI (both speak AWS JSON 1.0 to SQS).

README
------
Run from the repository root:

    python3 -m pytest -q sdk-compat-tests/python

Needs boto3 >= 1.28.82 (JSON protocol), pytest and ``aws`` (AWS CLI) on PATH.

By default a session fixture starts the packaged server
``target/quarkus-app/quarkus-run.jar`` (build it with ``./mvnw -B package -DskipTests``)
on a free 127.0.0.1 port with a temporary ``sluice.data-dir``, waits for
``/q/health/ready`` (max 60 s) and stops it afterwards. The java binary is
``$SLUICE_JAVA``, else ``$JAVA_HOME/bin/java``, else
``/usr/lib/jvm/temurin-25-jdk-amd64/bin/java``. ``$SLUICE_JAR`` overrides the jar path.

Set ``SLUICE_ENDPOINT=http://127.0.0.1:<port>`` to test an already running endpoint
instead, e.g. moto as a second opinion:

    MOTO_ACCOUNT_ID=000000000000 moto_server -H 127.0.0.1 -p 5055 &
    SLUICE_ENDPOINT=http://127.0.0.1:5055 python3 -m pytest -q sdk-compat-tests/python

The spec is real SQS as documented by AWS (see /work/shared/SQS-FACTS.md), not moto.
Expected account 000000000000 (``$SLUICE_ACCOUNT`` overrides), region us-east-1.
AWS is eventually consistent for counts, purge and delete; a self-hosted server is
expected to be consistent within a few seconds, so those checks poll for up to 5 s.
"""

import hashlib
import json
import os
import shutil
import struct
import subprocess
import time
import uuid

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from sluice_server import REGION, aws_env, isolated_aws_environ, start_server

ACCOUNT = os.environ.get("SLUICE_ACCOUNT", "000000000000")


# --------------------------------------------------------------------------- helpers

def md5_hex(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def md5_of_attributes(attrs: dict) -> str:
    """MD5OfMessageAttributes per the SQS developer guide (sqs-message-metadata)."""
    buf = bytearray()

    def put(b: bytes):
        buf.extend(struct.pack(">I", len(b)))
        buf.extend(b)

    for name in sorted(attrs):
        value = attrs[name]
        put(name.encode("utf-8"))
        put(value["DataType"].encode("utf-8"))
        if value["DataType"].startswith("Binary"):
            buf.append(2)
            put(bytes(value["BinaryValue"]))
        else:
            buf.append(1)
            put(value["StringValue"].encode("utf-8"))
    return md5_hex(bytes(buf))


def eventually(check, timeout=5.0, interval=0.2):
    """Retry an assertion-raising callable until it passes or the timeout expires."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return check()
        except (AssertionError, ClientError, pytest.fail.Exception):
            if time.monotonic() >= deadline:
                raise
            time.sleep(interval)


def _assert_eq(actual, expected):
    assert actual == expected


def unique(prefix="compat"):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def error_of(excinfo):
    err = excinfo.value.response
    return err["Error"].get("Code"), err["ResponseMetadata"]["HTTPStatusCode"], err["Error"]


def receive_all(sqs, url, expected, **kwargs):
    """Short polls may sample a subset of servers on AWS: loop until `expected` arrive."""
    got = {}
    deadline = time.monotonic() + 10
    while len(got) < expected and time.monotonic() < deadline:
        resp = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1, **kwargs)
        for m in resp.get("Messages", []):
            got[m["MessageId"]] = m
    assert len(got) == expected, f"received {len(got)} of {expected} messages"
    return list(got.values())


def counts(sqs, url):
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return (attrs["ApproximateNumberOfMessages"], attrs["ApproximateNumberOfMessagesNotVisible"],
            attrs["ApproximateNumberOfMessagesDelayed"])


# --------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="session")
def endpoint(tmp_path_factory):
    if os.environ.get("SLUICE_ENDPOINT"):
        yield os.environ["SLUICE_ENDPOINT"].rstrip("/")
        return

    # strict: AWS's 60-second PurgeQueue rule is part of what this file checks
    with start_server(tmp_path_factory.mktemp("sluice"), "-Dsluice.strict=true") as base:
        yield base


@pytest.fixture(scope="session")
def sqs(endpoint):
    # boto3 reads AWS_CONFIG_FILE, AWS_PROFILE, proxies ... from os.environ: isolate it.
    with isolated_aws_environ():
        session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test",
                                        region_name=REGION)
        client = session.client(
            "sqs", endpoint_url=endpoint,
            config=Config(retries={"total_max_attempts": 1}, connect_timeout=5, read_timeout=30))
        assert client.meta.service_model.protocol == "json", "boto3 too old: not speaking JSON 1.0"
        yield client


@pytest.fixture
def queue(sqs):
    url = sqs.create_queue(QueueName=unique("q"))["QueueUrl"]
    yield url
    try:
        sqs.delete_queue(QueueUrl=url)
    except ClientError:
        pass


# --------------------------------------------------------------------------- boto3

def test_queue_lifecycle_attributes_tags(sqs):
    prefix = unique("life")
    name = prefix + "-a"
    created = sqs.create_queue(
        QueueName=name,
        Attributes={"VisibilityTimeout": "45", "MessageRetentionPeriod": "3600"},
        tags={"team": "sluice", "env": "test"})  # lower-case "tags" in the API model
    url = created["QueueUrl"]
    assert url.endswith(f"/{ACCOUNT}/{name}"), url
    other = sqs.create_queue(QueueName=prefix + "-b")["QueueUrl"]
    unrelated = sqs.create_queue(QueueName=unique("zzz"))["QueueUrl"]
    try:
        assert sqs.get_queue_url(QueueName=name)["QueueUrl"] == url
        # CreateQueue with identical attributes is idempotent
        assert sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "45",
                                "MessageRetentionPeriod": "3600"})["QueueUrl"] == url

        listed = sqs.list_queues(QueueNamePrefix=prefix)["QueueUrls"]
        assert sorted(listed) == sorted([url, other])

        attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        assert attrs["VisibilityTimeout"] == "45"
        assert attrs["MessageRetentionPeriod"] == "3600"
        assert attrs["DelaySeconds"] == "0"
        assert attrs["ReceiveMessageWaitTimeSeconds"] == "0"
        assert attrs["MaximumMessageSize"] == "1048576"  # default since Aug 2025
        assert attrs["QueueArn"] == f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"
        for ts in ("CreatedTimestamp", "LastModifiedTimestamp"):  # epoch seconds
            assert attrs[ts].isdigit() and abs(int(attrs[ts]) - time.time()) < 300, (ts, attrs[ts])
        assert (attrs["ApproximateNumberOfMessages"], attrs["ApproximateNumberOfMessagesNotVisible"],
                attrs["ApproximateNumberOfMessagesDelayed"]) == ("0", "0", "0")
        # without AttributeNames nothing is returned
        assert not sqs.get_queue_attributes(QueueUrl=url).get("Attributes")

        assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"team": "sluice", "env": "test"}
        sqs.tag_queue(QueueUrl=url, Tags={"env": "ci", "owner": "qa"})
        assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"team": "sluice", "env": "ci", "owner": "qa"}
        sqs.untag_queue(QueueUrl=url, TagKeys=["team", "not-there"])
        assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"env": "ci", "owner": "qa"}
    finally:
        for u in (other, unrelated):
            sqs.delete_queue(QueueUrl=u)

    sqs.delete_queue(QueueUrl=url)

    def gone():
        with pytest.raises(ClientError) as ei:
            sqs.get_queue_url(QueueName=name)
        assert error_of(ei)[0] == "AWS.SimpleQueueService.NonExistentQueue"
        assert url not in sqs.list_queues(QueueNamePrefix=prefix).get("QueueUrls", [])
    eventually(gone)


def test_send_receive_md5_visibility_delete(sqs, queue):
    body = "héllo, Sluice ✓ 🚀 <xml>&amp;</xml>\r\n\t"
    attrs = {
        "Greeting": {"DataType": "String", "StringValue": "grüß dich"},
        "Count": {"DataType": "Number.int", "StringValue": "42"},
        "Blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01\xfe\xff"},
    }
    trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
    sys_attrs = {"AWSTraceHeader": {"DataType": "String", "StringValue": trace}}
    sent = sqs.send_message(QueueUrl=queue, MessageBody=body, MessageAttributes=attrs,
                            MessageSystemAttributes=sys_attrs)
    assert sent["MD5OfMessageBody"] == md5_hex(body.encode("utf-8"))
    assert sent["MD5OfMessageAttributes"] == md5_of_attributes(attrs)
    assert sent["MD5OfMessageSystemAttributes"] == md5_of_attributes(sys_attrs)
    assert sent["MessageId"]

    resp = sqs.receive_message(QueueUrl=queue, MessageAttributeNames=["All"],
                               MessageSystemAttributeNames=["All"], WaitTimeSeconds=5)
    (msg,) = resp["Messages"]
    assert msg["MessageId"] == sent["MessageId"]
    assert msg["Body"] == body
    assert msg["MD5OfBody"] == sent["MD5OfMessageBody"]
    assert msg["MD5OfMessageAttributes"] == sent["MD5OfMessageAttributes"]
    assert msg["MessageAttributes"] == attrs
    sa = msg["Attributes"]
    assert sa["ApproximateReceiveCount"] == "1"
    assert sa["AWSTraceHeader"] == trace
    assert sa["SenderId"]
    for ts in ("SentTimestamp", "ApproximateFirstReceiveTimestamp"):  # epoch millis
        assert sa[ts].isdigit() and abs(int(sa[ts]) / 1000 - time.time()) < 300, (ts, sa[ts])

    sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle=msg["ReceiptHandle"], VisibilityTimeout=0)
    again = sqs.receive_message(QueueUrl=queue, MessageSystemAttributeNames=["ApproximateReceiveCount"],
                                WaitTimeSeconds=5)["Messages"][0]
    assert again["MessageId"] == sent["MessageId"]
    assert again["Attributes"] == {"ApproximateReceiveCount": "2"}
    assert "MessageAttributes" not in again  # not requested this time

    # hide it again; a short poll must not return an in-flight message
    sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle=again["ReceiptHandle"], VisibilityTimeout=60)
    assert not sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1).get("Messages")
    eventually(lambda: _assert_eq(counts(sqs, queue), ("0", "1", "0")))

    sqs.delete_message(QueueUrl=queue, ReceiptHandle=again["ReceiptHandle"])
    eventually(lambda: _assert_eq(counts(sqs, queue), ("0", "0", "0")))


def test_batch_send_with_failed_entry_and_batch_delete(sqs, queue):
    # Reading taken: an entry whose body holds only an invalid character (U+0001) is reported
    # per entry in Failed with InvalidMessageContents, the rest succeed (HTTP 200). This is what
    # LocalStack's AWS-validated test_batch_send_with_invalid_char_should_succeed records, and it
    # holds under both doc readings (reject vs. replace-with-U+FFFD-if-a-valid-char-remains).
    attrs = {"Kind": {"DataType": "String", "StringValue": "batch"},
             "N": {"DataType": "Number", "StringValue": "-1.5e3"}}
    resp = sqs.send_message_batch(QueueUrl=queue, Entries=[
        {"Id": "plain", "MessageBody": "first"},
        {"Id": "with_attrs", "MessageBody": "second ü", "MessageAttributes": attrs, "DelaySeconds": 0},
        {"Id": "bad", "MessageBody": "\x01"},
    ])
    ok = {e["Id"]: e for e in resp.get("Successful", [])}
    assert set(ok) == {"plain", "with_attrs"}
    assert ok["plain"]["MD5OfMessageBody"] == md5_hex(b"first")
    assert "MD5OfMessageAttributes" not in ok["plain"]  # must be absent when no attributes sent
    assert ok["with_attrs"]["MD5OfMessageBody"] == md5_hex("second ü".encode())
    assert ok["with_attrs"]["MD5OfMessageAttributes"] == md5_of_attributes(attrs)
    (failed,) = resp["Failed"]
    assert failed["Id"] == "bad"
    assert failed["Code"] == "InvalidMessageContents"
    assert isinstance(failed["SenderFault"], bool)

    eventually(lambda: _assert_eq(counts(sqs, queue), ("2", "0", "0")))
    msgs = receive_all(sqs, queue, 2, MessageAttributeNames=["All"], VisibilityTimeout=60)
    assert {m["Body"] for m in msgs} == {"first", "second ü"}
    for m in msgs:
        if m["Body"] == "second ü":
            assert m["MessageAttributes"] == attrs
    eventually(lambda: _assert_eq(counts(sqs, queue), ("0", "2", "0")))

    entries = [{"Id": f"d{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(msgs)]
    entries.append({"Id": "garbage", "ReceiptHandle": "not-a-valid-receipt-handle"})
    deleted = sqs.delete_message_batch(QueueUrl=queue, Entries=entries)
    assert {e["Id"] for e in deleted["Successful"]} == {"d0", "d1"}
    assert [(f["Id"], f["Code"]) for f in deleted["Failed"]] == [("garbage", "ReceiptHandleIsInvalid")]
    eventually(lambda: _assert_eq(counts(sqs, queue), ("0", "0", "0")))


def test_purge_queue(sqs, queue):
    sqs.send_message_batch(QueueUrl=queue, Entries=[{"Id": str(i), "MessageBody": f"m{i}"} for i in range(3)])
    eventually(lambda: _assert_eq(counts(sqs, queue)[0], "3"))
    sqs.purge_queue(QueueUrl=queue)
    eventually(lambda: _assert_eq(counts(sqs, queue), ("0", "0", "0")))
    assert not sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1).get("Messages")
    # only one purge per 60 s (observed on real SQS: 403 with the query code)
    with pytest.raises(ClientError) as ei:
        sqs.purge_queue(QueueUrl=queue)
    assert error_of(ei)[:2] == ("AWS.SimpleQueueService.PurgeQueueInProgress", 403)


def test_error_codes(sqs, queue):
    # x-amzn-query-error carries the query code; boto3 sends x-amzn-query-mode: true, so the
    # HTTP status is the query status (SQS-FACTS "Observed on real SQS").
    with pytest.raises(sqs.exceptions.QueueDoesNotExist) as ei:
        sqs.get_queue_url(QueueName=unique("missing"))
    code, status, err = error_of(ei)
    assert (code, status) == ("AWS.SimpleQueueService.NonExistentQueue", 400)
    assert err.get("QueryErrorCode") == "QueueDoesNotExist"  # the JSON __type shape
    assert err.get("Type") == "Sender"

    with pytest.raises(ClientError) as ei:
        sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=11)
    assert error_of(ei)[:2] == ("InvalidParameterValue", 400)

    with pytest.raises(sqs.exceptions.ReceiptHandleIsInvalid) as ei:
        sqs.delete_message(QueueUrl=queue, ReceiptHandle="not-a-valid-receipt-handle")
    assert error_of(ei)[:2] == ("ReceiptHandleIsInvalid", 404)


# --------------------------------------------------------------------------- AWS CLI

def aws_cli(endpoint, *args, check=True):
    exe = shutil.which("aws")
    assert exe, "aws CLI not on PATH"
    proc = subprocess.run(
        [exe, "--endpoint-url", endpoint, "--region", REGION, "--output", "json",
         "--cli-connect-timeout", "5", "--cli-read-timeout", "30", "sqs", *args],
        env=aws_env(), capture_output=True, text=True, timeout=60)
    if check:
        assert proc.returncode == 0, f"aws sqs {' '.join(args)} -> {proc.returncode}\n{proc.stderr}"
        return json.loads(proc.stdout) if proc.stdout.strip() else {}
    return proc


def test_aws_cli(endpoint):
    name = unique("cli")
    url = aws_cli(endpoint, "create-queue", "--queue-name", name,
                  "--attributes", "VisibilityTimeout=40", "--tags", "via=cli")["QueueUrl"]
    assert url.endswith(f"/{ACCOUNT}/{name}")
    try:
        body = "from the CLI ✓"
        msg_attrs = {"Source": {"DataType": "String", "StringValue": "aws-cli"}}
        sent = aws_cli(endpoint, "send-message", "--queue-url", url, "--message-body", body,
                       "--message-attributes", json.dumps(msg_attrs))
        assert sent["MD5OfMessageBody"] == md5_hex(body.encode())
        assert sent["MD5OfMessageAttributes"] == md5_of_attributes(msg_attrs)

        got = aws_cli(endpoint, "receive-message", "--queue-url", url, "--wait-time-seconds", "5",
                      "--message-attribute-names", "All", "--message-system-attribute-names", "All")
        (msg,) = got["Messages"]
        assert msg["MessageId"] == sent["MessageId"]
        assert msg["Body"] == body
        assert msg["MessageAttributes"] == msg_attrs
        assert msg["Attributes"]["ApproximateReceiveCount"] == "1"

        listed = aws_cli(endpoint, "list-queues", "--queue-name-prefix", name)
        assert listed["QueueUrls"] == [url]

        attrs = aws_cli(endpoint, "get-queue-attributes", "--queue-url", url,
                        "--attribute-names", "All")["Attributes"]
        assert attrs["VisibilityTimeout"] == "40"
        assert attrs["QueueArn"] == f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"
        assert attrs["ApproximateNumberOfMessagesNotVisible"] == "1"

        aws_cli(endpoint, "delete-message", "--queue-url", url, "--receipt-handle", msg["ReceiptHandle"])
        attrs = aws_cli(endpoint, "get-queue-attributes", "--queue-url", url, "--attribute-names",
                        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")["Attributes"]
        assert attrs == {"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"}
    finally:
        aws_cli(endpoint, "delete-queue", "--queue-url", url)

    failed = aws_cli(endpoint, "get-queue-url", "--queue-name", unique("missing"), check=False)
    assert failed.returncode != 0
    assert "AWS.SimpleQueueService.NonExistentQueue" in failed.stderr, failed.stderr
