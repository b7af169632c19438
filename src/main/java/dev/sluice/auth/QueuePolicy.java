package dev.sluice.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A queue's access policy (the {@code Policy} attribute, IAM policy grammar as the SQS developer guide uses it), read
 * to decide whether another account may run an action on the queue, and edited by AddPermission / RemovePermission.
 *
 * <p>Evaluated as IAM does for resource policies, restricted to what a queue policy can say: an explicit Deny that
 * matches wins, else an Allow that matches grants, else nothing is granted. A statement with a Condition is not
 * evaluated: it never grants, and as a Deny it always applies, so a condition we cannot check never widens access.
 *
 * <p>Parsed with Jackson, the one JSON library of the project: a policy is arbitrary JSON, and a hand-written reader
 * would be one more parser to get wrong. Jackson is a library, not a framework; the architecture test keeps it out of
 * {@code api} only.
 */
public final class QueuePolicy {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ACCOUNT_ARN = Pattern.compile("arn:aws:iam::(\\d{12}):.*");

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

    /**
     * Whether the account may run the action on the queue.
     *
     * @param action the SQS action name, e.g. {@code SendMessage}
     */
    public boolean allows(String accountId, String action, String queueArn) {
        boolean allowed = false;
        for (JsonNode statement : statements()) {
            boolean deny = "Deny".equals(statement.path("Effect").asText());
            boolean conditional = statement.has("Condition");
            if (!matchesPrincipal(statement.get("Principal"), accountId)
                    || !matchesAny(statement.get("Action"), "sqs:" + action)
                    || !(statement.get("Resource") == null || matchesAny(statement.get("Resource"), queueArn))) {
                continue;
            }
            if (deny) {
                return false;
            }
            if (!conditional && "Allow".equals(statement.path("Effect").asText())) {
                allowed = true;
            }
        }
        return allowed;
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

    /** "*", {"AWS": "*"}, or {"AWS": account id or IAM ARN of that account, or a list of them}. */
    private static boolean matchesPrincipal(JsonNode principal, String accountId) {
        if (principal == null) {
            return false;
        }
        if (principal.isTextual()) {
            return principal.asText().equals("*");
        }
        JsonNode aws = principal.get("AWS");
        if (aws == null) {
            return false;
        }
        for (JsonNode item : aws.isArray() ? aws : List.of(aws)) {
            String value = item.asText();
            if (value.equals("*") || value.equals(accountId)) {
                return true;
            }
            var arn = ACCOUNT_ARN.matcher(value);
            if (arn.matches() && arn.group(1).equals(accountId)) {
                return true;
            }
        }
        return false;
    }

    /** IAM-style matching, case-insensitive, with * and ? wildcards. */
    private static boolean matchesAny(JsonNode patterns, String value) {
        if (patterns == null) {
            return false;
        }
        for (JsonNode item : patterns.isArray() ? patterns : List.of(patterns)) {
            if (glob(item.asText().toLowerCase(Locale.ROOT), value.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static boolean glob(String pattern, String value) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return value.matches(regex.toString());
    }
}
