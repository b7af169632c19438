/**
 * The SQS rules every backend applies, written once: attribute validation and defaults, message and redrive rules,
 * digests, the formats of receipt handles, sequence numbers and move task handles. No state: a rule that depends on
 * the time takes {@code now} as an argument. JDK and Jackson only.
 */
package dev.sluice.queues.rules;
