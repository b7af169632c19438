package dev.sluice.engine;

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
        return OFFSET.add(BigInteger.valueOf(sequence)).toString();
    }
}
