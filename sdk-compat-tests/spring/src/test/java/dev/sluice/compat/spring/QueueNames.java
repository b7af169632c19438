package dev.sluice.compat.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** The application's queues, named by {@code queues.*} properties so each test run has its own. */
@ConfigurationProperties("queues")
public record QueueNames(
        String orders, String invoices, String shipments, String payments, String paymentsDlq, String reports) {}
