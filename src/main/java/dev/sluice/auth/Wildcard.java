package dev.sluice.auth;

/**
 * A wildcard pattern of the IAM policy language: {@code *} matches any run of characters (none included), {@code ?}
 * any one character, every other character itself (IAM User Guide, "Resource" and "Condition operators":
 * StringLike).
 *
 * <p>Matched without backtracking: the part before the first {@code *} must start the value, the part after the last
 * one must end it, and each part in between is taken at its leftmost place after the previous one, which is right
 * because a {@code *} can absorb whatever a later place would have skipped. So a check costs at most the pattern's
 * length times the value's, never more: a translation to a regular expression backtracks, and made
 * {@code *a*a*a*a*a*a*X} against a long queue name take seconds per request.
 */
final class Wildcard {
    private final String pattern;
    private final boolean ignoreCase;
    private final int firstStar;
    private final int lastStar;

    private Wildcard(String pattern, boolean ignoreCase) {
        this.pattern = pattern;
        this.ignoreCase = ignoreCase;
        this.firstStar = pattern.indexOf('*');
        this.lastStar = pattern.lastIndexOf('*');
    }

    static Wildcard of(String pattern, boolean ignoreCase) {
        return new Wildcard(pattern, ignoreCase);
    }

    /** How many {@code *} the pattern holds: what the policy limits count. */
    static int stars(String pattern) {
        int count = 0;
        for (int i = 0; i < pattern.length(); i++) {
            if (pattern.charAt(i) == '*') {
                count++;
            }
        }
        return count;
    }

    boolean matches(String value) {
        return matches(value, 0, value.length());
    }

    /** Whether the pattern matches {@code value[from, to)} as a whole. */
    boolean matches(String value, int from, int to) {
        if (firstStar < 0) {
            return to - from == pattern.length() && matchesAt(0, pattern.length(), value, from);
        }
        int tailStart = to - (pattern.length() - lastStar - 1);
        if (from + firstStar > tailStart
                || !matchesAt(0, firstStar, value, from)
                || !matchesAt(lastStar + 1, pattern.length(), value, tailStart)) {
            return false;
        }
        int at = from + firstStar;
        int part = firstStar + 1;
        while (part <= lastStar) {
            int partEnd = pattern.indexOf('*', part);
            if (partEnd > part) {
                int found = find(part, partEnd, value, at, tailStart);
                if (found < 0) {
                    return false;
                }
                at = found + (partEnd - part);
            }
            part = partEnd + 1;
        }
        return true;
    }

    /** The leftmost place in {@code value[from, limit)} where {@code pattern[start, end)} (no {@code *}) matches. */
    private int find(int start, int end, String value, int from, int limit) {
        for (int at = from; at + (end - start) <= limit; at++) {
            if (matchesAt(start, end, value, at)) {
                return at;
            }
        }
        return -1;
    }

    /** Whether {@code pattern[start, end)}, which holds no {@code *}, matches the value at {@code at}. */
    private boolean matchesAt(int start, int end, String value, int at) {
        for (int i = start; i < end; i++, at++) {
            char expected = pattern.charAt(i);
            if (expected != '?' && !same(expected, value.charAt(at))) {
                return false;
            }
        }
        return true;
    }

    private boolean same(char a, char b) {
        if (a == b) {
            return true;
        }
        // As String.regionMatches(ignoreCase) compares characters.
        return ignoreCase
                && (Character.toUpperCase(a) == Character.toUpperCase(b)
                        || Character.toLowerCase(a) == Character.toLowerCase(b));
    }

    @Override
    public String toString() {
        return pattern;
    }
}
