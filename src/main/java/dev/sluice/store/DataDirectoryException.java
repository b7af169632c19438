package dev.sluice.store;

/** The data directory cannot be used, for a reason an operator fixes; the message is one line that says which. */
public final class DataDirectoryException extends RuntimeException {
    public DataDirectoryException(String message) {
        super(message);
    }
}
