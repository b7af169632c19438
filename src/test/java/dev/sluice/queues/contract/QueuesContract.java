package dev.sluice.queues.contract;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Marks a test class as part of the contract of {@link dev.sluice.queues.Queues}: the class runs once per backend of
 * {@link Backends#all}, each instance taking the {@link Backend} in its constructor and opening its own {@link
 * QueuesFixture} on it (through {@link QueuesCase}). The StoreContract pattern one layer up: the cheapest guarantee
 * that every backend behaves alike.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedClass(name = "on the {0}")
@MethodSource("dev.sluice.queues.contract.Backends#all")
public @interface QueuesContract {}
