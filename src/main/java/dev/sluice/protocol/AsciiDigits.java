package dev.sluice.protocol;

/** Numbers in requests written as plain ASCII digits, checked without a regular expression (they are on every request). */
public final class AsciiDigits {
    private AsciiDigits() {}

    /** Whether {@code text} is 1 to {@code maxDigits} ASCII digits: what {@code \d{1,maxDigits}} matches. */
    public static boolean isDigits(String text, int maxDigits) {
        if (text.isEmpty() || text.length() > maxDigits) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
