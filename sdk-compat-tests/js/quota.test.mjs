// Tenant quotas through the AWS SDK for JavaScript v3, current (AWS JSON 1.0) and 3.405.0 (query protocol): a
// tenant over its quota gets RequestThrottled (403), which the SDK's error classification counts as throttling, and
// the SDK's standard retry strategy gets through once the tenant's bucket refills. Own server: sigv4 auth mode, an
// admin token, one tenant per SDK.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as current from "@aws-sdk/client-sqs";
import * as query from "aws-sdk-client-sqs-3.405.0";
import { startSluice } from "./sluice-server.mjs";

const TOKEN = "js-quota-token";
const TENANTS = {
    json: { account: "666666666666", key: "AKIDJSQUOTAJSON", secret: "js-quota-json" },
    query: { account: "777777777777", key: "AKIDJSQUOTAQUERY", secret: "js-quota-query" },
};

let server;
before(async () => {
    if (process.env.SLUICE_ENDPOINT) {
        return;
    }
    const declared = Object.values(TENANTS).map((t) => `${t.account}:${t.key}:${t.secret}`).join(",");
    server = await startSluice(["-Dsluice.auth.mode=sigv4", `-Dsluice.admin.token=${TOKEN}`,
        `-Dsluice.tenants=${declared}`]);
});
after(async () => {
    await server?.stop();
});

async function admin(method, path, body) {
    const response = await fetch(server.endpoint + path, {
        method,
        headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
}

function quotaTests(title, sdk, tenant) {
    describe(title, { skip: process.env.SLUICE_ENDPOINT ? "needs its own sigv4 server" : false }, () => {
        const client = (maxAttempts) => new sdk.SQSClient({
            endpoint: server.endpoint,
            region: "us-east-1",
            credentials: { accessKeyId: tenant.key, secretAccessKey: tenant.secret },
            maxAttempts,
        });

        test("over its quota a tenant gets RequestThrottled, classified as throttling", async () => {
            await admin("PUT", `/admin/tenants/${tenant.account}/quota`, { requestsPerSecond: 1, requestBurst: 2 });
            const sqs = client(1);
            await sqs.send(new sdk.ListQueuesCommand({}));
            await sqs.send(new sdk.ListQueuesCommand({}));
            await assert.rejects(sqs.send(new sdk.ListQueuesCommand({})), (error) => {
                assert.equal(error.name, "RequestThrottled");
                assert.equal(error.$metadata.httpStatusCode, 403);
                assert.match(error.message, /1 requests per second \(burst 2\)/);
                return true;
            });
        });

        test("the standard retry strategy gets through once the bucket refills", async () => {
            await admin("PUT", `/admin/tenants/${tenant.account}/quota`, { requestsPerSecond: 5, requestBurst: 1 });
            const sqs = client(10);
            const { QueueUrl } = await sqs.send(new sdk.CreateQueueCommand({ QueueName: "retried" }));
            for (let i = 0; i < 6; i++) {
                await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: `m${i}` }));
            }
            const { Attributes } = await sqs.send(new sdk.GetQueueAttributesCommand({
                QueueUrl, AttributeNames: ["ApproximateNumberOfMessages"],
            }));
            assert.equal(Attributes.ApproximateNumberOfMessages, "6");
            const usage = await admin("GET", `/admin/tenants/${tenant.account}/quota`);
            assert.ok(usage.throttled.requests > 0, "requests were throttled and retried");
        });
    });
}

quotaTests("@aws-sdk/client-sqs 3.1175.0 (AWS JSON 1.0)", current, TENANTS.json);
quotaTests("@aws-sdk/client-sqs 3.405.0 (query protocol)", query, TENANTS.query);
