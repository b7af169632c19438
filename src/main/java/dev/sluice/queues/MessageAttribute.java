package dev.sluice.queues;

/** One message attribute as sent: its full data type (e.g. {@code Number.float}) and either a string or bytes. */
public record MessageAttribute(String dataType, String stringValue, byte[] binaryValue) {}
