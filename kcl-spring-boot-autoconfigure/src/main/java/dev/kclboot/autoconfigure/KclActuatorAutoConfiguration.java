package dev.kclboot.autoconfigure;

import dev.kclboot.spring.actuate.KinesisEndpoint;
import dev.kclboot.spring.actuate.KinesisHealthIndicator;
import dev.kclboot.spring.config.KinesisListenerEndpointRegistry;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the {@code kinesis} health indicator ({@code management.health.kinesis.enabled}) and the {@code kinesis}
 * actuator endpoint to the workers of the {@link KinesisListenerEndpointRegistry}, when the application has Spring
 * Boot's health and actuator modules. Both read local worker state only. (The conditions that live in those modules
 * sit on inner classes, so they are only read once the module is known to be there.)
 */
@AutoConfiguration(after = KclAutoConfiguration.class)
@ConditionalOnBean(KinesisListenerEndpointRegistry.class)
public final class KclActuatorAutoConfiguration {

    /** With spring-boot-health. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.AbstractHealthIndicator")
    static class HealthPresent {

        /** The health indicator, unless switched off. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnEnabledHealthIndicator("kinesis")
        static class KinesisHealthConfiguration {

            @Bean
            @ConditionalOnMissingBean(name = "kinesisHealthIndicator")
            KinesisHealthIndicator kinesisHealthIndicator(KinesisListenerEndpointRegistry registry,
                    KclProperties properties) {
                return new KinesisHealthIndicator(registry::getWorkers, registry::getListenerContainers,
                        properties.getHealth().getBlockedAfter());
            }
        }
    }

    /** With spring-boot-actuator. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = { "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
            "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint" })
    static class ActuatorPresent {

        /** The operations endpoint, when it is exposed. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnAvailableEndpoint(KinesisEndpoint.class)
        static class KinesisEndpointConfiguration {

            @Bean
            @ConditionalOnMissingBean
            KinesisEndpoint kinesisEndpoint(KinesisListenerEndpointRegistry registry, KclProperties properties) {
                return new KinesisEndpoint(registry::getWorkers, registry::getListenerContainers,
                        properties.getHealth().getBlockedAfter());
            }
        }
    }
}
