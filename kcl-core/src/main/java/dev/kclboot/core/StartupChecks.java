package dev.kclboot.core;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import dev.kclboot.core.aws.AwsFailures;
import dev.kclboot.core.aws.FailureKind;
import dev.kclboot.core.backoff.ExponentialBackoff;
import dev.kclboot.core.lease.DynamoDbLeaseTable;
import dev.kclboot.core.stream.StreamRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;

/**
 * What {@link Worker#start()} checks before it returns, so that a wrong setting fails the start with a message that
 * says what to fix: every stream exists (naming stream and region), and the lease table exists or can be created
 * (naming the table and the DynamoDB action).
 * <p>
 * Throttling, 5xx and timeouts are retried with backoff for up to the startup retry timeout, so a DynamoDB or Kinesis
 * that is briefly busy does not fail the start; definite answers (not found, access denied, invalid) fail at once.
 * Each failure is described as what it is: a throttle is never called a refusal.
 */
final class StartupChecks {

    private static final Logger logger = LoggerFactory.getLogger(StartupChecks.class);

    private final WorkerConfig config;

    private final List<StreamRef> streams;

    private final DynamoDbLeaseTable table;

    private final ExponentialBackoff backoff = new ExponentialBackoff(Duration.ofMillis(200), Duration.ofSeconds(5));

    StartupChecks(WorkerConfig config, List<StreamRef> streams, DynamoDbLeaseTable table) {
        this.config = config;
        this.streams = streams;
        this.table = table;
    }

    /**
     * Runs the checks.
     * @return the streams as resolved (with the KCL's multi-stream key prefix when configured)
     */
    List<StreamRef> run() {
        long deadline = System.nanoTime() + config.startupRetryTimeout().toNanos();
        Region region = config.kinesis().serviceClientConfiguration().region();
        List<StreamRef> resolved = new java.util.ArrayList<>();
        for (StreamRef stream : streams) {
            String action = "kinesis:DescribeStreamSummary";
            try {
                StreamDescriptionSummary summary = retrying(deadline, action, () -> config.kinesis()
                        .describeStreamSummary(stream.applyTo(DescribeStreamSummaryRequest.builder()).build()))
                        .streamDescriptionSummary();
                resolved.add(resolve(stream, summary));
            }
            catch (SdkException ex) {
                FailureKind kind = AwsFailures.kindOf(ex);
                if (kind == FailureKind.NOT_FOUND) {
                    throw new StreamNotFoundException(stream.nameOrArn(), String.valueOf(region), ex);
                }
                if (kind == FailureKind.CREDENTIALS) {
                    throw new AwsCredentialsException("Kinesis", "Could not describe Kinesis stream '"
                            + stream.nameOrArn() + "' in region " + region + ": the credentials "
                            + AwsFailures.describe(ex), ex);
                }
                if (kind == FailureKind.TRANSIENT) {
                    throw new ServiceUnreachableException("Kinesis", endpointOf(config.kinesis()
                            .serviceClientConfiguration().endpointOverride(), region), "Could not reach Kinesis at "
                            + endpointOf(config.kinesis().serviceClientConfiguration().endpointOverride(), region)
                            + " to describe stream '" + stream.nameOrArn() + "' for "
                            + config.startupRetryTimeout().toSeconds() + " s: " + AwsFailures.describe(ex), ex);
                }
                throw new WorkerStartException("Could not describe Kinesis stream '" + stream.nameOrArn()
                        + "' in region " + region + ": " + action + " " + AwsFailures.verb(kind) + " ("
                        + AwsFailures.describe(ex) + ")" + retriedFor(kind), ex);
            }
        }
        String[] action = { "dynamodb:DescribeTable" };
        try {
            boolean active = retrying(deadline, action[0], table::isActive);
            if (!active) {
                action[0] = "dynamodb:CreateTable";
                retrying(deadline, action[0], () -> table.createIfNotExists(config.billingMode(), config.kcl3Index(),
                        Duration.ofMinutes(5)));
            }
        }
        catch (SdkException ex) {
            FailureKind kind = AwsFailures.kindOf(ex);
            String endpoint = endpointOf(config.dynamoDb().serviceClientConfiguration().endpointOverride(),
                    config.dynamoDb().serviceClientConfiguration().region());
            if (kind == FailureKind.CREDENTIALS) {
                throw new AwsCredentialsException("DynamoDB", "Cannot use the lease table '" + table.tableName()
                        + "': " + action[0] + " had no usable credentials (" + AwsFailures.describe(ex) + ")", ex);
            }
            if (kind == FailureKind.TRANSIENT) {
                throw new ServiceUnreachableException("DynamoDB", endpoint, "Could not reach DynamoDB at " + endpoint
                        + " for the lease table '" + table.tableName() + "' (" + action[0] + ") for "
                        + config.startupRetryTimeout().toSeconds() + " s: " + AwsFailures.describe(ex), ex);
            }
            throw new LeaseTableAccessException(table.tableName(), action[0], "Cannot use the lease table '"
                    + table.tableName() + "': " + action[0] + " " + AwsFailures.verb(kind) + " ("
                    + AwsFailures.describe(ex) + ")" + retriedFor(kind), ex);
        }
        return resolved;
    }

    /** The stream with its lease-key prefix: the KCL's multi-stream form needs the account and the creation time. */
    private StreamRef resolve(StreamRef stream, StreamDescriptionSummary summary) {
        if (!stream.multiStream() || config.multiStreamLeaseKeys() != MultiStreamLeaseKeys.KCL) {
            return stream;
        }
        String[] arn = summary.streamARN().split(":");
        String account = arn.length > 4 ? arn[4] : "";
        if (account.isEmpty() || summary.streamCreationTimestamp() == null) {
            throw new WorkerStartException("Stream '" + stream.nameOrArn() + "' has no account or creation time in "
                    + "its description (" + summary.streamARN() + "), which the KCL's multi-stream lease keys need");
        }
        return StreamRef.kclMultiStream(stream.nameOrArn(), account, summary.streamCreationTimestamp().getEpochSecond());
    }

    private static String endpointOf(java.util.Optional<java.net.URI> override, @org.jspecify.annotations.Nullable Region region) {
        return override.map(java.net.URI::toString).orElse("the AWS endpoint of region " + region);
    }

    private String retriedFor(FailureKind kind) {
        return (kind == FailureKind.THROTTLED || kind == FailureKind.TRANSIENT)
                ? ", still after retrying for " + config.startupRetryTimeout().toSeconds() + " s" : "";
    }

    private <T> T retrying(long deadlineNanos, String action, Supplier<T> call) {
        for (int attempt = 0; ; attempt++) {
            try {
                return call.get();
            }
            catch (SdkException ex) {
                if (!AwsFailures.isRetryable(ex)) {
                    throw ex;
                }
                Duration delay = backoff.delay(attempt);
                if (System.nanoTime() + delay.toNanos() - deadlineNanos > 0) {
                    throw ex;
                }
                logger.warn("{} {} ({}); retrying in {} ms", action, AwsFailures.verb(AwsFailures.kindOf(ex)),
                        AwsFailures.describe(ex), delay.toMillis());
                try {
                    Thread.sleep(delay.toMillis());
                }
                catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw ex;
                }
            }
        }
    }
}
