package dev.sluice.store;

/** A token bucket's setting as kept on disk: tokens per second and the most the bucket holds. */
public record StoredRate(long perSecond, long burst) {}
