package dev.sluice.auth;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The condition keys a queue policy may test: the global keys of the IAM User Guide ("AWS global condition context
 * keys") that a request to Sluice has a value for, and those SQS policies commonly test that it never has (a tenant
 * is no AWS service, VPC endpoint or organization member), which are absent, so conditions on them behave as on AWS
 * for a request without them. Key names are case-insensitive, as in IAM.
 */
enum ConditionKey {
    SOURCE_ARN("aws:SourceArn"),
    SOURCE_ACCOUNT("aws:SourceAccount"),
    SOURCE_IP("aws:SourceIp"),
    SECURE_TRANSPORT("aws:SecureTransport"),
    CURRENT_TIME("aws:CurrentTime"),
    EPOCH_TIME("aws:EpochTime"),
    PRINCIPAL_ACCOUNT("aws:PrincipalAccount"),
    PRINCIPAL_ARN("aws:PrincipalArn"),
    PRINCIPAL_TYPE("aws:PrincipalType"),
    PRINCIPAL_IS_AWS_SERVICE("aws:PrincipalIsAWSService"),
    VIA_AWS_SERVICE("aws:ViaAWSService"),
    PRINCIPAL_ORG_ID("aws:PrincipalOrgID"),
    SOURCE_OWNER("aws:SourceOwner"),
    SOURCE_ORG_ID("aws:SourceOrgID"),
    SOURCE_VPC("aws:SourceVpc"),
    SOURCE_VPCE("aws:SourceVpce");

    private static final Map<String, ConditionKey> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(key -> key.name.toLowerCase(Locale.ROOT), Function.identity()));

    private final String name;

    ConditionKey(String name) {
        this.name = name;
    }

    static ConditionKey named(String name) {
        ConditionKey key = BY_NAME.get(name.toLowerCase(Locale.ROOT));
        if (key == null) {
            throw new InvalidPolicyException("Condition key " + name + " is not supported.");
        }
        return key;
    }

    /** Whether the operators of the family can test this key (string operators and Null test any key). */
    boolean testableBy(ConditionOperator.Family family) {
        return switch (family) {
            case STRING, NULL -> true;
            case NUMERIC -> this == EPOCH_TIME;
            case DATE -> this == CURRENT_TIME || this == EPOCH_TIME;
            case BOOL -> this == SECURE_TRANSPORT || this == PRINCIPAL_IS_AWS_SERVICE || this == VIA_AWS_SERVICE;
            case IP -> this == SOURCE_IP;
            case ARN -> this == SOURCE_ARN || this == PRINCIPAL_ARN;
        };
    }

    boolean present(RequestContext request) {
        return switch (this) {
            case SOURCE_ARN, SOURCE_ACCOUNT, SOURCE_OWNER, SOURCE_ORG_ID, PRINCIPAL_ORG_ID, SOURCE_VPC, SOURCE_VPCE ->
                false;
            case SOURCE_IP -> request.sourceAddress() != null;
            default -> true;
        };
    }

    /** The key's value as string operators see it; only called when the key is present. */
    String text(RequestContext request) {
        return switch (this) {
            case SOURCE_IP -> request.sourceIp();
            case SECURE_TRANSPORT -> String.valueOf(request.secureTransport());
            case CURRENT_TIME ->
                Instant.ofEpochMilli(request.epochMillis())
                        .truncatedTo(ChronoUnit.SECONDS)
                        .toString();
            case EPOCH_TIME -> String.valueOf(epochSeconds(request));
            case PRINCIPAL_ACCOUNT -> request.principalAccount();
            // A tenant acts as its account, whose root is the principal.
            case PRINCIPAL_ARN -> "arn:aws:iam::" + request.principalAccount() + ":root";
            case PRINCIPAL_TYPE -> "Account";
            // A tenant is no AWS service, nor does one act for it.
            case PRINCIPAL_IS_AWS_SERVICE, VIA_AWS_SERVICE -> "false";
            case SOURCE_ARN, SOURCE_ACCOUNT, SOURCE_OWNER, SOURCE_ORG_ID, PRINCIPAL_ORG_ID, SOURCE_VPC, SOURCE_VPCE ->
                null;
        };
    }

    /** The request time in the key's resolution: milliseconds for aws:CurrentTime, whole seconds for aws:EpochTime. */
    long epochMillis(RequestContext request) {
        return this == EPOCH_TIME ? epochSeconds(request) * 1000 : request.epochMillis();
    }

    static long epochSeconds(RequestContext request) {
        return Math.floorDiv(request.epochMillis(), 1000);
    }

    @Override
    public String toString() {
        return name;
    }
}
