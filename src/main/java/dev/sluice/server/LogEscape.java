package dev.sluice.server;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Escapes control characters in every log message before a handler writes it (application.properties names this
 * filter for the console and file handlers): a queue name, queue URL or action that holds a line break or a terminal
 * escape is logged as {@code \n} or {@code \u001b}, so no request can forge a log line or drive the terminal of
 * whoever reads the log. Tab is kept; the messages' own text has no control characters.
 */
@LoggingFilter(name = "sluice-log-escape")
public final class LogEscape implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            String message = ext.getFormattedMessage();
            String escaped = escape(message);
            if (escaped != message || ext.getFormatStyle() != ExtLogRecord.FormatStyle.NO_FORMAT) {
                // Kept formatted, so the handler's formatter does not format the message a second time.
                ext.setMessage(escaped, ExtLogRecord.FormatStyle.NO_FORMAT);
                ext.setParameters(null);
            }
        }
        return true;
    }

    /** The text with C0 controls but tab, DEL, C1 controls and the Unicode line separators escaped; itself if none. */
    static String escape(String text) {
        if (text == null) {
            return null;
        }
        int length = text.length();
        int first = 0;
        while (first < length && !escaped(text.charAt(first))) {
            first++;
        }
        if (first == length) {
            return text;
        }
        StringBuilder out = new StringBuilder(length + 16).append(text, 0, first);
        for (int i = first; i < length; i++) {
            char c = text.charAt(i);
            if (!escaped(c)) {
                out.append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    private static boolean escaped(char c) {
        return (c < 0x20 && c != '\t') || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029';
    }
}
