package dev.kclboot.autoconfigure.keys;

import java.util.Map;

import dev.kclboot.autoconfigure.KclAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Unknown {@code kcl.*} keys fail the startup of a real context with the key and the closest known one, every known
 * key (relaxed forms, environment variables, maps of other kcl properties beans) passes, and
 * {@code kcl.fail-on-unknown-properties=false} turns the failure into a warning.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnknownKclPropertiesCheckTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KclAutoConfiguration.class))
            .withPropertyValues("kcl.region=us-east-1", "kcl.auto-startup=false");

    @Test
    void aMisspelledKeyFailsTheStartupNamingTheClosestKey() {
        runner.withPropertyValues("kcl.leese.failover-time=5s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).isInstanceOf(UnknownKclPropertiesException.class)
                    .hasMessageContaining("'kcl.leese.failover-time'")
                    .hasMessageContaining("is not a kcl property; did you mean kcl.lease.failover-time?");
        });
    }

    @Test
    void theStartupReportNamesTheKeyItsOriginAndTheSwitch(CapturedOutput output) {
        assertThatException().isThrownBy(() -> new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("kcl.region=us-east-1", "kcl.auto-startup=false", "kcl.retry.max-atempts=3").run());
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("'kcl.retry.max-atempts' (from \"kcl.retry.max-atempts\" from property source "
                        + "\"defaultProperties\") is not a kcl property; did you mean kcl.retry.max-attempts?")
                .contains("set kcl.fail-on-unknown-properties=false");
    }

    @Test
    void aKeyFarFromEveryKnownKeyGetsNoSuggestion() {
        runner.withPropertyValues("kcl.something-else-entirely.x=1").run(context -> assertThat(
                context.getStartupFailure()).hasMessageEndingWith("is not a kcl property"));
    }

    @Test
    void everyKnownKeyInItsRelaxedFormsPasses() {
        runner.withPropertyValues("kcl.lease.failover-time=5s", "kcl.lease.failoverTime=5s",
                "kcl.retry.backoff.initial-interval=1s", "kcl.health.blocked-after=1m", "kcl.endpoint.kinesis=http://localhost:1",
                "kcl.credentials.profile=p", "kcl.test.kinesis-endpoint=http://localhost:1")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void theFailureHandlingKeysAreKnown() {
        runner.withPropertyValues("kcl.retry.bisect-on-error=true", "kcl.retry.max-record-age=1h",
                "kcl.dead-letter.stream=dlq", "kcl.dead-letter.max-attempts=2",
                "kcl.dead-letter.backoff.initial-interval=100ms", "kcl.dead-letter.backoff.multiplier=2",
                "kcl.dead-letter.backoff.max-interval=1s").run(context -> assertThat(context).hasNotFailed());
        runner.withPropertyValues("kcl.dead-letter.strem=dlq").run(context -> assertThat(context.getStartupFailure())
                .hasMessageContaining("did you mean kcl.dead-letter.stream?"));
    }

    @Test
    void environmentVariablesAreCheckedInTheFormSpringBootBinds() {
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.of("KCL_LEASE_FAILOVERTIME", "5s", "KCL_LEESE_FAILOVERTIME", "5s"))))
                .run(context -> assertThat(context.getStartupFailure())
                        .hasMessageContaining("'kcl.leese.failovertime'")
                        .hasMessageNotContaining("'kcl.lease.failovertime'"));
    }

    @Test
    void keysOfTheApplicationsOwnKclPropertiesBeansAreKnown() {
        runner.withUserConfiguration(OwnProperties.class)
                .withPropertyValues("kcl.extras.tags.team=payments", "kcl.extras.label=x")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void theSwitchTurnsTheFailureIntoAWarning(CapturedOutput output) {
        runner.withPropertyValues("kcl.leese.failover-time=5s", "kcl.fail-on-unknown-properties=false")
                .run(context -> assertThat(context).hasNotFailed());
        assertThat(output).contains("Ignoring unknown kcl properties (kcl.fail-on-unknown-properties=false)")
                .contains("did you mean kcl.lease.failover-time?");
    }

    @Test
    void closestKeyUsesTheEditDistance() {
        assertThat(ClosestKey.distance("kcl.leese.failover-time", "kcl.lease.failover-time")).isEqualTo(1);
        assertThat(ClosestKey.to("kcl.polling.max-record", java.util.List.of("kcl.polling.max-records",
                "kcl.stream"))).isEqualTo("kcl.polling.max-records");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(Extras.class)
    static class OwnProperties {
    }

    @ConfigurationProperties("kcl.extras")
    static class Extras {

        private String label = "";

        private Map<String, String> tags = Map.of();

        public String getLabel() {
            return label;
        }

        public void setLabel(String label) {
            this.label = label;
        }

        public Map<String, String> getTags() {
            return tags;
        }

        public void setTags(Map<String, String> tags) {
            this.tags = tags;
        }
    }
}
