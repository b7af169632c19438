package dev.sluice.auth;

import java.util.Arrays;

/**
 * A JMH-free measurement of what a cross-account request's policy check costs: the policy looked up by its text (as
 * {@code TenantAccess} does), a request context made, the policy evaluated; N times in a loop, three runs after a
 * warm-up, for a grant as AddPermission writes it, a policy with conditions, and issue 16's wildcard attack on an
 * 80-character queue name. Prints ns/op of each and the median. Run by hand:
 * {@code java -cp target/classes:target/test-classes:<test class path> dev.sluice.auth.CompiledPolicyCost}.
 */
public final class CompiledPolicyCost {
    private static final String QUEUE = "arn:aws:sqs:us-east-1:111111111111:";

    private CompiledPolicyCost() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        String grant = "{\"Version\":\"2008-10-17\",\"Id\":\"" + QUEUE + "orders/SQSDefaultPolicy\",\"Statement\":[{"
                + "\"Sid\":\"b-sends\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::222222222222:root\"},"
                + "\"Action\":\"SQS:SendMessage\",\"Resource\":\"" + QUEUE + "orders\"}]}";
        String conditions = "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[\"sqs:SendMessage\",\"sqs:ReceiveMessage\"],"
                + "\"Resource\":\"" + QUEUE + "orders\",\"Condition\":{"
                + "\"StringEquals\":{\"aws:PrincipalAccount\":[\"222222222222\",\"333333333333\"]},"
                + "\"IpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\",\"127.0.0.0/8\"]}}},"
                + "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"sqs:*\",\"Resource\":\"*\","
                + "\"Condition\":{\"DateGreaterThan\":{\"aws:CurrentTime\":\"2030-01-01T00:00:00Z\"}}}]}";
        String attack = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\","
                + "\"Resource\":\"arn:aws:sqs:*a*a*a*a*a*a*X\"}]}";
        String eightyAs = "a".repeat(80);

        measure("AddPermission grant", grant, QUEUE + "orders", n);
        measure("conditions", conditions, QUEUE + "orders", n);
        measure("7-wildcard attack", attack, QUEUE + eightyAs, n);
    }

    private static void measure(String name, String policy, String arn, int n) {
        CompiledPolicy.validate(policy);
        CompiledPolicies policies = new CompiledPolicies();
        run(policies, policy, arn, n);
        double[] nsPerOp = new double[3];
        for (int i = 0; i < 3; i++) {
            nsPerOp[i] = run(policies, policy, arn, n);
        }
        Arrays.sort(nsPerOp);
        System.out.printf(
                "%s: runs %.0f / %.0f / %.0f ns/op, median %.0f ns/op%n",
                name, nsPerOp[0], nsPerOp[1], nsPerOp[2], nsPerOp[1]);
    }

    private static double run(CompiledPolicies policies, String policy, String arn, int n) {
        long started = System.nanoTime();
        int allowed = 0;
        for (int i = 0; i < n; i++) {
            RequestContext request =
                    new RequestContext("222222222222", "SendMessage", arn, "127.0.0.1", false, 1_780_000_000_000L + i);
            if (policies.of(policy).allows(request)) {
                allowed++;
            }
        }
        long elapsed = System.nanoTime() - started;
        if (allowed != 0 && allowed != n) {
            throw new IllegalStateException("the same request was decided two ways");
        }
        return (double) elapsed / n;
    }
}
