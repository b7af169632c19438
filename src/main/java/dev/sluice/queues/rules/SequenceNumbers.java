package dev.sluice.queues.rules;

import java.math.BigInteger;

/**
 * FIFO SequenceNumbers as SQS writes them: 20-digit decimal strings, larger than a Java long (so a client that
 * parses them as one fails here as it would on AWS). The message's internal sequence, offset by 10^19, keeps their
 * order.
 */
public final class SequenceNumbers {
    private static final BigInteger OFFSET = BigInteger.TEN.pow(19);

    private SequenceNumbers() {}

    public static String format(long sequence) {
        if (sequence < 0) {
            return OFFSET.add(BigInteger.valueOf(sequence)).toString();
        }
        // Every long below 10^19: the offset is a 1 followed by the sequence in 19 digits, no BigInteger needed.
        String digits = Long.toString(sequence);
        StringBuilder formatted = new StringBuilder(20).append('1');
        for (int i = digits.length(); i < 19; i++) {
            formatted.append('0');
        }
        return formatted.append(digits).toString();
    }
}
