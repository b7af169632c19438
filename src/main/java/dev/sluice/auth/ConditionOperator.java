package dev.sluice.auth;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The condition operators Sluice evaluates, without their {@code ...IfExists} suffix and {@code ForAnyValue:} /
 * {@code ForAllValues:} prefix (IAM User Guide, "IAM JSON policy elements: Condition operators"). The binary operators
 * are left out: no key Sluice knows holds binary data. A negated operator holds when the request's value matches none
 * of the policy's values.
 */
enum ConditionOperator {
    STRING_EQUALS("StringEquals", Family.STRING, false, Comparison.EQUAL),
    STRING_NOT_EQUALS("StringNotEquals", Family.STRING, true, Comparison.EQUAL),
    STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", Family.STRING, false, Comparison.EQUAL_IGNORING_CASE),
    STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", Family.STRING, true, Comparison.EQUAL_IGNORING_CASE),
    STRING_LIKE("StringLike", Family.STRING, false, Comparison.LIKE),
    STRING_NOT_LIKE("StringNotLike", Family.STRING, true, Comparison.LIKE),
    NUMERIC_EQUALS("NumericEquals", Family.NUMERIC, false, Comparison.EQUAL),
    NUMERIC_NOT_EQUALS("NumericNotEquals", Family.NUMERIC, true, Comparison.EQUAL),
    NUMERIC_LESS_THAN("NumericLessThan", Family.NUMERIC, false, Comparison.LESS),
    NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", Family.NUMERIC, false, Comparison.LESS_OR_EQUAL),
    NUMERIC_GREATER_THAN("NumericGreaterThan", Family.NUMERIC, false, Comparison.GREATER),
    NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", Family.NUMERIC, false, Comparison.GREATER_OR_EQUAL),
    DATE_EQUALS("DateEquals", Family.DATE, false, Comparison.EQUAL),
    DATE_NOT_EQUALS("DateNotEquals", Family.DATE, true, Comparison.EQUAL),
    DATE_LESS_THAN("DateLessThan", Family.DATE, false, Comparison.LESS),
    DATE_LESS_THAN_EQUALS("DateLessThanEquals", Family.DATE, false, Comparison.LESS_OR_EQUAL),
    DATE_GREATER_THAN("DateGreaterThan", Family.DATE, false, Comparison.GREATER),
    DATE_GREATER_THAN_EQUALS("DateGreaterThanEquals", Family.DATE, false, Comparison.GREATER_OR_EQUAL),
    BOOL("Bool", Family.BOOL, false, Comparison.EQUAL),
    IP_ADDRESS("IpAddress", Family.IP, false, Comparison.EQUAL),
    NOT_IP_ADDRESS("NotIpAddress", Family.IP, true, Comparison.EQUAL),
    // IAM documents ArnEquals and ArnLike as one: each part of the ARN is matched on its own, wildcards allowed.
    ARN_EQUALS("ArnEquals", Family.ARN, false, Comparison.LIKE),
    ARN_LIKE("ArnLike", Family.ARN, false, Comparison.LIKE),
    ARN_NOT_EQUALS("ArnNotEquals", Family.ARN, true, Comparison.LIKE),
    ARN_NOT_LIKE("ArnNotLike", Family.ARN, true, Comparison.LIKE),
    NULL("Null", Family.NULL, false, Comparison.EQUAL);

    /** The kind of value an operator compares, which decides the keys it can test. */
    enum Family {
        STRING,
        NUMERIC,
        DATE,
        BOOL,
        IP,
        ARN,
        NULL
    }

    /** How a request value is compared with a policy value, before negation. */
    enum Comparison {
        EQUAL,
        EQUAL_IGNORING_CASE,
        LIKE,
        LESS,
        LESS_OR_EQUAL,
        GREATER,
        GREATER_OR_EQUAL;

        /** Whether the request value relates to the policy value as this says, given their {@code compare}. */
        boolean holds(int requestComparedToPolicy) {
            return switch (this) {
                case EQUAL, EQUAL_IGNORING_CASE, LIKE -> requestComparedToPolicy == 0;
                case LESS -> requestComparedToPolicy < 0;
                case LESS_OR_EQUAL -> requestComparedToPolicy <= 0;
                case GREATER -> requestComparedToPolicy > 0;
                case GREATER_OR_EQUAL -> requestComparedToPolicy >= 0;
            };
        }
    }

    private static final Map<String, ConditionOperator> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(op -> op.name, Function.identity()));

    private final String name;
    private final Family family;
    private final boolean negated;
    private final Comparison comparison;

    ConditionOperator(String name, Family family, boolean negated, Comparison comparison) {
        this.name = name;
        this.family = family;
        this.negated = negated;
        this.comparison = comparison;
    }

    /** The operator of that exact name (IAM's names are case-sensitive), or null. */
    static ConditionOperator named(String name) {
        return BY_NAME.get(name);
    }

    Family family() {
        return family;
    }

    boolean negated() {
        return negated;
    }

    Comparison comparison() {
        return comparison;
    }

    @Override
    public String toString() {
        return name;
    }
}
