package dev.kclboot.autoconfigure;

import dev.kclboot.core.Worker;
import dev.kclboot.spring.actuate.KinesisEndpoint;
import dev.kclboot.spring.actuate.KinesisHealthIndicator;
import dev.kclboot.spring.annotation.KinesisListener;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health indicator and endpoint are wired to the registry's workers, and follow Boot's switches.
 */
class KclActuatorAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KclAutoConfiguration.class, KclActuatorAutoConfiguration.class))
            .withUserConfiguration(Listener.class)
            .withPropertyValues("kcl.region=us-east-1", "kcl.auto-startup=false", "kcl.application-name=app",
                    "kcl.stream=orders");

    @Test
    void healthIndicatorSeesTheWorkers() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(KinesisHealthIndicator.class);
            Worker worker = context.getBean(Worker.class);
            var health = context.getBean(KinesisHealthIndicator.class).health(true);
            assertThat(health.getDetails().toString()).contains(worker.workerId());
        });
    }

    @Test
    void healthIndicatorCanBeSwitchedOff() {
        runner.withPropertyValues("management.health.kinesis.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(KinesisHealthIndicator.class));
    }

    @Test
    void endpointWhenExposed() {
        runner.run(context -> assertThat(context).doesNotHaveBean(KinesisEndpoint.class));
        runner.withPropertyValues("management.endpoints.web.exposure.include=kinesis").run(context -> {
            assertThat(context).hasSingleBean(KinesisEndpoint.class);
            assertThat(context.getBean(KinesisEndpoint.class).workers().workers()).hasSize(1);
        });
    }

    @Test
    void withoutActuatorNothingIsWired() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health",
                "org.springframework.boot.actuate")).run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(KinesisHealthIndicator.class)
                            .doesNotHaveBean(KinesisEndpoint.class);
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class Listener {

        @Bean
        Object listener() {
            return new Object() {

                @KinesisListener
                void onRecord(String payload) {
                }
            };
        }
    }
}
