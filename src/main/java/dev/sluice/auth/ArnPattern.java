package dev.sluice.auth;

/**
 * An ARN with wildcards, as a policy's {@code Resource} and the {@code ArnEquals}/{@code ArnLike} conditions hold it,
 * matched case-sensitively part by part (the parts are what the colons separate). IAM User Guide, "Resource": the
 * wildcards stay within their part, except that a {@code *} ending a part may reach over colons into the parts after
 * it (so {@code arn:aws:sqs:*} and {@code *} match every queue).
 *
 * <p>Which text parts the pattern's parts consumed is kept as a bit set, one bit per text part, so even a pattern whose
 * every part ends with {@code *} is matched in one pass over its parts. The values matched are ARNs Sluice builds
 * (queues, principals), which have six parts; a value of more than 63 parts matches nothing.
 */
final class ArnPattern {
    private static final int MAX_PARTS = 63;

    private final String pattern;
    private final boolean literal;
    private final Wildcard[] parts;
    private final boolean[] spreads;

    private ArnPattern(String pattern) {
        this.pattern = pattern;
        this.literal = pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0;
        String[] split = pattern.split(":", -1);
        this.parts = new Wildcard[split.length];
        this.spreads = new boolean[split.length];
        for (int i = 0; i < split.length; i++) {
            parts[i] = Wildcard.of(split[i], false);
            spreads[i] = split[i].endsWith("*");
        }
    }

    static ArnPattern of(String pattern) {
        return new ArnPattern(pattern);
    }

    boolean matches(String arn) {
        if (literal) {
            return pattern.equals(arn);
        }
        int textParts = 1;
        for (int i = 0; i < arn.length(); i++) {
            if (arn.charAt(i) == ':' && ++textParts > MAX_PARTS) {
                return false;
            }
        }
        // Bit j: the pattern's parts so far consumed exactly the text's first j parts.
        long consumed = 1L;
        for (int p = 0; p < parts.length && consumed != 0; p++) {
            long next = 0;
            int start = 0;
            for (int j = 0; j < textParts && (consumed >>> j) != 0; j++) {
                int end = arn.indexOf(':', start);
                if (end < 0) {
                    end = arn.length();
                }
                if ((consumed & (1L << j)) != 0 && parts[p].matches(arn, start, end)) {
                    // A part ending in * may also take every following part whole.
                    next |= spreads[p] ? -1L << (j + 1) : 1L << (j + 1);
                }
                start = end + 1;
            }
            consumed = next;
        }
        return (consumed & (1L << textParts)) != 0;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
