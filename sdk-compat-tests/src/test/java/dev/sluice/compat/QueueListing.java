package dev.sluice.compat;

import java.util.List;

/** One ListQueues page; nextToken is null on the last page and whenever MaxResults was not sent. */
public record QueueListing(List<String> queueUrls, String nextToken) {}
