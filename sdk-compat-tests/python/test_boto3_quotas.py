"""Tenant quotas through boto3 (botocore's JSON 1.0 client): RequestThrottled as botocore sees it, and its retry modes.

Starts its own packaged server in the sigv4 auth mode with an admin token and one tenant, sets the tenant's quota
through the admin API, and checks that botocore reports RequestThrottled (403, its modeled exception) and that both
its ``standard`` and ``legacy`` retry modes get through once the bucket refills: botocore's retry rules for SQS match
exactly RequestThrottled with HTTP 403, and its standard mode lists RequestThrottled among the throttling codes.
Skipped when SLUICE_ENDPOINT names a running server.
"""

import json
import os
import urllib.request

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from sluice_server import REGION, isolated_aws_environ, start_server

ACCOUNT, KEY, SECRET = "555555555555", "AKIDBOTOQUOTA", "boto-quota-secret"
TOKEN = "boto-quota-token"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    if os.environ.get("SLUICE_ENDPOINT"):
        pytest.skip("needs its own server in the sigv4 auth mode")
    with start_server(tmp_path_factory.mktemp("sluice-quota"), "-Dsluice.auth.mode=sigv4",
                      f"-Dsluice.admin.token={TOKEN}", f"-Dsluice.tenants={ACCOUNT}:{KEY}:{SECRET}") as base:
        yield base


def admin(endpoint, method, path, body=None):
    request = urllib.request.Request(endpoint + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read()
        return json.loads(text) if text else None


def sqs(endpoint, **retries):
    with isolated_aws_environ():
        session = boto3.session.Session(aws_access_key_id=KEY, aws_secret_access_key=SECRET, region_name=REGION)
        return session.client("sqs", endpoint_url=endpoint, config=Config(retries=retries))


def test_over_its_quota_a_tenant_gets_request_throttled(endpoint):
    admin(endpoint, "PUT", f"/admin/tenants/{ACCOUNT}/quota", {"requestsPerSecond": 1, "requestBurst": 2})
    client = sqs(endpoint, total_max_attempts=1)
    client.list_queues()
    client.list_queues()
    with pytest.raises(client.exceptions.RequestThrottled) as refused:
        client.list_queues()
    error = refused.value.response
    assert error["Error"]["Code"] == "RequestThrottled"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert "1 requests per second (burst 2)" in error["Error"]["Message"]
    assert isinstance(refused.value, ClientError)


@pytest.mark.parametrize("mode", ["standard", "legacy"])
def test_botocore_retries_get_through_once_the_bucket_refills(endpoint, mode):
    admin(endpoint, "PUT", f"/admin/tenants/{ACCOUNT}/quota", {"requestsPerSecond": 5, "requestBurst": 1})
    before = admin(endpoint, "GET", f"/admin/tenants/{ACCOUNT}/quota")["throttled"]["requests"]
    client = sqs(endpoint, mode=mode, total_max_attempts=10)
    url = client.create_queue(QueueName=f"retried-{mode}")["QueueUrl"]
    for i in range(8):
        client.send_message(QueueUrl=url, MessageBody=f"m{i}")
    counts = client.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
    assert counts["Attributes"]["ApproximateNumberOfMessages"] == "8"
    after = admin(endpoint, "GET", f"/admin/tenants/{ACCOUNT}/quota")["throttled"]["requests"]
    assert after > before, "requests were throttled and retried"
