package dev.sluice.compat.spring;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** A small Spring Boot application on Spring Cloud AWS SQS, as a user would write it; the test starts it. */
@SpringBootApplication
@EnableConfigurationProperties(QueueNames.class)
public class OrderServiceApplication {}
