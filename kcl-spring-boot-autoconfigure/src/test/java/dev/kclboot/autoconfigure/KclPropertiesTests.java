package dev.kclboot.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import dev.kclboot.spring.listener.CheckpointMode;
import dev.kclboot.spring.listener.ExhaustedAction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Binding of every {@code kcl.*} key, the defaults, and validation that names the property.
 */
@ExtendWith(OutputCaptureExtension.class)
class KclPropertiesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KclAutoConfiguration.class))
            .withPropertyValues("kcl.region=us-east-1");

    @Test
    void defaults() {
        runner.run(context -> {
            KclProperties properties = context.getBean(KclProperties.class);
            assertThat(properties.isEnabled()).isTrue();
            assertThat(properties.isAutoStartup()).isTrue();
            assertThat(properties.getApplicationName()).isNull();
            assertThat(properties.getInitialPosition()).isEqualTo(KclProperties.Position.LATEST);
            assertThat(properties.getLease().getFailoverTime()).isEqualTo(Duration.ofSeconds(10));
            assertThat(properties.getLease().getMaxLeasesPerWorker()).isNull();
            assertThat(properties.getLease().getMaxLeasesToSteal()).isEqualTo(10);
            assertThat(properties.getLease().getBillingMode()).isEqualTo(KclProperties.BillingMode.PAY_PER_REQUEST);
            assertThat(properties.getPolling().getMaxRecords()).isEqualTo(10_000);
            assertThat(properties.getPolling().getIdleTimeBetweenReads()).isEqualTo(Duration.ofSeconds(1));
            assertThat(properties.getShardSyncInterval()).isEqualTo(Duration.ofSeconds(60));
            assertThat(properties.getCheckpoint().getMode()).isEqualTo(CheckpointMode.BATCH);
            assertThat(properties.getCheckpoint().getInterval()).isEqualTo(Duration.ofSeconds(10));
            assertThat(properties.getRetry().getMaxAttempts()).isNull();
            assertThat(properties.getRetry().getOnExhausted()).isEqualTo(ExhaustedAction.RECOVER);
            assertThat(properties.getRetry().getBackoff().getInitialInterval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(properties.getRetry().getBackoff().getMultiplier()).isEqualTo(2.0);
            assertThat(properties.getRetry().getBackoff().getMaxInterval()).isEqualTo(Duration.ofSeconds(30));
            assertThat(properties.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(20));
        });
    }

    @Test
    void bindsEveryKey() {
        runner.withPropertyValues("kcl.auto-startup=false", "kcl.application-name=app", "kcl.stream=orders",
                "kcl.region=eu-central-1", "kcl.credentials.access-key=a", "kcl.credentials.secret-key=b",
                "kcl.credentials.session-token=t", "kcl.endpoint.kinesis=http://localhost:1",
                "kcl.endpoint.dynamodb=https://localhost:2", "kcl.initial-position=at_timestamp",
                "kcl.initial-timestamp=2024-05-01T00:00:00Z", "kcl.worker-id=w1", "kcl.lease.table-name=t1",
                "kcl.lease.failover-time=3s", "kcl.lease.max-leases-per-worker=9", "kcl.lease.max-leases-to-steal=0",
                "kcl.lease.billing-mode=PROVISIONED", "kcl.polling.max-records=100",
                "kcl.polling.idle-time-between-reads=250ms", "kcl.shard-sync-interval=1m",
                "kcl.checkpoint.mode=PERIODIC", "kcl.checkpoint.interval=5s", "kcl.retry.max-attempts=3",
                "kcl.retry.on-exhausted=STOP", "kcl.retry.backoff.initial-interval=10ms",
                "kcl.retry.backoff.multiplier=1.5", "kcl.retry.backoff.max-interval=1s", "kcl.shutdown-timeout=5s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    KclProperties p = context.getBean(KclProperties.class);
                    assertThat(p.isAutoStartup()).isFalse();
                    assertThat(p.getApplicationName()).isEqualTo("app");
                    assertThat(p.getStream()).isEqualTo("orders");
                    assertThat(p.getRegion()).isEqualTo("eu-central-1");
                    assertThat(p.getCredentials().getAccessKey()).isEqualTo("a");
                    assertThat(p.getCredentials().getSecretKey()).isEqualTo("b");
                    assertThat(p.getCredentials().getSessionToken()).isEqualTo("t");
                    assertThat(p.getEndpoint().getKinesis()).isEqualTo(URI.create("http://localhost:1"));
                    assertThat(p.getEndpoint().getDynamodb()).isEqualTo(URI.create("https://localhost:2"));
                    assertThat(p.getInitialPosition()).isEqualTo(KclProperties.Position.AT_TIMESTAMP);
                    assertThat(p.getInitialTimestamp()).isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));
                    assertThat(p.getWorkerId()).isEqualTo("w1");
                    assertThat(p.getLease().getTableName()).isEqualTo("t1");
                    assertThat(p.getLease().getFailoverTime()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(p.getLease().getMaxLeasesPerWorker()).isEqualTo(9);
                    assertThat(p.getLease().getMaxLeasesToSteal()).isZero();
                    assertThat(p.getLease().getBillingMode()).isEqualTo(KclProperties.BillingMode.PROVISIONED);
                    assertThat(p.getPolling().getMaxRecords()).isEqualTo(100);
                    assertThat(p.getPolling().getIdleTimeBetweenReads()).isEqualTo(Duration.ofMillis(250));
                    assertThat(p.getShardSyncInterval()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(p.getCheckpoint().getMode()).isEqualTo(CheckpointMode.PERIODIC);
                    assertThat(p.getCheckpoint().getInterval()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(p.getRetry().getMaxAttempts()).isEqualTo(3);
                    assertThat(p.getRetry().getOnExhausted()).isEqualTo(ExhaustedAction.STOP);
                    assertThat(p.getRetry().getBackoff().getInitialInterval()).isEqualTo(Duration.ofMillis(10));
                    assertThat(p.getRetry().getBackoff().getMultiplier()).isEqualTo(1.5);
                    assertThat(p.getRetry().getBackoff().getMaxInterval()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(p.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
                });
    }

    @Test
    void invalidValuesFailTheStartupNamingTheProperty() {
        assertInvalid("kcl.polling.max-records=0", "kcl.polling.max-records must be between 1 and 10000");
        assertInvalid("kcl.polling.max-records=10001", "kcl.polling.max-records must be between 1 and 10000");
        assertInvalid("kcl.lease.failover-time=100ms", "kcl.lease.failover-time must be at least 300ms");
        assertInvalid("kcl.lease.max-leases-per-worker=0", "kcl.lease.max-leases-per-worker must be at least 1");
        assertInvalid("kcl.lease.max-leases-to-steal=-1", "kcl.lease.max-leases-to-steal must not be negative");
        assertInvalid("kcl.polling.idle-time-between-reads=-1s",
                "kcl.polling.idle-time-between-reads must not be negative");
        assertInvalid("kcl.shard-sync-interval=0s", "kcl.shard-sync-interval must be a positive duration");
        assertInvalid("kcl.checkpoint.interval=0s", "kcl.checkpoint.interval must be a positive duration");
        assertInvalid("kcl.retry.max-attempts=0", "kcl.retry.max-attempts must be at least 1");
        assertInvalid("kcl.retry.backoff.multiplier=0.5", "kcl.retry.backoff.multiplier must be at least 1");
        assertInvalid("kcl.retry.backoff.initial-interval=0ms",
                "kcl.retry.backoff.initial-interval must be a positive duration");
        assertInvalid("kcl.shutdown-timeout=0s", "kcl.shutdown-timeout must be a positive duration");
        assertInvalid("kcl.initial-position=AT_TIMESTAMP",
                "kcl.initial-timestamp must be set when kcl.initial-position is AT_TIMESTAMP");
        assertInvalid("kcl.credentials.access-key=a", "kcl.credentials.secret-key must be set");
        assertInvalid("kcl.endpoint.kinesis=localhost:4567", "kcl.endpoint.kinesis must be an http or https URL");
        assertInvalid("kcl.application-name= ", "kcl.application-name must not be blank");
    }

    @Test
    void bindsTheFailureHandlingKeysWithTheirDefaults() {
        runner.run(context -> {
            KclProperties p = context.getBean(KclProperties.class);
            assertThat(p.getRetry().isBisectOnError()).isFalse();
            assertThat(p.getRetry().getMaxRecordAge()).isNull();
            assertThat(p.getDeadLetter().getStream()).isNull();
            assertThat(p.getDeadLetter().getMaxAttempts()).isEqualTo(3);
            assertThat(p.getDeadLetter().getBackoff().getInitialInterval()).isEqualTo(Duration.ofMillis(200));
            assertThat(p.getDeadLetter().getBackoff().getMultiplier()).isEqualTo(2.0);
            assertThat(p.getDeadLetter().getBackoff().getMaxInterval()).isEqualTo(Duration.ofSeconds(2));
        });
        runner.withPropertyValues("kcl.retry.bisect-on-error=true", "kcl.retry.max-record-age=1h",
                "kcl.dead-letter.stream=orders-dlq", "kcl.dead-letter.max-attempts=5",
                "kcl.dead-letter.backoff.initial-interval=50ms", "kcl.dead-letter.backoff.multiplier=3",
                "kcl.dead-letter.backoff.max-interval=1s").run(context -> {
                    assertThat(context).hasNotFailed();
                    KclProperties p = context.getBean(KclProperties.class);
                    assertThat(p.getRetry().isBisectOnError()).isTrue();
                    assertThat(p.getRetry().getMaxRecordAge()).isEqualTo(Duration.ofHours(1));
                    assertThat(p.getDeadLetter().getStream()).isEqualTo("orders-dlq");
                    assertThat(p.getDeadLetter().getMaxAttempts()).isEqualTo(5);
                    assertThat(p.getDeadLetter().getBackoff().getInitialInterval()).isEqualTo(Duration.ofMillis(50));
                    assertThat(p.getDeadLetter().getBackoff().getMultiplier()).isEqualTo(3.0);
                    assertThat(p.getDeadLetter().getBackoff().getMaxInterval()).isEqualTo(Duration.ofSeconds(1));
                });
        assertInvalid("kcl.retry.max-record-age=0s", "kcl.retry.max-record-age must be a positive duration");
        assertInvalid("kcl.dead-letter.stream= ", "kcl.dead-letter.stream must not be blank");
        assertInvalid("kcl.dead-letter.max-attempts=0", "kcl.dead-letter.max-attempts must be at least 1");
        assertInvalid("kcl.dead-letter.backoff.multiplier=0.5", "kcl.dead-letter.backoff.multiplier must be at least 1");
        assertInvalid("kcl.dead-letter.backoff.max-interval=10ms",
                "kcl.dead-letter.backoff.max-interval must not be shorter than kcl.dead-letter.backoff.initial-interval");
    }

    @Test
    void valuesOfTheWrongTypeFailTheStartupNamingTheProperty() {
        runner.withPropertyValues("kcl.lease.failover-time=soon").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("kcl.lease.failover-time");
        });
        runner.withPropertyValues("kcl.checkpoint.mode=sometimes").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("kcl.checkpoint.mode");
        });
    }

    @Test
    void theStartupReportNamesThePropertyAndTheReason(CapturedOutput output) {
        SpringApplication application = new SpringApplication(BadProperties.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatException().isThrownBy(() -> application.run("--kcl.region=us-east-1",
                "--kcl.polling.max-records=0"));
        assertThat(output).contains("APPLICATION FAILED TO START").contains("kcl.polling.max-records")
                .contains("must be between 1 and 10000");
    }

    private void assertInvalid(String property, String message) {
        runner.withPropertyValues(property).run(context -> {
            assertThat(context).as(property).hasFailed();
            assertThat(context.getStartupFailure()).as(property).hasStackTraceContaining(message);
        });
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(KclAutoConfiguration.class)
    static class BadProperties {
    }
}
