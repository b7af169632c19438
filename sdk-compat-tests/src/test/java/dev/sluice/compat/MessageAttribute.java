package dev.sluice.compat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One message attribute: a data type (String, Number, Binary, optionally with a ".label" such as "Number.float") and
 * either a string value or a binary value. Equality compares the binary value by content.
 */
public record MessageAttribute(String dataType, String stringValue, byte[] binaryValue) {

    public static MessageAttribute string(String value) {
        return new MessageAttribute("String", value, null);
    }

    public static MessageAttribute number(String value) {
        return new MessageAttribute("Number", value, null);
    }

    public static MessageAttribute binary(byte[] value) {
        return new MessageAttribute("Binary", null, value.clone());
    }

    /** A custom type such as "Number.float" or "String.custom"; Binary.* types carry bytes, the others a string. */
    public static MessageAttribute custom(String dataType, String value) {
        return dataType.startsWith("Binary")
                ? new MessageAttribute(dataType, null, value.getBytes(StandardCharsets.UTF_8))
                : new MessageAttribute(dataType, value, null);
    }

    public boolean isBinary() {
        return binaryValue != null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MessageAttribute that
                && dataType.equals(that.dataType)
                && java.util.Objects.equals(stringValue, that.stringValue)
                && Arrays.equals(binaryValue, that.binaryValue);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Objects.hash(dataType, stringValue) + Arrays.hashCode(binaryValue);
    }

    @Override
    public String toString() {
        return isBinary()
                ? "%s:0x%s".formatted(dataType, HexFormat.of().formatHex(binaryValue))
                : "%s:%s".formatted(dataType, stringValue);
    }
}
