package dev.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.queues.QueueKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallerTest {
    private final Caller caller = new Caller("000000000000", "http://localhost:9324", null, "us-east-1");

    @Test
    void plainQueueUrlsResolveWithoutUriParse() {
        assertThat(Caller.plainQueueKey("http://localhost:9324/000000000000/jobs", "us-east-1"))
                .isEqualTo(new QueueKey("us-east-1", "000000000000", "jobs"));
        assertThat(Caller.plainQueueKey("https://sqs.example:443/111111111111/orders.fifo", "us-east-1"))
                .isEqualTo(new QueueKey("us-east-1", "111111111111", "orders.fifo"));
    }

    @Test
    void plainPathAgreesWithUriParse() {
        List<String> urls = List.of(
                "http://localhost:9324/000000000000/jobs",
                "http://127.0.0.1:41227/000000000000/w",
                "http://[::1]:9324/000000000000/q-1_x",
                "http://user@host:1/a/b",
                "http://host:80:80/a/b",
                "http://host_name/a/b",
                "https://h/a/b.fifo",
                "http://h/a/b/",
                "http://h//a/b",
                "http://h/a//b",
                "http://h/a/b/c",
                "http://h/a",
                "http://h/",
                "http://h",
                "http:///a/b",
                "http://h?x=/a/b",
                "http://h#f/a/b",
                "http://h/a/b?x=1",
                "http://h/a/b#f",
                "http://h/a%20/b",
                "http://h/a/b%2F",
                "http://h/a b/c",
                "http://h h/a/b",
                "ht tp://h/a/b",
                "1http://h/a/b",
                "://h/a/b",
                "a/b://h/c/d",
                "x:/y://h/a/b",
                "http://h:port/a/b",
                "http://h/ä/b",
                "/000000000000/jobs",
                "http://localhost:9324/eu-west-1/000000000000/jobs",
                "http://localhost:9324/us-east-1/000000000000/jobs",
                "http://h/us-gov-west-1/a/b",
                "http://h/eu-west-1/a/b/",
                "http://h//eu-west-1/a/b",
                "http://h/eu-west-1//a/b",
                "http://h/not-a-region/a/b",
                "http://h/EU-WEST-1/a/b",
                "http://h/eu-west-1/x/a/b",
                "http://h/eu_west_1/a/b",
                "jobs");
        for (String url : urls) {
            QueueKey plain = Caller.plainQueueKey(url, "us-east-1");
            if (plain != null) {
                assertThat(plain).as(url).isEqualTo(caller.queueKeyByUri(url));
            }
        }
    }

    @Test
    void urlsThatAreNotPlainStillGetTheirAnswer() {
        assertThat(caller.queueKey("http://h/a/b/")).isEqualTo(new QueueKey("us-east-1", "a", "b"));
        assertThat(caller.queueKey("jobs")).isEqualTo(new QueueKey("us-east-1", "000000000000", "jobs"));
        assertThatThrownBy(() -> caller.queueKey("http://h/a/b/c")).isInstanceOf(AwsException.class);
        assertThatThrownBy(() -> caller.queueKey("http://h h/a/b")).isInstanceOf(AwsException.class);
    }

    @Test
    void regionUrlsNameTheirRegionAndDefaultRegionUrlsKeepTheirForm() {
        assertThat(Caller.plainQueueKey("http://localhost:9324/eu-west-1/000000000000/jobs", "us-east-1"))
                .isEqualTo(new QueueKey("eu-west-1", "000000000000", "jobs"));
        assertThat(Caller.plainQueueKey("http://localhost:9324/000000000000/jobs", "us-east-1"))
                .isEqualTo(new QueueKey("us-east-1", "000000000000", "jobs"));
        assertThat(Caller.plainQueueKey("http://localhost:9324/us-east-1/000000000000/jobs", "us-east-1"))
                .isEqualTo(new QueueKey("us-east-1", "000000000000", "jobs"));
        assertThat(Caller.plainQueueKey("http://h/not-a-region/a/b", "us-east-1"))
                .isNull();
        assertThatThrownBy(() -> caller.queueKey("http://h/not-a-region/a/b")).isInstanceOf(AwsException.class);
        assertThat(caller.queueKey("http://h/ap-south-2/a/b/")).isEqualTo(new QueueKey("ap-south-2", "a", "b"));

        assertThat(caller.queueUrl(new QueueKey("us-east-1", "000000000000", "jobs")))
                .isEqualTo("http://localhost:9324/000000000000/jobs");
        assertThat(caller.queueUrl(new QueueKey("eu-west-1", "000000000000", "jobs")))
                .isEqualTo("http://localhost:9324/eu-west-1/000000000000/jobs");
        assertThat(caller.queueArn(new QueueKey("eu-west-1", "000000000000", "jobs")))
                .isEqualTo("arn:aws:sqs:eu-west-1:000000000000:jobs");
    }

    @Test
    void aSignedRequestReachesOnlyItsRegionAnUnsignedOneFollowsTheUrl() {
        Caller signed = new Caller(
                "000000000000", "http://h", null, "eu-west-1", "us-east-1", null, false, QueueAccess.ANY, null);
        Caller unsigned =
                new Caller("000000000000", "http://h", null, null, "us-east-1", null, false, QueueAccess.ANY, null);

        assertThat(signed.region()).isEqualTo("eu-west-1");
        assertThat(unsigned.region()).isEqualTo("us-east-1");
        assertThat(signed.queueKey("jobs")).isEqualTo(new QueueKey("eu-west-1", "000000000000", "jobs"));
        assertThat(signed.reaches(new QueueKey("eu-west-1", "000000000000", "jobs")))
                .isTrue();
        assertThat(signed.reaches(new QueueKey("us-east-1", "000000000000", "jobs")))
                .isFalse();
        assertThat(unsigned.reaches(new QueueKey("eu-west-1", "000000000000", "jobs")))
                .isTrue();
        assertThatThrownBy(() -> signed.withQueue("http://h/000000000000/jobs", key -> null))
                .isInstanceOfSatisfying(
                        dev.sluice.queues.QueueException.class,
                        e -> assertThat(e.error()).isEqualTo(dev.sluice.queues.QueueError.QUEUE_NOT_FOUND));
        assertThat(unsigned.<QueueKey>withQueue(
                                "http://h/eu-west-1/000000000000/jobs",
                                key -> java.util.concurrent.CompletableFuture.completedFuture(key))
                        .toCompletableFuture()
                        .join())
                .isEqualTo(new QueueKey("eu-west-1", "000000000000", "jobs"));
    }
}
