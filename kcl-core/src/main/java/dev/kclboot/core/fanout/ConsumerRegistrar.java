package dev.kclboot.core.fanout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import dev.kclboot.core.aws.AwsFailures;
import dev.kclboot.core.aws.FailureKind;
import dev.kclboot.core.backoff.ExponentialBackoff;
import dev.kclboot.core.stream.StreamRef;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ConsumerDescription;
import software.amazon.awssdk.services.kinesis.model.ConsumerStatus;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;

/**
 * Finds the stream consumer enhanced fan-out subscribes through, registers it when it is missing, and waits until it
 * is ACTIVE, as every instance of an application does at start: the first one registers, the others find it (a
 * registration that loses the race, with ResourceInUseException, just describes the winner's). Throttling and
 * transient errors are retried with backoff until the retry timeout; anything else fails at once, naming the action.
 */
public final class ConsumerRegistrar {

    private static final Logger logger = LoggerFactory.getLogger(ConsumerRegistrar.class);

    /** Kinesis usually activates a consumer within seconds; give it more before giving up. */
    private static final Duration ACTIVATION_TIMEOUT = Duration.ofMinutes(2);

    private static final String DESCRIBE_STREAM = "kinesis:DescribeStreamSummary";

    private static final String DESCRIBE = "kinesis:DescribeStreamConsumer";

    private static final String REGISTER = "kinesis:RegisterStreamConsumer";

    private static final String DEREGISTER = "kinesis:DeregisterStreamConsumer";

    private final KinesisAsyncClient kinesis;

    private final Duration retryTimeout;

    private final ExponentialBackoff backoff = new ExponentialBackoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    public ConsumerRegistrar(KinesisAsyncClient kinesis, Duration retryTimeout) {
        this.kinesis = kinesis;
        this.retryTimeout = retryTimeout;
    }

    /**
     * The ARN of the stream's consumer of this name, registered when missing, once it is ACTIVE.
     * @throws ConsumerRegistrationException naming the action that failed
     */
    public String register(StreamRef stream, String consumerName) {
        long deadline = System.nanoTime() + ACTIVATION_TIMEOUT.toNanos();
        String streamArn = streamArn(stream);
        for (int attempt = 0; ; attempt++) {
            ConsumerDescription consumer = describe(streamArn, consumerName);
            if (consumer == null) {
                try {
                    String arn = call(REGISTER, stream, consumerName, () -> kinesis.registerStreamConsumer(
                            request -> request.streamARN(streamArn).consumerName(consumerName)))
                            .consumer().consumerARN();
                    logger.info("Registered stream consumer {} of stream {} for enhanced fan-out ({})", consumerName,
                            stream, arn);
                }
                catch (ConsumerRegistrationException ex) {
                    if (!"ResourceInUseException".equals(AwsFailures.errorCode(ex.getCause()))) {
                        throw ex;
                    }
                    // Another instance registered it at the same time, or an old one is still being deleted.
                }
            }
            else if (consumer.consumerStatus() == ConsumerStatus.ACTIVE) {
                return consumer.consumerARN();
            }
            waitForStatus(stream, consumerName, consumer, deadline, attempt);
        }
    }

    /**
     * Checks that an existing consumer belongs to the stream and waits until it is ACTIVE.
     * @throws ConsumerRegistrationException when it does not exist, belongs to another stream, or never activates
     */
    public String await(StreamRef stream, String consumerArn) {
        long deadline = System.nanoTime() + ACTIVATION_TIMEOUT.toNanos();
        for (int attempt = 0; ; attempt++) {
            ConsumerDescription consumer = call(DESCRIBE, stream, consumerArn,
                    () -> kinesis.describeStreamConsumer(request -> request.consumerARN(consumerArn)))
                    .consumerDescription();
            String owner = StreamRef.of(consumer.streamARN(), false).streamName();
            if (!owner.equals(stream.streamName())) {
                throw new ConsumerRegistrationException(DESCRIBE, "Stream consumer " + consumerArn + " belongs to stream "
                        + owner + ", not to " + stream);
            }
            if (consumer.consumerStatus() == ConsumerStatus.ACTIVE) {
                return consumer.consumerARN();
            }
            waitForStatus(stream, consumerArn, consumer, deadline, attempt);
        }
    }

    /** Deregisters a consumer (its subscriptions end); a consumer already gone is fine. */
    public void deregister(StreamRef stream, String consumerArn) {
        try {
            call(DEREGISTER, stream, consumerArn,
                    () -> kinesis.deregisterStreamConsumer(request -> request.consumerARN(consumerArn)));
            logger.info("Deregistered stream consumer {} of stream {}", consumerArn, stream);
        }
        catch (ConsumerRegistrationException ex) {
            if (AwsFailures.kindOf(ex.getCause()) != FailureKind.NOT_FOUND) {
                throw ex;
            }
        }
    }

    private String streamArn(StreamRef stream) {
        if (stream.isArn()) {
            return stream.nameOrArn();
        }
        return call(DESCRIBE_STREAM, stream, "", () -> kinesis.describeStreamSummary(
                stream.applyTo(DescribeStreamSummaryRequest.builder()).build()))
                .streamDescriptionSummary().streamARN();
    }

    private @Nullable ConsumerDescription describe(String streamArn, String consumerName) {
        StreamRef stream = StreamRef.of(streamArn, false);
        try {
            return call(DESCRIBE, stream, consumerName, () -> kinesis.describeStreamConsumer(
                    request -> request.streamARN(streamArn).consumerName(consumerName))).consumerDescription();
        }
        catch (ConsumerRegistrationException ex) {
            if (AwsFailures.kindOf(ex.getCause()) == FailureKind.NOT_FOUND) {
                return null;
            }
            throw ex;
        }
    }

    private void waitForStatus(StreamRef stream, String consumer, @Nullable ConsumerDescription description,
            long deadlineNanos, int attempt) {
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new ConsumerRegistrationException(DESCRIBE, "Stream consumer " + consumer + " of stream " + stream
                    + " did not become ACTIVE within " + ACTIVATION_TIMEOUT.toSeconds() + " s (status "
                    + (description == null ? "not registered" : description.consumerStatus()) + ")");
        }
        sleep(backoff.delay(Math.min(attempt, 6)));
    }

    /** One call, retried while it is throttled or fails transiently, up to the retry timeout. */
    private <T> T call(String action, StreamRef stream, String consumer, Supplier<CompletableFuture<T>> request) {
        long deadline = System.nanoTime() + retryTimeout.toNanos();
        for (int attempt = 0; ; attempt++) {
            try {
                return request.get().join();
            }
            catch (CompletionException | SdkException ex) {
                Throwable cause = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
                FailureKind kind = AwsFailures.kindOf(cause);
                Duration delay = backoff.delay(attempt);
                boolean retry = (kind == FailureKind.THROTTLED || kind == FailureKind.TRANSIENT)
                        && System.nanoTime() + delay.toNanos() - deadline < 0;
                if (!retry) {
                    throw new ConsumerRegistrationException(action, action + " " + AwsFailures.verb(kind)
                            + " for stream " + stream + (consumer.isEmpty() ? "" : ", consumer " + consumer) + " ("
                            + AwsFailures.describe(cause) + ")", cause);
                }
                logger.warn("{} {} ({}); retrying in {} ms", action, AwsFailures.verb(kind), AwsFailures.describe(cause),
                        delay.toMillis());
                sleep(delay);
            }
        }
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new ConsumerRegistrationException(DESCRIBE, "Interrupted while waiting for the stream consumer", ex);
        }
    }
}
