// The flows an application runs on SQS, written once against the AWS SDK for JavaScript v3 and run by
// sdk.test.mjs through two versions of @aws-sdk/client-sqs that speak different wire protocols. Every flow makes
// its own queues (js-<protocol>-<stem>-<random>), so both versions share one server.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Defines the flows for one SDK version.
 *
 * @param {string} title describe() title
 * @param {object} options
 * @param {object} options.sdk the imported @aws-sdk/client-sqs module
 * @param {string} options.protocol short name used in queue names
 * @param {string} options.contentType the Content-Type every request of this version must carry
 * @param {boolean} options.systemAttributeNames whether ReceiveMessage has MessageSystemAttributeNames (2024+)
 * @param {() => string} options.endpoint the server's base URL, known once the file's before() hook ran
 */
export function sqsFlows(title, { sdk, protocol, contentType, systemAttributeNames, endpoint }) {
    describe(title, () => {
        const contentTypes = new Set();
        let client;
        const sqs = (command) => {
            client ??= newClient(sdk, endpoint(), contentTypes);
            return client.send(command);
        };
        const queueName = (stem) => `js-${protocol}-${stem}-${randomUUID().slice(0, 8)}`;
        const createQueue = async (name, Attributes) => (await sqs(new sdk.CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl;
        const arnOf = async (QueueUrl) =>
            (await sqs(new sdk.GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes.QueueArn;
        const systemAttributes = (names) => (systemAttributeNames ? { MessageSystemAttributeNames: names } : { AttributeNames: names });
        const receive = async (QueueUrl, extra = {}) =>
            (await sqs(new sdk.ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, ...extra })))
                .Messages ?? [];
        const count = async (QueueUrl) => {
            const { Attributes } = await sqs(new sdk.GetQueueAttributesCommand({
                QueueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
            }));
            return Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible);
        };

        it("sends with attributes, receives them back and deletes singly and in a batch", async () => {
            const url = await createQueue(queueName("basic"), { VisibilityTimeout: "30" });
            const sent = await sqs(new sdk.SendMessageCommand({
                QueueUrl: url,
                MessageBody: "order 1 — größe ☃",
                MessageAttributes: {
                    kind: { DataType: "String", StringValue: "order" },
                    amount: { DataType: "Number", StringValue: "12.5" },
                    blob: { DataType: "Binary", BinaryValue: Uint8Array.from([0, 1, 254, 255]) },
                    tenant: { DataType: "String.custom", StringValue: "acme" },
                },
            }));
            assert.match(sent.MessageId, /^[0-9a-f-]{36}$/);
            assert.ok(sent.MD5OfMessageAttributes, "MD5OfMessageAttributes");
            const batch = await sqs(new sdk.SendMessageBatchCommand({
                QueueUrl: url,
                Entries: ["2", "3", "4"].map((n) => ({ Id: `e${n}`, MessageBody: `order ${n}` })),
            }));
            assert.deepEqual(batch.Successful.map((e) => e.Id).sort(), ["e2", "e3", "e4"]);
            assert.deepEqual(batch.Failed ?? [], []);

            const messages = [];
            for (let i = 0; i < 5 && messages.length < 4; i++) {
                messages.push(...await receive(url, { MessageAttributeNames: ["All"], ...systemAttributes(["All"]) }));
            }
            assert.deepEqual(messages.map((m) => m.Body).sort(), ["order 1 — größe ☃", "order 2", "order 3", "order 4"]);
            const first = messages.find((m) => m.MessageId === sent.MessageId);
            assert.equal(first.MessageAttributes.kind.StringValue, "order");
            assert.equal(first.MessageAttributes.amount.DataType, "Number");
            assert.equal(first.MessageAttributes.amount.StringValue, "12.5");
            assert.deepEqual([...first.MessageAttributes.blob.BinaryValue], [0, 1, 254, 255]);
            assert.equal(first.MessageAttributes.tenant.DataType, "String.custom");
            assert.equal(first.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
            assert.equal(first.Attributes.ApproximateReceiveCount, "1");
            assert.ok(Number(first.Attributes.SentTimestamp) > 0, "SentTimestamp");

            await sqs(new sdk.DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first.ReceiptHandle }));
            const rest = messages.filter((m) => m !== first);
            const deleted = await sqs(new sdk.DeleteMessageBatchCommand({
                QueueUrl: url,
                Entries: rest.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
            }));
            assert.equal(deleted.Successful.length, 3);
            assert.deepEqual(deleted.Failed ?? [], []);
            assert.equal(await count(url), 0);
        });

        it("a long-polling listener wakes for a message sent while it waits", async () => {
            const url = await createQueue(queueName("listen"));
            const started = Date.now();
            const listening = receive(url, { WaitTimeSeconds: 10, MaxNumberOfMessages: 1 });
            await sleep(300);
            await sqs(new sdk.SendMessageCommand({ QueueUrl: url, MessageBody: "wake up" }));
            const [message] = await listening;
            assert.equal(message?.Body, "wake up");
            assert.ok(Date.now() - started < 8_000, "the long poll returned when the message arrived, not at its end");
            await sqs(new sdk.DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }));
        });

        it("a message that fails twice goes to the dead-letter queue and a move task redrives it", async () => {
            const dlq = await createQueue(queueName("dlq"));
            const dlqArn = await arnOf(dlq);
            const source = await createQueue(queueName("work"), {
                RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }),
            });
            const { Attributes } = await sqs(new sdk.GetQueueAttributesCommand({ QueueUrl: source, AttributeNames: ["RedrivePolicy"] }));
            assert.deepEqual(JSON.parse(Attributes.RedrivePolicy), { deadLetterTargetArn: dlqArn, maxReceiveCount: 2 });
            const { MessageId } = await sqs(new sdk.SendMessageCommand({ QueueUrl: source, MessageBody: "poison" }));

            // The consumer fails and hands the message back at once (visibility 0), as a negative acknowledgement.
            for (let attempt = 1; attempt <= 2; attempt++) {
                const [message] = await receive(source, systemAttributes(["ApproximateReceiveCount"]));
                assert.equal(message?.MessageId, MessageId, `attempt ${attempt}`);
                assert.equal(message.Attributes.ApproximateReceiveCount, String(attempt));
                await sqs(new sdk.ChangeMessageVisibilityCommand({ QueueUrl: source, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 }));
            }
            assert.deepEqual(await receive(source), [], "the third receive moves the message instead of returning it");
            const [dead] = await receive(dlq);
            assert.equal(dead?.MessageId, MessageId);
            assert.equal(dead.Body, "poison");
            await sqs(new sdk.ChangeMessageVisibilityCommand({ QueueUrl: dlq, ReceiptHandle: dead.ReceiptHandle, VisibilityTimeout: 0 }));

            const sources = await sqs(new sdk.ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }));
            assert.deepEqual(sources.queueUrls, [source]);

            // The bug is fixed: redrive the dead letter back to its source queue.
            const { TaskHandle } = await sqs(new sdk.StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
            assert.ok(TaskHandle, "TaskHandle");
            let task;
            for (let i = 0; i < 50; i++) {
                [task] = (await sqs(new sdk.ListMessageMoveTasksCommand({ SourceArn: dlqArn }))).Results;
                if (task.Status !== "RUNNING") break;
                await sleep(100);
            }
            assert.equal(task.Status, "COMPLETED");
            assert.equal(task.ApproximateNumberOfMessagesMoved, 1);
            const [redriven] = await receive(source);
            assert.equal(redriven?.Body, "poison");
            await sqs(new sdk.DeleteMessageCommand({ QueueUrl: source, ReceiptHandle: redriven.ReceiptHandle }));
            assert.equal(await count(source), 0);
            assert.equal(await count(dlq), 0);
        });

        it("a FIFO queue keeps each message group in order and drops duplicates", async () => {
            const url = await createQueue(`${queueName("orders")}.fifo`, { FifoQueue: "true", ContentBasedDeduplication: "true" });
            const entries = [];
            for (const group of ["customer-a", "customer-b"]) {
                for (let n = 1; n <= 3; n++) {
                    entries.push({ Id: `${group}-${n}`, MessageBody: `${group} step ${n}`, MessageGroupId: group });
                }
            }
            const batch = await sqs(new sdk.SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
            assert.equal(batch.Successful.length, 6);
            assert.ok(batch.Successful.every((e) => /^\d+$/.test(e.SequenceNumber)), "SequenceNumber on every entry");
            // Content-based deduplication: the same body again within 5 minutes is accepted but not delivered.
            await sqs(new sdk.SendMessageCommand({ QueueUrl: url, MessageBody: "customer-a step 1", MessageGroupId: "customer-a" }));

            const seen = { "customer-a": [], "customer-b": [] };
            for (let i = 0; i < 10 && seen["customer-a"].length + seen["customer-b"].length < 6; i++) {
                const messages = await receive(url, systemAttributes(["MessageGroupId", "SequenceNumber"]));
                for (const m of messages) {
                    seen[m.Attributes.MessageGroupId].push(m.Body);
                }
                if (messages.length > 0) {
                    await sqs(new sdk.DeleteMessageBatchCommand({
                        QueueUrl: url, Entries: messages.map((m, j) => ({ Id: `m${j}`, ReceiptHandle: m.ReceiptHandle })),
                    }));
                }
            }
            assert.deepEqual(seen["customer-a"], ["customer-a step 1", "customer-a step 2", "customer-a step 3"]);
            assert.deepEqual(seen["customer-b"], ["customer-b step 1", "customer-b step 2", "customer-b step 3"]);
            assert.equal(await count(url), 0);
        });

        it("reports a missing queue as QueueDoesNotExist with status 400", async () => {
            await assert.rejects(sqs(new sdk.GetQueueUrlCommand({ QueueName: queueName("missing") })), (error) => {
                assert.equal(error.name, "QueueDoesNotExist");
                assert.equal(error.$metadata.httpStatusCode, 400);
                return true;
            });
        });

        it("reports a made-up receipt handle as ReceiptHandleIsInvalid with status 404", async () => {
            const url = await createQueue(queueName("handles"));
            // SQS model: ReceiptHandleIsInvalid carries HTTP 404 (botocore's service-2.json, awsQueryError).
            await assert.rejects(sqs(new sdk.DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: "not-a-receipt-handle" })), (error) => {
                assert.equal(error.name, "ReceiptHandleIsInvalid");
                assert.equal(error.$metadata.httpStatusCode, 404);
                return true;
            });
        });

        it(`sent every request above as ${contentType}`, () => {
            assert.deepEqual([...contentTypes], [contentType]);
        });
    });
}

function newClient(sdk, endpoint, contentTypes) {
    const client = new sdk.SQSClient({
        endpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
        maxAttempts: 1,
    });
    client.middlewareStack.add(
        (next) => async (args) => {
            contentTypes.add(args.request.headers["content-type"]);
            return next(args);
        },
        { step: "finalizeRequest", name: "recordContentType" },
    );
    return client;
}
