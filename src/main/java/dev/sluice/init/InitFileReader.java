package dev.sluice.init;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.auth.RegionName;
import dev.sluice.init.InitFile.DeclaredKey;
import dev.sluice.init.InitFile.DeclaredQueue;
import dev.sluice.init.InitFile.DeclaredTenant;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.rules.QueueArn;
import dev.sluice.quota.Quota;
import dev.sluice.quota.Rate;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an init file: YAML (so JSON too, which is YAML), parsed by Jackson's YAML module. YAML because the people who
 * write this file write Compose and Kubernetes files next to it, and it takes comments; a policy may still be
 * written as the JSON string AWS documents.
 *
 * <pre>
 * queues:                                  # queues of the default account (sluice.account-id)
 *   orders-dlq: {}
 *   orders:
 *     attributes:
 *       VisibilityTimeout: 60
 *       RedrivePolicy: {deadLetterQueue: orders-dlq, maxReceiveCount: 5}   # or deadLetterTargetArn
 *     tags: {team: shop}
 * accounts:
 *   "111111111111":                        # any other account, by its 12-digit id
 *     tenant: {name: team a, maxQueues: 100, keys: [{accessKeyId: AKIDA, secretAccessKey: secretA}]}
 *       # optional: quota: {requestsPerSecond: 500, requestBurst: 1000, bytesPerSecond: 10485760,
 *       #                   queues: {jobs: {requestsPerSecond: 50}}}
 *     queues: {jobs: {}}
 * </pre>
 *
 * Only the shape is checked here (known keys, mappings where mappings belong, one value per attribute); what SQS
 * would refuse is left to {@link InitFileLoader}, which asks the engine itself. Every refusal names its line: Jackson's
 * tree keeps no positions, so a first pass over the tokens records the line of every path.
 */
public final class InitFileReader {
    private static final YAMLFactory YAML = YAMLFactory.builder().build();
    private static final ObjectMapper MAPPER =
            new ObjectMapper(YAML).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

    private final String defaultAccountId;
    private final String region;
    private Map<String, Integer> lines = Map.of();

    /** {@code region}: the default region, of the queues declared outside a {@code regions} section. */
    public InitFileReader(String defaultAccountId, String region) {
        this.defaultAccountId = defaultAccountId;
        this.region = region;
    }

    public InitFile read(String text) {
        JsonNode root;
        try {
            lines = lineIndex(text);
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InitFileException(lineOf(e.getLocation()), null, firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new InitFileException(0, null, String.valueOf(e.getMessage()));
        }
        List<DeclaredTenant> tenants = new ArrayList<>();
        Map<QueueKey, DeclaredQueue> queues = new LinkedHashMap<>();
        Set<String> queueAccounts = new LinkedHashSet<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new InitFile(List.of(), List.of(), Set.of());
        }
        JsonPointer top = JsonPointer.empty();
        requireObject(root, top, "the file", Set.of("queues", "regions", "accounts"));
        readAccountQueues(defaultAccountId, root, top, queues, queueAccounts);
        JsonNode accounts = root.get("accounts");
        if (accounts != null) {
            JsonPointer accountsPath = top.appendProperty("accounts");
            requireObject(accounts, accountsPath, "accounts", null);
            for (Map.Entry<String, JsonNode> entry : accounts.properties()) {
                String accountId = entry.getKey();
                JsonPointer path = accountsPath.appendProperty(accountId);
                if (!ACCOUNT_ID.matcher(accountId).matches()) {
                    throw fail(path, "account " + accountId, "an account id is 12 digits (quote it: \"012345678901\")");
                }
                JsonNode account = entry.getValue();
                requireObject(account, path, "account " + accountId, Set.of("tenant", "queues", "regions"));
                if (account.has("tenant")) {
                    tenants.add(readTenant(accountId, account.get("tenant"), path.appendProperty("tenant")));
                }
                readAccountQueues(accountId, account, path, queues, queueAccounts);
            }
        }
        return new InitFile(
                List.copyOf(tenants),
                DeadLetterQueuesFirst.order(List.copyOf(queues.values())),
                Set.copyOf(queueAccounts));
    }

    /**
     * The account's {@code queues} (of the default region) and {@code regions: {<region>: {queues: …}}} (of other
     * regions, where a queue of the same name is another queue, as on AWS).
     */
    private void readAccountQueues(
            String accountId,
            JsonNode account,
            JsonPointer path,
            Map<QueueKey, DeclaredQueue> queues,
            Set<String> queueAccounts) {
        if (account.has("queues")) {
            queueAccounts.add(accountId);
            readQueues(region, accountId, account.get("queues"), path.appendProperty("queues"), queues);
        }
        JsonNode regions = account.get("regions");
        if (regions == null) {
            return;
        }
        JsonPointer regionsPath = path.appendProperty("regions");
        requireObject(regions, regionsPath, "regions", null);
        for (Map.Entry<String, JsonNode> entry : regions.properties()) {
            JsonPointer regionPath = regionsPath.appendProperty(entry.getKey());
            String what = "region " + entry.getKey() + " (account " + accountId + ")";
            if (!RegionName.isRegion(entry.getKey())) {
                throw fail(regionPath, what, "not a region name (like eu-west-1)");
            }
            if (isBlank(entry.getValue())) {
                continue;
            }
            requireObject(entry.getValue(), regionPath, what, Set.of("queues"));
            if (entry.getValue().has("queues")) {
                queueAccounts.add(accountId);
                readQueues(
                        entry.getKey(),
                        accountId,
                        entry.getValue().get("queues"),
                        regionPath.appendProperty("queues"),
                        queues);
            }
        }
    }

    private void readQueues(
            String queueRegion,
            String accountId,
            JsonNode node,
            JsonPointer path,
            Map<QueueKey, DeclaredQueue> queues) {
        if (isBlank(node)) {
            return;
        }
        requireObject(node, path, "queues", null);
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            QueueKey key = new QueueKey(queueRegion, accountId, entry.getKey());
            JsonPointer queuePath = path.appendProperty(entry.getKey());
            String what = describe(key);
            if (queues.containsKey(key)) {
                throw fail(
                        queuePath,
                        what,
                        "declared twice (line " + queues.get(key).line() + ")");
            }
            JsonNode queue = entry.getValue();
            Map<String, String> attributes = Map.of();
            Map<String, String> tags = Map.of();
            if (!isBlank(queue)) {
                requireObject(queue, queuePath, what, Set.of("attributes", "tags"));
                attributes = readValues(
                        queue.path("attributes"),
                        queuePath.appendProperty("attributes"),
                        what + ", attributes",
                        (name, value, at) -> attributeValue(key, name, value, at));
                tags = readValues(
                        queue.path("tags"),
                        queuePath.appendProperty("tags"),
                        what + ", tags",
                        (name, value, at) -> scalar(value, at, what + ", tag " + name));
            }
            queues.put(key, new DeclaredQueue(key, attributes, tags, lineOf(queuePath)));
        }
    }

    /** Reads one value of a mapping: its name, its node and where it is. */
    private interface ValueReader {
        String read(String name, JsonNode value, JsonPointer path);
    }

    /** A mapping of names to values (attributes, tags); absent or left empty, no values. */
    private Map<String, String> readValues(JsonNode node, JsonPointer path, String what, ValueReader reader) {
        if (node.isMissingNode() || isBlank(node)) {
            return Map.of();
        }
        requireObject(node, path, what, null);
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            values.put(
                    entry.getKey(), reader.read(entry.getKey(), entry.getValue(), path.appendProperty(entry.getKey())));
        }
        return Map.copyOf(values);
    }

    /**
     * An attribute's value as SQS takes it: a single value as text, or, for the three policies, a mapping written
     * out as their JSON; a dead-letter queue or redrive source may be named instead of given by ARN.
     */
    private String attributeValue(QueueKey queue, String name, JsonNode value, JsonPointer path) {
        String what = describe(queue) + ", attribute " + name;
        if (!value.isObject()) {
            return scalar(value, path, what);
        }
        ObjectNode json = value.deepCopy();
        switch (name) {
            case "RedrivePolicy" -> {
                requireObject(value, path, what, Set.of("deadLetterQueue", "deadLetterTargetArn", "maxReceiveCount"));
                JsonNode dlq = json.remove("deadLetterQueue");
                if (dlq != null) {
                    if (json.has("deadLetterTargetArn")) {
                        throw fail(path, what, "give deadLetterQueue (a name) or deadLetterTargetArn, not both");
                    }
                    json.put("deadLetterTargetArn", arn(queue, scalar(dlq, path, what)));
                }
            }
            case "RedriveAllowPolicy" -> {
                requireObject(value, path, what, Set.of("redrivePermission", "sourceQueues", "sourceQueueArns"));
                JsonNode sources = json.remove("sourceQueues");
                if (sources != null) {
                    if (!sources.isArray() || json.has("sourceQueueArns")) {
                        throw fail(
                                path,
                                what,
                                "sourceQueues is a list of queue names; give it or sourceQueueArns, not both");
                    }
                    ArrayNode arns = JsonNodeFactory.instance.arrayNode();
                    sources.forEach(source -> arns.add(arn(queue, scalar(source, path, what))));
                    json.set("sourceQueueArns", arns);
                }
            }
            case "Policy" -> {
                // any policy document: written out as it is
            }
            default -> throw fail(path, what, "must be a single value");
        }
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw fail(path, what, String.valueOf(e.getOriginalMessage()));
        }
    }

    private DeclaredTenant readTenant(String accountId, JsonNode node, JsonPointer path) {
        String what = "tenant " + accountId;
        requireObject(node, path, what, Set.of("name", "maxQueues", "maxMessages", "quota", "keys"));
        String name = node.has("name") ? scalar(node.get("name"), path.appendProperty("name"), what + ", name") : null;
        Integer maxQueues = node.has("maxQueues")
                ? (int) count(node.get("maxQueues"), path.appendProperty("maxQueues"), what + ", maxQueues")
                : null;
        Long maxMessages = node.has("maxMessages")
                ? count(node.get("maxMessages"), path.appendProperty("maxMessages"), what + ", maxMessages")
                : null;
        List<DeclaredKey> keys = new ArrayList<>();
        JsonNode keyNodes = node.path("keys");
        if (!keyNodes.isMissingNode() && !isBlank(keyNodes)) {
            JsonPointer keysPath = path.appendProperty("keys");
            if (!keyNodes.isArray()) {
                throw fail(keysPath, what, "keys is a list of {accessKeyId, secretAccessKey}");
            }
            for (int i = 0; i < keyNodes.size(); i++) {
                JsonPointer keyPath = keysPath.appendIndex(i);
                JsonNode key = keyNodes.get(i);
                requireObject(key, keyPath, what + ", key " + (i + 1), Set.of("accessKeyId", "secretAccessKey"));
                if (!key.hasNonNull("accessKeyId") || !key.hasNonNull("secretAccessKey")) {
                    throw fail(keyPath, what + ", key " + (i + 1), "needs both accessKeyId and secretAccessKey");
                }
                String id = scalar(key.get("accessKeyId"), keyPath, what + ", key " + (i + 1));
                // The value is a secret: errors about it name the key id, never the value.
                String secret = scalar(key.get("secretAccessKey"), keyPath, what + ", key " + id);
                if (id.isBlank() || secret.isEmpty()) {
                    throw fail(keyPath, what + ", key " + (i + 1), "accessKeyId and secretAccessKey must not be empty");
                }
                keys.add(new DeclaredKey(id, secret, lineOf(keyPath)));
            }
        }
        Optional<Quota> quota = node.has("quota") && !isBlank(node.get("quota"))
                ? Optional.of(readQuota(node.get("quota"), path.appendProperty("quota"), what + ", quota"))
                : Optional.empty();
        return new DeclaredTenant(accountId, name, maxQueues, maxMessages, quota, List.copyOf(keys), lineOf(path));
    }

    /** A tenant's quota: the admin API's shape ({@code requestsPerSecond}, …, {@code queues}), whole numbers. */
    private Quota readQuota(JsonNode node, JsonPointer path, String what) {
        requireObject(
                node,
                path,
                what,
                Set.of("requestsPerSecond", "requestBurst", "bytesPerSecond", "bytesBurst", "queues"));
        Map<String, Rate> queues = new LinkedHashMap<>();
        JsonNode queueNodes = node.path("queues");
        if (!queueNodes.isMissingNode() && !isBlank(queueNodes)) {
            JsonPointer queuesPath = path.appendProperty("queues");
            requireObject(queueNodes, queuesPath, what + ", queues", null);
            for (Map.Entry<String, JsonNode> queue : queueNodes.properties()) {
                JsonPointer queuePath = queuesPath.appendProperty(queue.getKey());
                String queueWhat = what + ", queue " + queue.getKey();
                requireObject(queue.getValue(), queuePath, queueWhat, Set.of("requestsPerSecond", "requestBurst"));
                Optional<Rate> rate = rate(queue.getValue(), queuePath, queueWhat, "requestsPerSecond", "requestBurst");
                queues.put(
                        queue.getKey(), rate.orElseThrow(() -> fail(queuePath, queueWhat, "needs requestsPerSecond")));
            }
        }
        return new Quota(
                rate(node, path, what, "requestsPerSecond", "requestBurst"),
                rate(node, path, what, "bytesPerSecond", "bytesBurst"),
                queues);
    }

    private Optional<Rate> rate(JsonNode node, JsonPointer path, String what, String perSecond, String burst) {
        Long rate = node.has(perSecond)
                ? positive(node.get(perSecond), path.appendProperty(perSecond), what + ", " + perSecond)
                : null;
        Long most = node.has(burst) ? positive(node.get(burst), path.appendProperty(burst), what + ", " + burst) : null;
        if (rate == null) {
            if (most != null) {
                throw fail(path.appendProperty(burst), what, burst + " needs " + perSecond);
            }
            return Optional.empty();
        }
        return Optional.of(Rate.of(rate, most));
    }

    private long positive(JsonNode node, JsonPointer path, String what) {
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 1 || node.asLong() > Rate.MAX) {
            throw fail(path, what, "must be a whole number from 1 to " + Rate.MAX);
        }
        return node.asLong();
    }

    /** Nothing written after the colon: YAML gives null or, in Jackson's reading, an empty string. */
    private static boolean isBlank(JsonNode node) {
        return node.isNull() || (node.isTextual() && node.asText().isEmpty());
    }

    private long count(JsonNode node, JsonPointer path, String what) {
        if (!node.canConvertToLong()
                || !node.isIntegralNumber()
                || node.asLong() < 0
                || node.asLong() > Integer.MAX_VALUE) {
            throw fail(path, what, "must be a whole number from 0 to " + Integer.MAX_VALUE);
        }
        return node.asLong();
    }

    private String scalar(JsonNode node, JsonPointer path, String what) {
        if (node == null || node.isNull() || !node.isValueNode()) {
            throw fail(path, what, "must be a single value");
        }
        return node.asText();
    }

    private void requireObject(JsonNode node, JsonPointer path, String what, Set<String> allowedKeys) {
        if (!node.isObject()) {
            throw fail(path, what, "must be a mapping (name: value)");
        }
        if (allowedKeys != null) {
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                String key = entry.getKey();
                if (!allowedKeys.contains(key)) {
                    throw fail(
                            path.appendProperty(key),
                            what,
                            "unknown key '" + key + "' (expected "
                                    + String.join(
                                            ", ", allowedKeys.stream().sorted().toList()) + ")");
                }
            }
        }
    }

    /** The ARN of the queue named {@code queueName} in {@code queue}'s account and region. */
    private static String arn(QueueKey queue, String queueName) {
        return QueueArn.of(new QueueKey(queue.region(), queue.accountId(), queueName));
    }

    private String describe(QueueKey key) {
        return "queue " + key.name() + " (account " + key.accountId()
                + (key.region().equals(region) ? "" : ", region " + key.region()) + ")";
    }

    private InitFileException fail(JsonPointer path, String what, String problem) {
        return new InitFileException(lineOf(path), what, problem);
    }

    /** The line of the path, or of its nearest ancestor that has one. */
    private int lineOf(JsonPointer path) {
        for (JsonPointer at = path; at != null; at = at.head()) {
            Integer line = lines.get(at.toString());
            if (line != null) {
                return line;
            }
        }
        return 0;
    }

    private static int lineOf(JsonLocation location) {
        return location == null ? 0 : location.getLineNr();
    }

    private static String firstLine(String message) {
        String text = String.valueOf(message).strip();
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end).strip();
    }

    /** The line each path (as a JSON pointer) starts on, from one pass over the parser's tokens. */
    private static Map<String, Integer> lineIndex(String text) throws IOException {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser parser = YAML.createParser(text)) {
            while (parser.nextToken() != null) {
                lines.putIfAbsent(
                        parser.getParsingContext().pathAsPointer().toString(),
                        parser.currentTokenLocation().getLineNr());
            }
        }
        return lines;
    }
}
