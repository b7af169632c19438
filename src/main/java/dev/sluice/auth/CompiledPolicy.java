package dev.sluice.auth;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A queue's {@code Policy} attribute read once into the form it is evaluated in, deciding whether another account may
 * run an action on the queue. IAM's evaluation logic for a resource policy (IAM User Guide, "Policy evaluation
 * logic"): a Deny statement that applies wins, else an Allow statement that applies grants, else nothing is granted.
 *
 * <p>{@link #validate} reads a policy being set and refuses what Sluice would not evaluate as AWS does, so nothing is
 * ever silently widened. {@link #ofStored} reads a policy back from the store, which may predate those rules: a
 * statement it cannot evaluate is dropped if it allows and, if it denies, denies every request (fail closed).
 */
public final class CompiledPolicy {
    /** The policy of a queue without one: it grants nothing. */
    public static final CompiledPolicy NONE = new CompiledPolicy(new PolicyStatement[0]);

    // Duplicate keys refused: {"Effect":"Deny","Effect":"Allow"} must not read as whichever came last.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Set<String> ELEMENTS = Set.of("Version", "Id", "Statement");
    private static final Set<String> VERSIONS = Set.of("2008-10-17", "2012-10-17");

    private final PolicyStatement[] statements;

    private CompiledPolicy(PolicyStatement[] statements) {
        this.statements = statements;
    }

    /** Reads a policy being set (CreateQueue, SetQueueAttributes), or refuses it with the reason. */
    public static CompiledPolicy validate(String json) {
        PolicyRules.checkSize(json);
        JsonNode document = read(json);
        if (document == null) {
            throw new InvalidPolicyException("The policy is not a JSON object.");
        }
        document.fieldNames().forEachRemaining(name -> {
            if (!ELEMENTS.contains(name)) {
                throw new InvalidPolicyException("The policy element " + name + " is not supported.");
            }
        });
        JsonNode version = document.get("Version");
        if (version != null && !(version.isTextual() && VERSIONS.contains(version.asText()))) {
            throw new InvalidPolicyException("Version must be 2012-10-17 or 2008-10-17.");
        }
        if (document.has("Id") && !document.get("Id").isTextual()) {
            throw new InvalidPolicyException("Id must be a string.");
        }
        List<JsonNode> nodes = statementNodes(document);
        if (nodes == null) {
            throw new InvalidPolicyException("The policy must contain a Statement.");
        }
        PolicyRules rules = PolicyRules.forNewPolicy(usesVariables(document));
        rules.statements(nodes.size());
        List<PolicyStatement> statements = new ArrayList<>();
        for (JsonNode node : nodes) {
            statements.add(PolicyStatement.parse(node, rules));
        }
        return new CompiledPolicy(statements.toArray(PolicyStatement[]::new));
    }

    /** Reads a policy from a queue's settings; never fails. A blank or unreadable one grants nothing. */
    public static CompiledPolicy ofStored(String json) {
        JsonNode document = json == null || json.isBlank() ? null : read(json);
        List<JsonNode> nodes = document == null ? null : statementNodes(document);
        if (nodes == null) {
            return NONE;
        }
        PolicyRules rules = PolicyRules.forStoredPolicy(usesVariables(document));
        List<PolicyStatement> statements = new ArrayList<>();
        for (JsonNode node : nodes) {
            try {
                statements.add(PolicyStatement.parse(node, rules));
            } catch (InvalidPolicyException e) {
                if (!"Allow".equals(node.path("Effect").asText())) {
                    statements.add(PolicyStatement.DENY_EVERYTHING);
                }
            }
        }
        return new CompiledPolicy(statements.toArray(PolicyStatement[]::new));
    }

    /** Whether the policy lets the request's principal run its action on its resource. */
    public boolean allows(RequestContext request) {
        boolean allowed = false;
        for (PolicyStatement statement : statements) {
            if (statement.appliesTo(request)) {
                if (statement.deny()) {
                    return false;
                }
                allowed = true;
            }
        }
        return allowed;
    }

    private static JsonNode read(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The statements: one object or a list of them; null if there is no Statement element of either shape. */
    private static List<JsonNode> statementNodes(JsonNode document) {
        JsonNode statement = document.get("Statement");
        if (statement == null || !(statement.isArray() || statement.isObject())) {
            return null;
        }
        List<JsonNode> nodes = new ArrayList<>();
        if (statement.isArray()) {
            statement.forEach(nodes::add);
        } else {
            nodes.add(statement);
        }
        return nodes;
    }

    /** IAM User Guide, "Policy variables": they exist from version 2012-10-17 on; before, ${...} is plain text. */
    private static boolean usesVariables(JsonNode document) {
        return "2012-10-17".equals(document.path("Version").asText());
    }
}
