package dev.sluice.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a queue policy grants: IAM's evaluation logic (explicit deny wins, then allow, else denied), the Not* elements,
 * and each condition operator with its IfExists and set-operator forms, against request facts made up here.
 */
class CompiledPolicyTest {
    static final String ARN = "arn:aws:sqs:us-east-1:111111111111:orders";
    static final String B = "222222222222";
    static final String C = "333333333333";
    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private static RequestContext request(String account, String action) {
        return new RequestContext(account, action, ARN, "127.0.0.1", false, NOW.toEpochMilli());
    }

    private static RequestContext from(String sourceIp, boolean tls) {
        return new RequestContext(B, "SendMessage", ARN, sourceIp, tls, NOW.toEpochMilli());
    }

    /** A 2012-10-17 policy of the statements. */
    static CompiledPolicy policy(String... statements) {
        return CompiledPolicy.validate(document(statements));
    }

    static String document(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    /** A statement on the queue: effect, principal element, action element and optional condition, as JSON. */
    static String statement(String effect, String principal, String action, String condition) {
        return "{\"Effect\":\"" + effect + "\"," + principal + "," + action + ",\"Resource\":\"" + ARN + "\""
                + (condition == null ? "" : ",\"Condition\":" + condition) + "}";
    }

    static String principal(String... accounts) {
        return "\"Principal\":{\"AWS\":["
                + Arrays.stream(accounts).map(a -> "\"" + a + "\"").collect(Collectors.joining(",")) + "]}";
    }

    static final String ANYONE = "\"Principal\":\"*\"";
    static final String ALL_SQS = "\"Action\":\"sqs:*\"";
    static final String SEND = "\"Action\":\"sqs:SendMessage\"";

    /** Whether B may send when anyone may send under the condition. */
    private static boolean bMaySendIf(String condition) {
        return bMaySendIf(condition, request(B, "SendMessage"));
    }

    private static boolean bMaySendIf(String condition, RequestContext request) {
        return policy(statement("Allow", ANYONE, SEND, condition)).allows(request);
    }

    // ---- principals, actions, resources

    @Test
    void aPolicyGrantsItsActionsToItsPrincipalsOnly() {
        CompiledPolicy policy = policy(statement(
                "Allow",
                principal("arn:aws:iam::" + B + ":root", C),
                "\"Action\":[\"sqs:SendMessage\",\"sqs:GetQueueUrl\"]",
                null));

        assertThat(policy.allows(request(B, "SendMessage"))).isTrue();
        assertThat(policy.allows(request(C, "GetQueueUrl"))).isTrue();
        assertThat(policy.allows(request("444444444444", "SendMessage"))).isFalse();
        assertThat(policy.allows(request(B, "ReceiveMessage"))).isFalse();
        assertThat(policy.allows(new RequestContext(B, "SendMessage", ARN + "-dlq", null, false, 0)))
                .isFalse();
        assertThat(CompiledPolicy.NONE.allows(request(B, "SendMessage"))).isFalse();
    }

    @Test
    void aPrincipalNamingAnAccountInAnyFormStandsForItsTenant() {
        for (String form : new String[] {
            B,
            "arn:aws:iam::" + B + ":root",
            "arn:aws:iam::" + B + ":role/app",
            "arn:aws:sts::" + B + ":assumed-role/app/session"
        }) {
            assertThat(policy(statement("Allow", principal(form), SEND, null)).allows(request(B, "SendMessage")))
                    .as(form)
                    .isTrue();
        }
        assertThat(policy(statement("Allow", "\"Principal\":{\"AWS\":\"*\"}", SEND, null))
                        .allows(request(C, "SendMessage")))
                .isTrue();
        assertThat(policy(statement("Allow", "\"Principal\":{\"Service\":\"sns.amazonaws.com\"}", SEND, null))
                        .allows(request(B, "SendMessage")))
                .isFalse();
    }

    @Test
    void actionsMatchWithWildcardsIgnoringCase() {
        for (String action :
                new String[] {"SQS:sendmessage", "sqs:Send*", "*:SendMessage", "sqs:*", "*", "sqs:?endMessage"}) {
            assertThat(policy(statement("Allow", ANYONE, "\"Action\":\"" + action + "\"", null))
                            .allows(request(B, "SendMessage")))
                    .as(action)
                    .isTrue();
        }
        assertThat(policy(statement("Allow", ANYONE, "\"Action\":\"sns:Publish\"", null))
                        .allows(request(B, "SendMessage")))
                .isFalse();
        assertThat(policy(statement("Allow", ANYONE, "\"Action\":\"sqs:Send*Batch\"", null))
                        .allows(request(B, "SendMessage")))
                .isFalse();
    }

    @Test
    void resourcesMatchTheQueueArnCaseSensitively() {
        String anyone = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"%s\"}";

        assertThat(policy(anyone.formatted("*")).allows(request(B, "SendMessage")))
                .isTrue();
        assertThat(policy(anyone.formatted("arn:aws:sqs:*:111111111111:ord*")).allows(request(B, "SendMessage")))
                .isTrue();
        assertThat(policy(anyone.formatted("arn:aws:sqs:us-east-1:111111111111:Orders"))
                        .allows(request(B, "SendMessage")))
                .isFalse();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void issue16sWildcardPolicyIsDecidedAtOnce() {
        // As a regular expression, this Resource against this queue took 24.5 s per request.
        String queue = "arn:aws:sqs:us-east-1:111111111111:" + "a".repeat(80);
        String resource = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"%s\"}";
        CompiledPolicy attack = policy(resource.formatted("arn:aws:sqs:*a*a*a*a*a*a*X"));
        CompiledPolicy grant = policy(resource.formatted("arn:aws:sqs:*:*:*a*a*a*a*a*a*a"));

        for (int i = 0; i < 1_000; i++) {
            RequestContext request = new RequestContext(B, "SendMessage", queue, "127.0.0.1", false, i);
            assertThat(attack.allows(request)).isFalse();
            assertThat(grant.allows(request)).isTrue();
        }
    }

    // ---- evaluation logic and the Not* elements

    @Test
    void anExplicitDenyWinsOverAnyAllow() {
        CompiledPolicy policy = policy(
                statement("Allow", ANYONE, ALL_SQS, null),
                statement("Deny", principal(C), "\"Action\":\"sqs:Purge*\"", null),
                statement("Allow", principal(C), "\"Action\":\"sqs:PurgeQueue\"", null));

        assertThat(policy.allows(request(B, "PurgeQueue"))).isTrue();
        assertThat(policy.allows(request(C, "PurgeQueue"))).isFalse();
        assertThat(policy.allows(request(C, "ReceiveMessage"))).isTrue();
    }

    @Test
    void aDenyWithNotPrincipalLeavesOnlyTheNamedAccounts() {
        // Issue 16: "allow only account B" written as IAM recommends; the Deny used to be ignored.
        CompiledPolicy policy = policy(
                statement("Allow", ANYONE, ALL_SQS, null),
                statement("Deny", "\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::" + B + ":root\"}", ALL_SQS, null));

        assertThat(policy.allows(request(B, "SendMessage"))).isTrue();
        assertThat(policy.allows(request(B, "PurgeQueue"))).isTrue();
        assertThat(policy.allows(request(C, "SendMessage"))).isFalse();
        assertThat(policy.allows(request(C, "ReceiveMessage"))).isFalse();
        assertThat(policy.allows(request(C, "PurgeQueue"))).isFalse();
    }

    @Test
    void anAllowWithNotPrincipalGrantsEveryoneElse() {
        CompiledPolicy policy = policy(statement("Allow", "\"NotPrincipal\":{\"AWS\":\"" + C + "\"}", SEND, null));

        assertThat(policy.allows(request(B, "SendMessage"))).isTrue();
        assertThat(policy.allows(request(C, "SendMessage"))).isFalse();
    }

    @Test
    void notActionCoversEveryOtherAction() {
        CompiledPolicy allowAllButPurge =
                policy(statement("Allow", principal(B), "\"NotAction\":\"sqs:PurgeQueue\"", null));
        CompiledPolicy denyAllButSend = policy(
                statement("Allow", ANYONE, "\"Action\":\"*\"", null),
                statement("Deny", ANYONE, "\"NotAction\":[\"sqs:SendMessage\",\"sqs:GetQueueUrl\"]", null));

        assertThat(allowAllButPurge.allows(request(B, "ReceiveMessage"))).isTrue();
        assertThat(allowAllButPurge.allows(request(B, "PurgeQueue"))).isFalse();
        assertThat(denyAllButSend.allows(request(B, "SendMessage"))).isTrue();
        assertThat(denyAllButSend.allows(request(B, "GetQueueUrl"))).isTrue();
        assertThat(denyAllButSend.allows(request(B, "ReceiveMessage"))).isFalse();
        assertThat(denyAllButSend.allows(request(B, "PurgeQueue"))).isFalse();
    }

    @Test
    void notResourceCoversEveryOtherQueue() {
        String notThisQueue = "{\"Effect\":\"%s\",\"Principal\":\"*\",\"Action\":\"*\",\"NotResource\":\"%s\"}";
        CompiledPolicy allowOthers = policy(notThisQueue.formatted("Allow", ARN));
        CompiledPolicy denyOthers = policy(
                statement("Allow", ANYONE, ALL_SQS, null),
                notThisQueue.formatted("Deny", "arn:aws:sqs:us-east-1:111111111111:other"));

        assertThat(allowOthers.allows(request(B, "SendMessage"))).isFalse();
        assertThat(allowOthers.allows(new RequestContext(B, "SendMessage", ARN + "-2", null, false, 0)))
                .isTrue();
        assertThat(denyOthers.allows(request(B, "SendMessage"))).isFalse();
    }

    // ---- conditions

    @Test
    void stringOperators() {
        assertThat(bMaySendIf("{\"StringEquals\":{\"aws:PrincipalAccount\":\"" + B + "\"}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"StringEquals\":{\"aws:PrincipalAccount\":[\"" + C + "\",\"" + B + "\"]}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"StringEquals\":{\"aws:PrincipalAccount\":\"" + C + "\"}}"))
                .isFalse();
        assertThat(bMaySendIf("{\"StringNotEquals\":{\"aws:PrincipalAccount\":\"" + C + "\"}}"))
                .isTrue();
        // A negated operator with several values holds when none matches.
        assertThat(bMaySendIf("{\"StringNotEquals\":{\"aws:PrincipalAccount\":[\"" + C + "\",\"" + B + "\"]}}"))
                .isFalse();
        assertThat(bMaySendIf("{\"StringEquals\":{\"aws:PrincipalType\":\"account\"}}"))
                .isFalse();
        assertThat(bMaySendIf("{\"StringEqualsIgnoreCase\":{\"aws:PrincipalType\":\"account\"}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"StringNotEqualsIgnoreCase\":{\"aws:PrincipalType\":\"ACCOUNT\"}}"))
                .isFalse();
        assertThat(bMaySendIf("{\"StringLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::2222*:ro?t\"}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"StringLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::3333*\"}}"))
                .isFalse();
        assertThat(bMaySendIf("{\"StringNotLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::3333*\"}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"StringEquals\":{\"aws:SourceIp\":\"127.0.0.1\"}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"StringEquals\":{\"AWS:principalaccount\":\"" + B + "\"}}"))
                .as("key names are case-insensitive")
                .isTrue();
    }

    @Test
    void ipAddressOperatorsTakeCidrRangesOfBothFamilies() {
        assertThat(bMaySendIf("{\"IpAddress\":{\"aws:SourceIp\":\"127.0.0.1/32\"}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"IpAddress\":{\"aws:SourceIp\":\"127.0.0.1\"}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"IpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\",\"127.0.0.0/8\"]}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}"))
                .isFalse();
        assertThat(bMaySendIf("{\"IpAddress\":{\"aws:SourceIp\":\"127.0.0.2/31\"}}"))
                .isFalse();
        assertThat(bMaySendIf("{\"IpAddress\":{\"aws:SourceIp\":\"127.0.0.0/31\"}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"IpAddress\":{\"aws:SourceIp\":\"0.0.0.0/0\"}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"NotIpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"NotIpAddress\":{\"aws:SourceIp\":\"127.0.0.0/8\"}}"))
                .isFalse();
        assertThat(bMaySendIf("{\"IpAddress\":{\"aws:SourceIp\":\"::/0\"}}"))
                .as("an IPv4 request is in no IPv6 range")
                .isFalse();

        String loopback6 = "{\"IpAddress\":{\"aws:SourceIp\":\"::1/128\"}}";
        assertThat(bMaySendIf(loopback6, from("::1", false))).isTrue();
        assertThat(bMaySendIf(loopback6, from("0:0:0:0:0:0:0:1", false))).isTrue();
        assertThat(bMaySendIf(loopback6, from("127.0.0.1", false))).isFalse();
        assertThat(bMaySendIf(
                        "{\"IpAddress\":{\"aws:SourceIp\":\"2001:DB8:1234::/48\"}}", from("2001:db8:1234:5::9", false)))
                .isTrue();
        assertThat(bMaySendIf(
                        "{\"IpAddress\":{\"aws:SourceIp\":\"2001:DB8:1234::/48\"}}", from("2001:db8:1235::9", false)))
                .isFalse();
        assertThat(bMaySendIf("{\"IpAddress\":{\"aws:SourceIp\":\"fe80::/10\"}}", from("fe80:0:0:0:1:2:3:4%lo", false)))
                .isTrue();
        assertThat(bMaySendIf("{\"IpAddress\":{\"aws:SourceIp\":\"127.0.0.0/8\"}}", from("::ffff:127.0.0.1", false)))
                .as("an IPv4-mapped IPv6 source is its IPv4 address")
                .isTrue();
    }

    @Test
    void boolOperator() {
        String overHttp = "{\"Bool\":{\"aws:SecureTransport\":\"false\"}}";

        assertThat(bMaySendIf(overHttp, from("127.0.0.1", false))).isTrue();
        assertThat(bMaySendIf(overHttp, from("127.0.0.1", true))).isFalse();
        assertThat(bMaySendIf("{\"Bool\":{\"aws:SecureTransport\":true}}", from("127.0.0.1", true)))
                .isTrue();
    }

    @Test
    void dateOperatorsCompareTheEngineTime() {
        assertThat(bMaySendIf("{\"DateGreaterThan\":{\"aws:CurrentTime\":\"2026-01-01T00:00:00Z\"}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"DateLessThan\":{\"aws:CurrentTime\":\"2026-01-01T00:00:00Z\"}}"))
                .isFalse();
        assertThat(bMaySendIf("{\"DateLessThan\":{\"aws:CurrentTime\":\"2026-06-02\"}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"DateEquals\":{\"aws:CurrentTime\":\"2026-06-01T14:00:00+02:00\"}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"DateNotEquals\":{\"aws:CurrentTime\":\"2026-06-01T12:00:00Z\"}}"))
                .isFalse();
        long epoch = NOW.getEpochSecond();
        assertThat(bMaySendIf("{\"DateLessThanEquals\":{\"aws:CurrentTime\":\"" + epoch + "\"}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"DateGreaterThanEquals\":{\"aws:EpochTime\":\"" + (epoch + 1) + "\"}}"))
                .isFalse();
        assertThat(bMaySendIf("{\"DateGreaterThan\":{\"aws:CurrentTime\":\"2026-05\"}}"))
                .isTrue();
    }

    @Test
    void numericOperatorsCompareTheEpochTime() {
        long epoch = NOW.getEpochSecond();

        assertThat(bMaySendIf("{\"NumericEquals\":{\"aws:EpochTime\":\"" + epoch + "\"}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"NumericNotEquals\":{\"aws:EpochTime\":" + epoch + "}}"))
                .isFalse();
        assertThat(bMaySendIf("{\"NumericLessThan\":{\"aws:EpochTime\":\"" + (epoch + 1) + "\"}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"NumericLessThan\":{\"aws:EpochTime\":\"" + epoch + "\"}}"))
                .isFalse();
        assertThat(bMaySendIf("{\"NumericLessThanEquals\":{\"aws:EpochTime\":\"" + epoch + "\"}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"NumericGreaterThan\":{\"aws:EpochTime\":\"" + (epoch - 1) + ".5\"}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"NumericGreaterThanEquals\":{\"aws:EpochTime\":\"" + (epoch + 1) + "\"}}"))
                .isFalse();
    }

    @Test
    void arnOperatorsMatchPartByPart() {
        String root = "arn:aws:iam::" + B + ":root";

        assertThat(bMaySendIf("{\"ArnEquals\":{\"aws:PrincipalArn\":\"" + root + "\"}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"ArnLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::*:root\"}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"ArnLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::*:user/*\"}}"))
                .isFalse();
        assertThat(bMaySendIf("{\"ArnNotLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::" + C + ":*\"}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"ArnNotEquals\":{\"aws:PrincipalArn\":\"" + root + "\"}}"))
                .isFalse();
    }

    @Test
    void aKeyTheRequestLacksFailsPositiveOperatorsAndPassesNegatedOnes() {
        // A tenant is no AWS service: aws:SourceArn and aws:SourceAccount are absent, as for a user on AWS.
        assertThat(bMaySendIf("{\"ArnEquals\":{\"aws:SourceArn\":\"arn:aws:sns:us-east-1:" + B + ":topic\"}}"))
                .isFalse();
        assertThat(bMaySendIf("{\"StringEquals\":{\"aws:SourceAccount\":\"" + B + "\"}}"))
                .isFalse();
        assertThat(bMaySendIf("{\"ArnNotEquals\":{\"aws:SourceArn\":\"arn:aws:sns:us-east-1:" + B + ":topic\"}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"StringNotEquals\":{\"aws:SourceVpce\":\"vpce-1a2b3c4d\"}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-abc\"}}"))
                .isFalse();
        assertThat(bMaySendIf("{\"StringEquals\":{\"aws:SourceOwner\":\"" + B + "\"}}"))
                .isFalse();
        assertThat(bMaySendIf("{\"Bool\":{\"aws:PrincipalIsAWSService\":\"true\"}}"))
                .isFalse();
        assertThat(bMaySendIf("{\"Bool\":{\"aws:ViaAWSService\":\"false\"}}")).isTrue();
        assertThat(bMaySendIf("{\"IpAddress\":{\"aws:SourceIp\":\"0.0.0.0/0\"}}", from(null, false)))
                .isFalse();
        assertThat(bMaySendIf("{\"NotIpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}", from(null, false)))
                .isTrue();
    }

    @Test
    void ifExistsHoldsForAMissingKeyAndTestsAPresentOne() {
        assertThat(bMaySendIf("{\"StringEqualsIfExists\":{\"aws:SourceAccount\":\"" + C + "\"}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"ArnLikeIfExists\":{\"aws:SourceArn\":\"arn:aws:sns:*:*:x\"}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"StringEqualsIfExists\":{\"aws:PrincipalAccount\":\"" + C + "\"}}"))
                .isFalse();
        assertThat(bMaySendIf("{\"IpAddressIfExists\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}"))
                .isFalse();
        assertThat(bMaySendIf("{\"IpAddressIfExists\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}", from(null, false)))
                .isTrue();
    }

    @Test
    void nullTestsWhetherAKeyIsAbsent() {
        assertThat(bMaySendIf("{\"Null\":{\"aws:SourceArn\":\"true\"}}")).isTrue();
        assertThat(bMaySendIf("{\"Null\":{\"aws:SourceArn\":\"false\"}}")).isFalse();
        assertThat(bMaySendIf("{\"Null\":{\"aws:SourceIp\":\"false\"}}")).isTrue();
        assertThat(bMaySendIf("{\"Null\":{\"aws:SourceIp\":true}}")).isFalse();
    }

    @Test
    void setOperatorsOverASingleValuedKey() {
        assertThat(bMaySendIf("{\"ForAnyValue:StringEquals\":{\"aws:PrincipalAccount\":[\"" + B + "\"]}}"))
                .isTrue();
        assertThat(bMaySendIf(
                        "{\"ForAllValues:StringEquals\":{\"aws:PrincipalAccount\":[\"" + B + "\",\"" + C + "\"]}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"ForAllValues:StringLike\":{\"aws:PrincipalAccount\":\"3*\"}}"))
                .isFalse();
        assertThat(bMaySendIf("{\"ForAnyValue:StringNotEquals\":{\"aws:PrincipalAccount\":\"" + C + "\"}}"))
                .isTrue();
        // A missing key: ForAllValues holds (nothing fails it), ForAnyValue does not (nothing matches).
        assertThat(bMaySendIf("{\"ForAllValues:StringEquals\":{\"aws:SourceAccount\":\"" + C + "\"}}"))
                .isTrue();
        assertThat(bMaySendIf("{\"ForAnyValue:StringEquals\":{\"aws:SourceAccount\":\"" + C + "\"}}"))
                .isFalse();
        assertThat(bMaySendIf("{\"ForAnyValue:StringNotEquals\":{\"aws:SourceAccount\":\"" + C + "\"}}"))
                .isFalse();
    }

    @Test
    void everyConditionOfAStatementMustHold() {
        String both = "{\"StringEquals\":{\"aws:PrincipalAccount\":\"" + B + "\"},"
                + "\"IpAddress\":{\"aws:SourceIp\":\"127.0.0.1/32\"},"
                + "\"Bool\":{\"aws:SecureTransport\":\"true\"}}";

        assertThat(bMaySendIf(both, from("127.0.0.1", true))).isTrue();
        assertThat(bMaySendIf(both, from("127.0.0.1", false))).isFalse();
        assertThat(bMaySendIf(both, from("127.0.0.2", true))).isFalse();
    }

    @Test
    void aDenyWithAConditionDeniesOnlyWhenItHolds() {
        CompiledPolicy policy = policy(
                statement("Allow", principal(B), ALL_SQS, null),
                statement("Deny", ANYONE, ALL_SQS, "{\"Bool\":{\"aws:SecureTransport\":\"false\"}}"));

        assertThat(policy.allows(from("127.0.0.1", true))).isTrue();
        assertThat(policy.allows(from("127.0.0.1", false))).isFalse();
    }
}
