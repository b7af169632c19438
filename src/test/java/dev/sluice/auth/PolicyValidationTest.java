package dev.sluice.auth;

import static dev.sluice.auth.CompiledPolicyTest.ANYONE;
import static dev.sluice.auth.CompiledPolicyTest.ARN;
import static dev.sluice.auth.CompiledPolicyTest.B;
import static dev.sluice.auth.CompiledPolicyTest.C;
import static dev.sluice.auth.CompiledPolicyTest.SEND;
import static dev.sluice.auth.CompiledPolicyTest.document;
import static dev.sluice.auth.CompiledPolicyTest.principal;
import static dev.sluice.auth.CompiledPolicyTest.statement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which policies a queue accepts: SQS's policy quotas, and the refusal of anything Sluice would not evaluate as AWS
 * does (never silently widened); and how a policy stored before these rules is read (fail closed).
 */
class PolicyValidationTest {
    private static RequestContext bSends() {
        return new RequestContext(B, "SendMessage", ARN, "127.0.0.1", false, 0);
    }

    private static String withCondition(String condition) {
        return document(statement("Allow", ANYONE, SEND, condition));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("not JSON", "{\"Statement\":", "not a JSON object"),
                Arguments.of("a list", "[]", "not a JSON object"),
                Arguments.of("no Statement", "{\"Version\":\"2012-10-17\"}", "must contain a Statement"),
                Arguments.of("unknown version", "{\"Version\":\"2020-01-01\",\"Statement\":[]}", "Version"),
                Arguments.of("unknown top-level element", "{\"Statement\":[],\"Extra\":1}", "Extra"),
                Arguments.of(
                        "misspelt element",
                        document("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\","
                                + "\"Conditon\":{}}"),
                        "Conditon"),
                Arguments.of(
                        "duplicate key",
                        document("{\"Effect\":\"Deny\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\","
                                + "\"Resource\":\"*\"}"),
                        "not a JSON object"),
                Arguments.of("lower-case effect", document(statement("allow", ANYONE, SEND, null)), "Effect"),
                Arguments.of(
                        "no principal",
                        document("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}"),
                        "Principal and NotPrincipal"),
                Arguments.of(
                        "both principal forms",
                        document("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"NotPrincipal\":\"*\",\"Action\":\"*\","
                                + "\"Resource\":\"*\"}"),
                        "Principal and NotPrincipal"),
                Arguments.of(
                        "no resource",
                        document("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\"}"),
                        "Resource and NotResource"),
                Arguments.of(
                        "wildcard in an account principal",
                        document(statement("Allow", principal("arn:aws:iam::*:root"), SEND, null)),
                        "not an account id"),
                Arguments.of(
                        "unknown principal type",
                        document(statement("Allow", "\"Principal\":{\"Robot\":\"x\"}", SEND, null)),
                        "Robot"),
                Arguments.of(
                        "action without service",
                        document(statement("Allow", ANYONE, "\"Action\":\"SendMessage\"", null)),
                        "service:action"),
                Arguments.of(
                        "resource that is no ARN",
                        document("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"orders\"}"),
                        "not an ARN"),
                Arguments.of(
                        "unknown operator",
                        withCondition("{\"StringMatches\":{\"aws:SourceIp\":\"x\"}}"),
                        "StringMatches"),
                Arguments.of(
                        "binary operator",
                        withCondition("{\"BinaryEquals\":{\"aws:SourceIp\":\"eA==\"}}"),
                        "BinaryEquals"),
                Arguments.of(
                        "Null with IfExists",
                        withCondition("{\"NullIfExists\":{\"aws:SourceIp\":\"true\"}}"),
                        "NullIfExists"),
                Arguments.of(
                        "unknown key",
                        withCondition("{\"StringEquals\":{\"aws:username\":\"alice\"}}"),
                        "aws:username"),
                Arguments.of(
                        "service key", withCondition("{\"StringEquals\":{\"sqs:QueueName\":\"x\"}}"), "sqs:QueueName"),
                Arguments.of(
                        "operator that cannot test the key",
                        withCondition("{\"IpAddress\":{\"aws:SourceArn\":\"10.0.0.0/8\"}}"),
                        "cannot test"),
                Arguments.of("bad CIDR", withCondition("{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/33\"}}"), "CIDR"),
                Arguments.of(
                        "host name for an address",
                        withCondition("{\"IpAddress\":{\"aws:SourceIp\":\"localhost\"}}"),
                        "CIDR"),
                Arguments.of(
                        "bad date", withCondition("{\"DateLessThan\":{\"aws:CurrentTime\":\"tomorrow\"}}"), "date"),
                Arguments.of(
                        "bad number", withCondition("{\"NumericLessThan\":{\"aws:EpochTime\":\"NaN\"}}"), "number"),
                Arguments.of(
                        "bad boolean", withCondition("{\"Bool\":{\"aws:SecureTransport\":\"yes\"}}"), "true or false"),
                Arguments.of("empty condition", withCondition("{}"), "Condition"),
                Arguments.of(
                        "object as a condition value",
                        withCondition("{\"StringEquals\":{\"aws:PrincipalAccount\":{\"a\":1}}}"),
                        "must be a string"),
                Arguments.of(
                        "policy variable",
                        document("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":"
                                + "\"arn:aws:sqs:*:${aws:PrincipalAccount}:*\"}"),
                        "Policy variables"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedWithItsReason(String description, String policy, String reason) {
        assertThatThrownBy(() -> CompiledPolicy.validate(policy))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void policyVariablesAreTextBeforeVersion2012() {
        String resource = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"%s\"}";

        assertThat(CompiledPolicy.validate("{\"Version\":\"2008-10-17\",\"Statement\":["
                                + resource.formatted("arn:aws:sqs:*:${x}:*") + "]}")
                        .allows(bSends()))
                .isFalse();
    }

    @Test
    void sqsPolicyQuotasAreEnforcedToTheByte() {
        String small = document(statement("Allow", ANYONE, SEND, null));
        String atLimit =
                small.replace("{\"Version\"", "{\"Id\":\"" + "x".repeat(8_192 - small.length() - 8) + "\",\"Version\"");
        assertThat(atLimit).hasSize(8_192);
        assertThat(CompiledPolicy.validate(atLimit).allows(bSends())).isTrue();
        assertThatThrownBy(() -> CompiledPolicy.validate(atLimit.replace("\"Id\":\"x", "\"Id\":\"xx")))
                .hasMessageContaining("8192 bytes");
        assertThatThrownBy(() -> CompiledPolicy.validate(atLimit.replace("\"Id\":\"x", "\"Id\":\"é")))
                .as("bytes, not characters")
                .hasMessageContaining("8192 bytes");

        String statement = statement("Allow", principal(B), SEND, null);
        CompiledPolicy.validate(document(Collections.nCopies(20, statement).toArray(String[]::new)));
        assertThatThrownBy(() -> CompiledPolicy.validate(
                        document(Collections.nCopies(21, statement).toArray(String[]::new))))
                .hasMessageContaining("20 statements");

        String[] fifty = IntStream.range(0, 50)
                .mapToObj(i -> "1000000000%02d".formatted(i))
                .toArray(String[]::new);
        String[] fiftyOne = IntStream.range(0, 51)
                .mapToObj(i -> "1000000000%02d".formatted(i))
                .toArray(String[]::new);
        CompiledPolicy.validate(document(statement("Allow", principal(fifty), SEND, null)));
        assertThatThrownBy(() -> CompiledPolicy.validate(document(statement("Allow", principal(fiftyOne), SEND, null))))
                .hasMessageContaining("50 principals");

        String ten = conditions(10);
        CompiledPolicy.validate(withCondition(ten));
        assertThatThrownBy(() -> CompiledPolicy.validate(withCondition(conditions(11))))
                .hasMessageContaining("10 conditions");
    }

    /** n conditions, each an IpAddress on a different operator spelling so the JSON keys stay distinct. */
    private static String conditions(int n) {
        String[] operators = {
            "IpAddress", "IpAddressIfExists", "ForAnyValue:IpAddress", "ForAllValues:IpAddress",
            "ForAnyValue:IpAddressIfExists", "ForAllValues:IpAddressIfExists", "NotIpAddress", "NotIpAddressIfExists",
            "ForAnyValue:NotIpAddress", "ForAllValues:NotIpAddress", "ForAllValues:NotIpAddressIfExists"
        };
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "" : ",")
                    .append('"')
                    .append(operators[i])
                    .append("\":{\"aws:SourceIp\":\"")
                    .append(i < 6 ? "127.0.0.1/32" : "10.0.0.0/8")
                    .append("\"}");
        }
        return json.append('}').toString();
    }

    @Test
    void aPatternMayHoldAtMostTenStars() {
        String tenStars = "arn:aws:sqs:*:*:" + "*o".repeat(8);
        String resource = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"%s\"}";

        CompiledPolicy.validate(document(resource.formatted(tenStars)));
        assertThatThrownBy(() -> CompiledPolicy.validate(document(resource.formatted(tenStars + "*"))))
                .hasMessageContaining("more than 10 wildcards");
        assertThatThrownBy(() -> CompiledPolicy.validate(
                        withCondition("{\"StringLike\":{\"aws:PrincipalArn\":\"" + "*".repeat(11) + "\"}}")))
                .hasMessageContaining("more than 10 wildcards");
    }

    @Test
    void aStoredStatementThatCannotBeEvaluatedFailsClosed() {
        String badCondition = "{\"StringMatches\":{\"aws:SourceIp\":\"x\"}}";
        String allowB = statement("Allow", principal(B), SEND, null);

        assertThat(CompiledPolicy.ofStored(document(allowB, statement("Allow", ANYONE, SEND, badCondition)))
                        .allows(bSends()))
                .as("an unreadable Allow grants nothing")
                .isTrue();
        assertThat(CompiledPolicy.ofStored(document(statement("Allow", principal(C), SEND, badCondition)))
                        .allows(new RequestContext(C, "SendMessage", ARN, null, false, 0)))
                .isFalse();
        assertThat(CompiledPolicy.ofStored(document(allowB, statement("Deny", principal(C), SEND, badCondition)))
                        .allows(bSends()))
                .as("an unreadable Deny denies everyone")
                .isFalse();
        assertThat(CompiledPolicy.ofStored("not json").allows(bSends())).isFalse();
        assertThat(CompiledPolicy.ofStored("").allows(bSends())).isFalse();
        // Quotas are for policies being set: a stored policy beyond them still grants what it says.
        assertThat(CompiledPolicy.ofStored(
                                document(Collections.nCopies(25, allowB).toArray(String[]::new)))
                        .allows(bSends()))
                .isTrue();
    }

    @Test
    void compiledPoliciesAreReadOncePerText() {
        CompiledPolicies policies = new CompiledPolicies();
        String text = document(statement("Allow", principal(B), SEND, null));

        assertThat(policies.of(text)).isSameAs(policies.of(text));
        assertThat(policies.of(new String(text))).isSameAs(policies.of(text));
        assertThat(policies.of(null)).isSameAs(CompiledPolicy.NONE);
        assertThat(policies.of(text).allows(bSends())).isTrue();
    }
}
