package dev.sluice.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Without an admin token, in the open auth mode and on the system clock, the admin API does not exist. */
@QuarkusTest
class AdminApiOffTest {

    @Test
    void everyAdminPathIsA404WithProblemDetails() {
        for (String path : new String[] {"/admin/tenants", "/admin/queues", "/admin/clock", "/admin/session"}) {
            given().header("Authorization", "Bearer anything")
                    .get(path)
                    .then()
                    .statusCode(404)
                    .contentType("application/problem+json")
                    .body("code", equalTo("AdminApiDisabled"));
        }
    }

    @Test
    void theSqsSurfaceStillAnswersBesideIt() {
        given().contentType("application/x-www-form-urlencoded")
                .formParam("Action", "ListQueues")
                .post("/")
                .then()
                .statusCode(200);
    }
}
