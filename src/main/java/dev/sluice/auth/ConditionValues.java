package dev.sluice.auth;

import dev.sluice.auth.ConditionOperator.Comparison;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The values one condition compares a key with, read once when the policy is set into the form its operator family
 * compares (numbers, instants, address ranges, wildcard patterns), so evaluating a request parses nothing. A request
 * value matches when it compares as the operator says with any of them (IAM: several values of one key are ORed).
 */
sealed interface ConditionValues {
    /** Whether the key's value in the request matches one of the values; the key is present. */
    boolean matchedBy(ConditionKey key, RequestContext request);

    static ConditionValues of(ConditionOperator operator, List<String> values, PolicyRules rules) {
        Comparison comparison = operator.comparison();
        return switch (operator.family()) {
            case STRING ->
                switch (comparison) {
                    case LIKE -> texts(values, value -> Wildcard.of(rules.pattern(value), false)::matches);
                    case EQUAL_IGNORING_CASE -> texts(values, value -> value::equalsIgnoreCase);
                    default -> texts(values, value -> value::equals);
                };
            case ARN -> texts(values, value -> ArnPattern.of(rules.pattern(value))::matches);
            case BOOL -> texts(values, value -> bool(value)::equals);
            case NUMERIC ->
                new Quantities(values.stream().mapToDouble(Quantities::number).toArray(), comparison, false);
            case DATE ->
                new Quantities(
                        values.stream().mapToDouble(Quantities::epochMillis).toArray(), comparison, true);
            case IP -> new Ranges(values.stream().map(IpRange::parse).toArray(IpRange[]::new));
            case NULL -> throw new IllegalArgumentException("Null tests presence, not values");
        };
    }

    private static Texts texts(List<String> values, Function<String, Predicate<String>> test) {
        @SuppressWarnings("unchecked")
        Predicate<String>[] tests = values.stream().map(test).toArray(Predicate[]::new);
        return new Texts(tests);
    }

    /** Values compared with the key's text: equal (maybe ignoring case), like a wildcard, like an ARN, a boolean. */
    record Texts(Predicate<String>[] tests) implements ConditionValues {
        @Override
        public boolean matchedBy(ConditionKey key, RequestContext request) {
            String actual = key.text(request);
            for (Predicate<String> test : tests) {
                if (test.test(actual)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Numbers or instants (as epoch milliseconds, exact in a double), compared with the request's time: the Numeric
     * operators with aws:EpochTime, the only numeric key; the Date operators with aws:CurrentTime or aws:EpochTime.
     */
    record Quantities(double[] values, Comparison comparison, boolean dates) implements ConditionValues {
        private static final Pattern DECIMAL = Pattern.compile("-?\\d{1,18}(\\.\\d{1,18})?");
        private static final Pattern EPOCH_SECONDS = Pattern.compile("-?\\d{1,12}");
        private static final Pattern YEAR_MONTH = Pattern.compile("\\d{4}-\\d{2}");

        static double number(String value) {
            if (!DECIMAL.matcher(value).matches()) {
                throw new InvalidPolicyException("\"" + value + "\" is not a number.");
            }
            return Double.parseDouble(value);
        }

        /**
         * IAM User Guide, "Date condition operators": "one of the W3C implementations of the ISO 8601 date formats or
         * in epoch (UNIX) time". A date without a time is its first instant in UTC.
         */
        static double epochMillis(String value) {
            try {
                if (EPOCH_SECONDS.matcher(value).matches()) {
                    return Long.parseLong(value) * 1000;
                }
                if (value.indexOf('T') >= 0) {
                    return OffsetDateTime.parse(value).toInstant().toEpochMilli();
                }
                if (YEAR_MONTH.matcher(value).matches()) {
                    return YearMonth.parse(value)
                            .atDay(1)
                            .atStartOfDay(ZoneOffset.UTC)
                            .toInstant()
                            .toEpochMilli();
                }
                return LocalDate.parse(value)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant()
                        .toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new InvalidPolicyException("\"" + value + "\" is not an ISO 8601 date or epoch time.");
            }
        }

        @Override
        public boolean matchedBy(ConditionKey key, RequestContext request) {
            double actual = dates ? key.epochMillis(request) : ConditionKey.epochSeconds(request);
            for (double value : values) {
                if (comparison.holds(Double.compare(actual, value))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A Bool value, as the text the key's value is compared with. */
    static String bool(String value) {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new InvalidPolicyException("\"" + value + "\" is not true or false.");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    record Ranges(IpRange[] ranges) implements ConditionValues {
        @Override
        public boolean matchedBy(ConditionKey key, RequestContext request) {
            byte[] actual = request.sourceAddress();
            for (IpRange range : ranges) {
                if (range.contains(actual)) {
                    return true;
                }
            }
            return false;
        }
    }
}
