package dev.sluice.transfer;

/** An export file an import refuses, or a target it will not write into: the message is one line for the operator. */
public final class ImportException extends RuntimeException {
    public ImportException(String message) {
        super(message);
    }
}
