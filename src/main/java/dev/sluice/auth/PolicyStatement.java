package dev.sluice.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One statement of a queue policy, read into the form it is evaluated in. It applies to a request when its principal,
 * action and resource match (or, for {@code NotPrincipal}, {@code NotAction}, {@code NotResource}, do not match) and
 * all its conditions hold (IAM User Guide, "IAM JSON policy elements").
 *
 * <p>Principals are accounts: a Sluice caller is a tenant acting as its account, so a principal naming an account
 * (its id, or an IAM or STS ARN in it: root, a user, a role) stands for that tenant. Service, federated and canonical
 * user principals name no tenant.
 */
final class PolicyStatement {
    private static final Set<String> ELEMENTS = Set.of(
            "Sid",
            "Effect",
            "Principal",
            "NotPrincipal",
            "Action",
            "NotAction",
            "Resource",
            "NotResource",
            "Condition");
    private static final Set<String> PRINCIPAL_TYPES = Set.of("AWS", "Service", "Federated", "CanonicalUser");
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern ACCOUNT_ARN = Pattern.compile("arn:aws(?:-cn|-us-gov)?:(?:iam|sts)::(\\d{12}):.+");

    /** Applies to every request and denies it: what a stored Deny that cannot be evaluated becomes. */
    static final PolicyStatement DENY_EVERYTHING = new PolicyStatement(
            true,
            true,
            Set.of(),
            false,
            new Action[] {Action.ANY},
            false,
            new ArnPattern[] {ArnPattern.of("*")},
            false,
            new PolicyCondition[0]);

    private final boolean deny;
    private final boolean anyPrincipal;
    private final Set<String> accounts;
    private final boolean notPrincipal;
    private final Action[] actions;
    private final boolean notAction;
    private final ArnPattern[] resources;
    private final boolean notResource;
    private final PolicyCondition[] conditions;

    private PolicyStatement(
            boolean deny,
            boolean anyPrincipal,
            Set<String> accounts,
            boolean notPrincipal,
            Action[] actions,
            boolean notAction,
            ArnPattern[] resources,
            boolean notResource,
            PolicyCondition[] conditions) {
        this.deny = deny;
        this.anyPrincipal = anyPrincipal;
        this.accounts = accounts;
        this.notPrincipal = notPrincipal;
        this.actions = actions;
        this.notAction = notAction;
        this.resources = resources;
        this.notResource = notResource;
        this.conditions = conditions;
    }

    static PolicyStatement parse(JsonNode node, PolicyRules rules) {
        if (!node.isObject()) {
            throw new InvalidPolicyException("Each statement must be an object.");
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!ELEMENTS.contains(name)) {
                throw new InvalidPolicyException("The statement element " + name + " is not supported.");
            }
        });
        if (node.has("Sid") && !node.get("Sid").isTextual()) {
            throw new InvalidPolicyException("Sid must be a string.");
        }
        String effect = node.path("Effect").asText("");
        if (!effect.equals("Allow") && !effect.equals("Deny")) {
            throw new InvalidPolicyException("Effect must be Allow or Deny.");
        }
        boolean notPrincipal = oneOf(node, "Principal", "NotPrincipal");
        boolean notAction = oneOf(node, "Action", "NotAction");
        boolean notResource = oneOf(node, "Resource", "NotResource");

        Set<String> accounts = new HashSet<>();
        boolean anyPrincipal = readPrincipal(node.get(notPrincipal ? "NotPrincipal" : "Principal"), accounts, rules);
        String actionElement = notAction ? "NotAction" : "Action";
        Action[] actions = rules.values(node.get(actionElement), actionElement, false).stream()
                .map(value -> Action.parse(value, rules))
                .toArray(Action[]::new);
        String resourceElement = notResource ? "NotResource" : "Resource";
        ArnPattern[] resources = rules.values(node.get(resourceElement), resourceElement, false).stream()
                .map(value -> {
                    if (!value.equals("*") && !value.startsWith("arn:")) {
                        throw new InvalidPolicyException("Resource " + value + " is not an ARN.");
                    }
                    return ArnPattern.of(rules.pattern(value));
                })
                .toArray(ArnPattern[]::new);
        List<PolicyCondition> conditions =
                node.has("Condition") ? PolicyCondition.parseAll(node.get("Condition"), rules) : List.of();
        return new PolicyStatement(
                effect.equals("Deny"),
                anyPrincipal,
                Set.copyOf(accounts),
                notPrincipal,
                actions,
                notAction,
                resources,
                notResource,
                conditions.toArray(PolicyCondition[]::new));
    }

    /** Whether the statement holds the element or its Not form, exactly one of them; true for the Not form. */
    private static boolean oneOf(JsonNode node, String element, String notElement) {
        if (node.has(element) == node.has(notElement)) {
            throw new InvalidPolicyException(
                    "A statement needs exactly one of " + element + " and " + notElement + ".");
        }
        return node.has(notElement);
    }

    /** {@code "*"} or {@code {"AWS": ..., "Service": ..., ...}}; collects the accounts, returns whether it is anyone. */
    private static boolean readPrincipal(JsonNode principal, Set<String> accounts, PolicyRules rules) {
        if (principal.isTextual()) {
            if (!principal.asText().equals("*")) {
                throw new InvalidPolicyException("Principal must be \"*\" or an object such as {\"AWS\": ...}.");
            }
            rules.principal();
            return true;
        }
        if (!principal.isObject() || principal.isEmpty()) {
            throw new InvalidPolicyException("Principal must be \"*\" or an object such as {\"AWS\": ...}.");
        }
        boolean anyone = false;
        for (var type : principal.properties()) {
            if (!PRINCIPAL_TYPES.contains(type.getKey())) {
                throw new InvalidPolicyException("The principal type " + type.getKey() + " is not supported.");
            }
            for (String value : rules.values(type.getValue(), "Principal", false)) {
                rules.principal();
                if (!type.getKey().equals("AWS")) {
                    continue;
                }
                Matcher arn = ACCOUNT_ARN.matcher(value);
                if (value.equals("*")) {
                    anyone = true;
                } else if (ACCOUNT_ID.matcher(value).matches()) {
                    accounts.add(value);
                } else if (arn.matches()) {
                    accounts.add(arn.group(1));
                } else {
                    throw new InvalidPolicyException("Principal " + value + " is not an account id or an IAM ARN.");
                }
            }
        }
        return anyone;
    }

    boolean deny() {
        return deny;
    }

    boolean appliesTo(RequestContext request) {
        if ((anyPrincipal || accounts.contains(request.principalAccount())) == notPrincipal) {
            return false;
        }
        if (matchesAction(request.action()) == notAction) {
            return false;
        }
        if (matchesResource(request.resource()) == notResource) {
            return false;
        }
        for (PolicyCondition condition : conditions) {
            if (!condition.holds(request)) {
                return false;
            }
        }
        return true;
    }

    private boolean matchesAction(String action) {
        for (Action pattern : actions) {
            if (pattern.matches(action)) {
                return true;
            }
        }
        return false;
    }

    private boolean matchesResource(String resource) {
        for (ArnPattern pattern : resources) {
            if (pattern.matches(resource)) {
                return true;
            }
        }
        return false;
    }

    /**
     * An action pattern, {@code *} or {@code service:action} with wildcards in either part, matched case-insensitively
     * (IAM User Guide, "Action"). A request to Sluice is always in the service {@code sqs}.
     */
    private record Action(Wildcard service, Wildcard name) {
        static final Action ANY = new Action(null, null);

        static Action parse(String value, PolicyRules rules) {
            if (value.equals("*")) {
                return ANY;
            }
            int colon = value.indexOf(':');
            if (colon <= 0) {
                throw new InvalidPolicyException("Action " + value + " is not * or service:action.");
            }
            rules.pattern(value);
            return new Action(
                    Wildcard.of(value.substring(0, colon), true), Wildcard.of(value.substring(colon + 1), true));
        }

        boolean matches(String action) {
            return this == ANY || service.matches("sqs") && name.matches(action);
        }
    }
}
