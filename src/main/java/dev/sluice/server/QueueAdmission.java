package dev.sluice.server;

import dev.sluice.api.AwsErrors;
import dev.sluice.api.AwsException;
import dev.sluice.api.Caller;
import dev.sluice.api.Params;
import dev.sluice.protocol.SqsEndpoint;
import dev.sluice.queues.QueueKey;
import dev.sluice.quota.Quotas;
import dev.sluice.quota.Throttle;

/**
 * The per-queue quotas (a queue's own request rate, SQS's FIFO throughput), checked once a request is decoded, as only
 * then is the queue it names known (JSON 1.0 requests name it in the body), and before its action touches the queue.
 * A request that names no queue, or names it so badly that the action will refuse it, is left to the action.
 */
final class QueueAdmission implements SqsEndpoint.Admission {
    private final Quotas quotas;
    private final ThrottledRequests throttled;

    QueueAdmission(Quotas quotas, ThrottledRequests throttled) {
        this.quotas = quotas;
        this.throttled = throttled;
    }

    @Override
    public void admit(String action, Caller caller, Params params) {
        if (!quotas.checksQueues()) {
            return;
        }
        QueueKey queue;
        try {
            String url = params.string("QueueUrl");
            if (url == null && caller.pathQueueUrl() == null) {
                return;
            }
            queue = caller.queueKey(url);
        } catch (RuntimeException e) {
            return;
        }
        long now = System.nanoTime();
        Throttle throttle = quotas.checkQueue(
                queue.accountId(), queue.region(), queue.name(), action, quotas.account(caller.accountId(), now), now);
        if (throttle != null) {
            throttled.record(caller.accountId(), action, throttle.limit());
            throw new AwsException(AwsErrors.REQUEST_THROTTLED, throttle.message());
        }
    }
}
