package dev.sluice.server;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Built with {@code quarkus.management.enabled=true}, /q/metrics is served by the management interface only, while
 * health and the SQS API stay on the main port (README, "Metrics on a separate interface").
 */
@QuarkusTest
@TestProfile(ManagementInterfaceTest.Enabled.class)
class ManagementInterfaceTest {
    public static final class Enabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.management.enabled", "true");
        }
    }

    /** The management interface's root is /q already. */
    @TestHTTPResource(value = "/metrics", management = true)
    URL managementMetrics;

    @TestHTTPResource("/q/metrics")
    URL mainMetrics;

    @Test
    void metricsMoveToTheManagementInterfaceAndHealthStays() {
        given().get(managementMetrics).then().statusCode(200).body(containsString("sluice_request_body_bytes"));
        given().get(mainMetrics).then().statusCode(404);
        given().get("/q/health/ready").then().statusCode(200);
    }
}
