package dev.sluice.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One condition of a statement: an operator, with its {@code ...IfExists} and set-operator variants, testing one key
 * against its values. A statement's conditions must all hold (IAM User Guide, "Conditions with multiple context keys
 * or values").
 *
 * <p>IAM's rules for a key the request lacks ("Condition operators", and "Single-valued vs. multivalued context
 * keys"): {@code ...IfExists} holds; {@code ForAllValues:} holds; {@code ForAnyValue:} does not; a negated operator
 * (StringNotEquals, NotIpAddress, ...) holds; any other does not. Every key Sluice knows has one value at most, so the
 * set operators otherwise test that one value.
 */
final class PolicyCondition {
    private enum Qualifier {
        SINGLE,
        FOR_ANY_VALUE,
        FOR_ALL_VALUES
    }

    private final ConditionKey key;
    private final ConditionOperator operator;
    private final Qualifier qualifier;
    private final boolean ifExists;
    /** The values, or null for Null, which tests whether the key is absent. */
    private final ConditionValues values;

    private final boolean absenceExpected;

    private PolicyCondition(
            ConditionKey key,
            ConditionOperator operator,
            Qualifier qualifier,
            boolean ifExists,
            ConditionValues values,
            boolean absenceExpected) {
        this.key = key;
        this.operator = operator;
        this.qualifier = qualifier;
        this.ifExists = ifExists;
        this.values = values;
        this.absenceExpected = absenceExpected;
    }

    /** The conditions of a statement's {@code Condition} element: {@code {operator: {key: value(s), ...}, ...}}. */
    static List<PolicyCondition> parseAll(JsonNode element, PolicyRules rules) {
        if (!element.isObject() || element.isEmpty()) {
            throw new InvalidPolicyException("Condition must be an object of condition operators.");
        }
        List<PolicyCondition> conditions = new ArrayList<>();
        for (Map.Entry<String, JsonNode> byOperator : element.properties()) {
            JsonNode keys = byOperator.getValue();
            if (!keys.isObject() || keys.isEmpty()) {
                throw new InvalidPolicyException(
                        "Condition operator " + byOperator.getKey() + " must be an object of condition keys.");
            }
            for (Map.Entry<String, JsonNode> byKey : keys.properties()) {
                rules.condition();
                conditions.add(parse(byOperator.getKey(), byKey.getKey(), byKey.getValue(), rules));
            }
        }
        return conditions;
    }

    private static PolicyCondition parse(String operatorName, String keyName, JsonNode valueNode, PolicyRules rules) {
        String rest = operatorName;
        Qualifier qualifier = Qualifier.SINGLE;
        if (rest.startsWith("ForAnyValue:")) {
            qualifier = Qualifier.FOR_ANY_VALUE;
            rest = rest.substring("ForAnyValue:".length());
        } else if (rest.startsWith("ForAllValues:")) {
            qualifier = Qualifier.FOR_ALL_VALUES;
            rest = rest.substring("ForAllValues:".length());
        }
        boolean ifExists = rest.endsWith("IfExists");
        if (ifExists) {
            rest = rest.substring(0, rest.length() - "IfExists".length());
        }
        ConditionOperator operator = ConditionOperator.named(rest);
        if (operator == null || operator == ConditionOperator.NULL && (ifExists || qualifier != Qualifier.SINGLE)) {
            throw new InvalidPolicyException("Condition operator " + operatorName + " is not supported.");
        }
        ConditionKey key = ConditionKey.named(keyName);
        if (!key.testableBy(operator.family())) {
            throw new InvalidPolicyException(
                    "Condition operator " + operatorName + " cannot test the key " + keyName + ".");
        }
        List<String> values = rules.values(valueNode, "The value of " + keyName, true);
        if (operator == ConditionOperator.NULL) {
            if (values.size() != 1) {
                throw new InvalidPolicyException("Null takes one value, true or false.");
            }
            return new PolicyCondition(
                    key, operator, qualifier, false, null, "true".equals(ConditionValues.bool(values.get(0))));
        }
        return new PolicyCondition(
                key, operator, qualifier, ifExists, ConditionValues.of(operator, values, rules), false);
    }

    boolean holds(RequestContext request) {
        boolean present = key.present(request);
        if (values == null) {
            return present != absenceExpected;
        }
        if (!present) {
            return ifExists
                    || qualifier == Qualifier.FOR_ALL_VALUES
                    || qualifier == Qualifier.SINGLE && operator.negated();
        }
        return values.matchedBy(key, request) != operator.negated();
    }
}
