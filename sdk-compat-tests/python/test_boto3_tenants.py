"""Sluice in the sigv4 auth mode through boto3 (JSON 1.0): two tenants, bad credentials, isolation and grants.

Starts its own packaged server (see test_boto3_cli.py for the jar, java and SLUICE_ENDPOINT rules) with
``-Dsluice.auth.mode=sigv4`` and two declared tenants; skipped when SLUICE_ENDPOINT names a running server.
"""

import os
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from test_boto3_cli import DEFAULT_JAR, DEFAULT_JAVA, REGION, _free_port, _log_tail, aws_env

ACCOUNT_A, KEY_A, SECRET_A = "111111111111", "AKIDBOTOA", "boto-a/secret+1"
ACCOUNT_B, KEY_B, SECRET_B = "222222222222", "AKIDBOTOB", "boto-b-secret"


@pytest.fixture(scope="module")
def sigv4_endpoint(tmp_path_factory):
    if os.environ.get("SLUICE_ENDPOINT"):
        pytest.skip("needs its own server in the sigv4 auth mode")
    jar = Path(os.environ.get("SLUICE_JAR", DEFAULT_JAR))
    java = os.environ.get("SLUICE_JAVA") or (
        os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else DEFAULT_JAVA)
    if not jar.is_file():
        pytest.fail(f"Sluice jar not found: {jar}", pytrace=False)
    tmp = tmp_path_factory.mktemp("sluice-sigv4")
    (tmp / "data").mkdir()
    log_path = tmp / "server.log"
    port = _free_port()
    cmd = [java, "-Dquarkus.http.host=127.0.0.1", f"-Dquarkus.http.port={port}",
           f"-Dsluice.data-dir={tmp / 'data'}", "-Dsluice.auth.mode=sigv4",
           f"-Dsluice.tenants={ACCOUNT_A}:{KEY_A}:{SECRET_A},{ACCOUNT_B}:{KEY_B}:{SECRET_B}",
           "-jar", str(jar)]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=tmp)
    base = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"Sluice exited early; log tail:\n{_log_tail(log_path)}", pytrace=False)
            try:
                with opener.open(f"{base}/q/health/ready", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"Sluice not ready within 60 s; log tail:\n{_log_tail(log_path)}", pytrace=False)
            time.sleep(0.25)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def client_for(sigv4_endpoint):
    with pytest.MonkeyPatch.context() as mp:
        for k in list(os.environ):
            if k.startswith("AWS_"):
                mp.delenv(k)
        for k, v in aws_env().items():
            mp.setenv(k, v)

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
