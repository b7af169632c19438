package dev.sluice.admin;

import java.util.regex.Pattern;

/** Reads a page size from a query parameter strictly: digits only, within its bounds, else a 400. */
final class Limits {
    private static final Pattern DIGITS = Pattern.compile("\\d{1,9}");

    private Limits() {}

    static int pageSize(String raw, String name, int byDefault, int max) {
        if (raw == null || raw.isEmpty()) {
            return byDefault;
        }
        if (!DIGITS.matcher(raw).matches() || Integer.parseInt(raw) < 1 || Integer.parseInt(raw) > max) {
            throw ProblemException.invalid(name + " must be a whole number from 1 to " + max + ", not '" + raw + "'");
        }
        return Integer.parseInt(raw);
    }
}
