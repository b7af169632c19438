package dev.sluice.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a policy document must keep to while it is read: SQS's policy quotas (SQS Developer Guide, "Amazon SQS policy
 * quotas": 8,192 bytes, 20 statements, 50 principals, 10 conditions) and Sluice's own cap of 10 {@code *} in one
 * pattern, checked for a policy being set; and, for every policy, the shape of element values. Quotas are not applied
 * to a policy read back from the store, which was accepted when it was set.
 *
 * <p>In a policy of version 2012-10-17, {@code ${...}} is a policy variable, which Sluice does not substitute: such a
 * value is refused rather than taken literally.
 */
final class PolicyRules {
    static final int MAX_BYTES = 8_192;
    static final int MAX_STATEMENTS = 20;
    static final int MAX_PRINCIPALS = 50;
    static final int MAX_CONDITIONS = 10;
    static final int MAX_STARS_PER_PATTERN = 10;

    private final boolean quotas;
    private final boolean variables;
    private int principals;
    private int conditions;

    private PolicyRules(boolean quotas, boolean variables) {
        this.quotas = quotas;
        this.variables = variables;
    }

    /** For a policy being set: quotas apply. */
    static PolicyRules forNewPolicy(boolean variables) {
        return new PolicyRules(true, variables);
    }

    /** For a policy read back from the store. */
    static PolicyRules forStoredPolicy(boolean variables) {
        return new PolicyRules(false, variables);
    }

    static void checkSize(String json) {
        if (json.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new InvalidPolicyException("The policy is longer than " + MAX_BYTES + " bytes.");
        }
    }

    void statements(int count) {
        if (quotas && count > MAX_STATEMENTS) {
            throw new InvalidPolicyException("The policy has more than " + MAX_STATEMENTS + " statements.");
        }
    }

    void principal() {
        if (quotas && ++principals > MAX_PRINCIPALS) {
            throw new InvalidPolicyException("The policy has more than " + MAX_PRINCIPALS + " principals.");
        }
    }

    void condition() {
        if (quotas && ++conditions > MAX_CONDITIONS) {
            throw new InvalidPolicyException("The policy has more than " + MAX_CONDITIONS + " conditions.");
        }
    }

    /** The value, if it is a wildcard pattern within the cap. */
    String pattern(String value) {
        if (quotas && Wildcard.stars(value) > MAX_STARS_PER_PATTERN) {
            throw new InvalidPolicyException(
                    "\"" + value + "\" has more than " + MAX_STARS_PER_PATTERN + " wildcards (*).");
        }
        return value;
    }

    /**
     * An element's value: a string or a non-empty list of strings; in a condition, numbers and booleans too, as their
     * text.
     */
    List<String> values(JsonNode node, String element, boolean scalars) {
        List<String> values = new ArrayList<>();
        if (node.isArray() && !node.isEmpty()) {
            for (JsonNode item : node) {
                values.add(value(item, element, scalars));
            }
        } else {
            values.add(value(node, element, scalars));
        }
        return values;
    }

    private String value(JsonNode node, String element, boolean scalars) {
        if (!(node.isTextual() || scalars && (node.isNumber() || node.isBoolean()))) {
            throw new InvalidPolicyException(element + " must be a string or a list of strings.");
        }
        String text = node.asText();
        if (variables && text.contains("${")) {
            throw new InvalidPolicyException("Policy variables such as " + text + " are not supported.");
        }
        return text;
    }
}
