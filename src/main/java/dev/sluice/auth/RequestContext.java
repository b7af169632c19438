package dev.sluice.auth;

/**
 * What a queue policy is evaluated against: IAM's request context for one cross-account request (IAM User Guide,
 * "Policy evaluation logic": the principal, the action, the resource and the values of the condition keys).
 *
 * <p>Sluice's callers are tenants acting as their account, so the principal is an account. The source address is
 * parsed only when a policy asks for it, once per request, and never resolved through DNS.
 */
public final class RequestContext {
    private final String principalAccount;
    private final String action;
    private final String resource;
    private final String sourceIp;
    private final boolean secureTransport;
    private final long epochMillis;

    private byte[] sourceAddress;
    private boolean sourceParsed;

    /**
     * @param action the SQS action name as the policy grants it, e.g. {@code SendMessage}
     * @param resource the queue ARN
     * @param sourceIp the address the request came from, or null if unknown (then {@code aws:SourceIp} is absent)
     * @param secureTransport whether the request came over TLS
     * @param epochMillis the time of the request, from the engine's clock
     */
    public RequestContext(
            String principalAccount,
            String action,
            String resource,
            String sourceIp,
            boolean secureTransport,
            long epochMillis) {
        this.principalAccount = principalAccount;
        this.action = action;
        this.resource = resource;
        this.sourceIp = sourceIp;
        this.secureTransport = secureTransport;
        this.epochMillis = epochMillis;
    }

    String principalAccount() {
        return principalAccount;
    }

    /** The action without its service prefix: a request to SQS is always {@code sqs:<action>}. */
    String action() {
        return action;
    }

    String resource() {
        return resource;
    }

    String sourceIp() {
        return sourceIp;
    }

    boolean secureTransport() {
        return secureTransport;
    }

    long epochMillis() {
        return epochMillis;
    }

    /** The source address's bytes (4 for IPv4, IPv4-mapped IPv6 included; 16 for IPv6), or null if unknown. */
    byte[] sourceAddress() {
        if (!sourceParsed) {
            sourceParsed = true;
            sourceAddress = IpRange.addressBytes(sourceIp);
        }
        return sourceAddress;
    }
}
