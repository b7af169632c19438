package dev.sluice.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A queue's access policy document (the {@code Policy} attribute) as AddPermission and RemovePermission edit it.
 * Evaluating a policy is {@link CompiledPolicy}'s job.
 *
 * <p>Parsed with Jackson, the one JSON library of the project: a policy is arbitrary JSON, and a hand-written reader
 * would be one more parser to get wrong. Jackson is a library, not a framework; the architecture test keeps it out of
 * {@code api} only.
 */
public final class QueuePolicy {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode document;

    private QueuePolicy(ObjectNode document) {
        this.document = document;
    }

    /**
     * The policy of a queue with none: it grants nothing. AddPermission starts from it, so it has the version SQS
     * writes there (recorded against AWS in LocalStack's test_sqs_permission_lifecycle).
     */
    public static QueuePolicy empty(String queueArn) {
        ObjectNode document = JSON.createObjectNode();
        document.put("Version", "2008-10-17");
        document.put("Id", queueArn + "/SQSDefaultPolicy");
        document.putArray("Statement");
        return new QueuePolicy(document);
    }

    /** The policy a Policy attribute holds; a blank or unreadable one grants nothing. */
    public static QueuePolicy parse(String json, String queueArn) {
        if (json == null || json.isBlank()) {
            return empty(queueArn);
        }
        try {
            JsonNode node = JSON.readTree(json);
            if (node instanceof ObjectNode object) {
                return new QueuePolicy(object);
            }
        } catch (JsonProcessingException e) {
            // An unreadable policy grants nothing.
        }
        return empty(queueArn);
    }

    /** Whether any statement is left (SQS removes the Policy attribute when RemovePermission takes the last). */
    public boolean hasStatements() {
        return !statements().isEmpty();
    }

    public boolean hasLabel(String label) {
        for (JsonNode statement : statements()) {
            if (label.equals(statement.path("Sid").asText(null))) {
                return true;
            }
        }
        return false;
    }

    /** The policy with AddPermission's statement added: Sid = label, principals as account root ARNs. */
    public QueuePolicy withPermission(String label, List<String> accountIds, List<String> actions, String queueArn) {
        ObjectNode copy = document.deepCopy();
        ArrayNode statements = copy.get("Statement") instanceof ArrayNode list ? list : copy.putArray("Statement");
        ObjectNode statement = statements.addObject();
        statement.put("Sid", label);
        statement.put("Effect", "Allow");
        ObjectNode principal = statement.putObject("Principal");
        List<String> arns =
                accountIds.stream().map(id -> "arn:aws:iam::" + id + ":root").toList();
        putOneOrMany(principal, "AWS", arns);
        putOneOrMany(
                statement,
                "Action",
                actions.stream().map(action -> "SQS:" + action).toList());
        statement.put("Resource", queueArn);
        return new QueuePolicy(copy);
    }

    /** The policy without the statements AddPermission added under the label. */
    public QueuePolicy withoutPermission(String label) {
        ObjectNode copy = document.deepCopy();
        ArrayNode kept = JSON.createArrayNode();
        for (JsonNode statement : statements()) {
            if (!label.equals(statement.path("Sid").asText(null))) {
                kept.add(statement);
            }
        }
        copy.set("Statement", kept);
        return new QueuePolicy(copy);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always writes", e);
        }
    }

    private List<JsonNode> statements() {
        JsonNode statement = document.get("Statement");
        List<JsonNode> list = new ArrayList<>();
        if (statement instanceof ArrayNode array) {
            array.forEach(list::add);
        } else if (statement instanceof ObjectNode single) {
            list.add(single);
        }
        return list;
    }

    private static void putOneOrMany(ObjectNode node, String name, List<String> values) {
        if (values.size() == 1) {
            node.put(name, values.getFirst());
        } else {
            ArrayNode array = node.putArray(name);
            values.forEach(array::add);
        }
    }
}
