package dev.sluice.postgres;

/** One ChangeMessageVisibility entry: the message's handle and its new deadline ({@code now} + the timeout). */
record VisibilityChange(Handle handle, long visibleAt) {}
