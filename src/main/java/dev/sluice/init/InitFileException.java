package dev.sluice.init;

/** The init file cannot be used as it is; the message names the line and, where there is one, the queue or tenant. */
public final class InitFileException extends RuntimeException {
    public InitFileException(int line, String what, String problem) {
        super((line > 0 ? "line " + line + ": " : "") + (what == null ? "" : what + ": ") + problem);
    }
}
