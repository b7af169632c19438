package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

class LogEscapeTest {
    @Test
    void lineBreaksAndTerminalEscapesAreEscapedSoNoLineCanBeForged() {
        assertThat(LogEscape.escape("orders\n2026-01-01 INFO forged\r\u001b[31mred\u0000\u007f\u009b\u2028"))
                .isEqualTo("orders\\n2026-01-01 INFO forged\\r\\u001b[31mred\\u0000\\u007f\\u009b\\u2028");
    }

    @Test
    void plainTextTabsAndUnicodeAreLeftAsTheyAre() {
        String plain = "action=SendMessage queue=Größe\tduration_ms=1.5 😀";

        assertThat(LogEscape.escape(plain)).isSameAs(plain);
    }

    @Test
    void theFilterRewritesTheFormattedMessageOfARecord() {
        ExtLogRecord record =
                new ExtLogRecord(Level.INFO, "action=%s queue=%s", ExtLogRecord.FormatStyle.PRINTF, "test");
        record.setParameters(new Object[] {"SendMessage", "a\nINFO forged"});

        assertThat(new LogEscape().isLoggable(record)).isTrue();

        assertThat(record.getFormattedMessage()).isEqualTo("action=SendMessage queue=a\\nINFO forged");
    }
}
