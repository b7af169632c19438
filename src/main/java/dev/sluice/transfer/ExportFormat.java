package dev.sluice.transfer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The export file: newline-delimited JSON, one record a line, each an object whose {@code record} field says what it
 * is. In order: {@code header} (format version, when, the exporting server's default region), {@code tenant} and
 * {@code accessKey} records, then per queue its {@code queue} record followed by its {@code message} records in send
 * order and its {@code deduplication} records, and last an {@code end} record with the counts, so a cut-off file is
 * refused rather than half imported. The README's "Moving between backends" section lists the fields.
 */
final class ExportFormat {
    static final int VERSION = 1;

    static final String RECORD = "record";
    static final String HEADER = "header";
    static final String TENANT = "tenant";
    static final String ACCESS_KEY = "accessKey";
    static final String QUEUE = "queue";
    static final String MESSAGE = "message";
    static final String DEDUPLICATION = "deduplication";
    static final String END = "end";

    /** Records name their fields as the Java records do; unknown fields are refused on reading. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .disable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** The first line. */
    record Header(String record, int version, String exportedAt, long exportedAtMillis, String defaultRegion) {}

    /** The last line: what the file holds, checked by the import. */
    record End(String record, long tenants, long accessKeys, long queues, long messages, long deduplications) {}

    private ExportFormat() {}
}
