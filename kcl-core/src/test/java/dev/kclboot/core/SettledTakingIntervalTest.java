package dev.kclboot.core;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WorkerConfig#settledTakingInterval(int)}: twice the failover time per lease held, between the taking interval
 * and half the failover time, so scans cost at most a sixth of the renewals per lease.
 */
class SettledTakingIntervalTest {

    private static WorkerConfig withFailover(Duration failover) {
        return Worker.builder().applicationName("app").stream("stream")
                .kinesisClient(KinesisClient.builder().region(Region.US_EAST_1)
                        .credentialsProvider(AnonymousCredentialsProvider.create()).build())
                .dynamoDbClient(DynamoDbClient.builder().region(Region.US_EAST_1)
                        .credentialsProvider(AnonymousCredentialsProvider.create()).build())
                .recordProcessorFactory(name -> null).failoverTime(failover).build().config();
    }

    @Test
    void atTheDefaultFailoverFewLeasesScanEveryFiveSecondsAndTenOrMoreEveryTwo() {
        WorkerConfig config = withFailover(Duration.ofSeconds(10));
        assertThat(config.settledTakingInterval(0)).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.settledTakingInterval(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.settledTakingInterval(4)).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.settledTakingInterval(5)).isEqualTo(Duration.ofSeconds(4));
        assertThat(config.settledTakingInterval(8)).isEqualTo(Duration.ofMillis(2500));
        assertThat(config.settledTakingInterval(10)).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.settledTakingInterval(200)).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.settledTakingInterval(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void alwaysBetweenTheTakingIntervalAndHalfTheFailoverTimeAndWithinTheScanBudget() {
        for (long failoverMillis : new long[] {300, 1_000, 3_999, 4_000, 10_000, 30_000, 120_000}) {
            WorkerConfig config = withFailover(Duration.ofMillis(failoverMillis));
            Duration half = config.failoverTime().dividedBy(2);
            Duration previous = half;
            for (int leases = 0; leases <= 1_000; leases++) {
                Duration interval = config.settledTakingInterval(leases);
                assertThat(interval).as("failover %d ms, %d leases", failoverMillis, leases)
                        .isBetween(config.takingInterval(), half)
                        .isLessThanOrEqualTo(previous);
                if (interval.compareTo(config.takingInterval()) > 0 && interval.compareTo(half) < 0) {
                    // Not clamped: one scan per lease every two failover times.
                    assertThat(interval.multipliedBy(Math.max(1, leases)))
                            .isGreaterThanOrEqualTo(config.failoverTime().multipliedBy(2).minusNanos(leases));
                }
                previous = interval;
            }
        }
    }
}
