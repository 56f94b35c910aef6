package dev.kclboot.autoconfigure;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.validation.Errors;

/**
 * Checks {@link KclProperties} while they are bound, so that a wrong value fails the startup with the property's
 * name, the value and what is allowed (reported by Spring Boot's bind validation failure analysis).
 */
final class KclPropertiesValidator {

    private final KclProperties properties;

    private final Errors errors;

    KclPropertiesValidator(KclProperties properties, Errors errors) {
        this.properties = properties;
        this.errors = errors;
    }

    void validate() {
        notBlank("applicationName", "kcl.application-name", properties.getApplicationName());
        notBlank("stream", "kcl.stream", properties.getStream());
        notBlank("region", "kcl.region", properties.getRegion());
        notBlank("workerId", "kcl.worker-id", properties.getWorkerId());
        credentials();
        endpoint("endpoint.kinesis", "kcl.endpoint.kinesis", properties.getEndpoint().getKinesis());
        endpoint("endpoint.dynamodb", "kcl.endpoint.dynamodb", properties.getEndpoint().getDynamodb());
        if (properties.getInitialPosition() == KclProperties.Position.AT_TIMESTAMP
                && properties.getInitialTimestamp() == null) {
            errors.rejectValue("initialTimestamp", "kcl.required",
                    "kcl.initial-timestamp must be set when kcl.initial-position is AT_TIMESTAMP");
        }
        lease();
        polling();
        retrieval();
        positive("shardSyncInterval", "kcl.shard-sync-interval", properties.getShardSyncInterval());
        positive("checkpoint.interval", "kcl.checkpoint.interval", properties.getCheckpoint().getInterval());
        listener();
        retry();
        deadLetter();
        positive("shutdownTimeout", "kcl.shutdown-timeout", properties.getShutdownTimeout());
        positive("health.blockedAfter", "kcl.health.blocked-after", properties.getHealth().getBlockedAfter());
    }

    private void credentials() {
        KclProperties.Credentials credentials = properties.getCredentials();
        boolean accessKey = hasText(credentials.getAccessKey());
        boolean secretKey = hasText(credentials.getSecretKey());
        if (accessKey && !secretKey) {
            errors.rejectValue("credentials.secretKey", "kcl.required",
                    "kcl.credentials.secret-key must be set with kcl.credentials.access-key");
        }
        if (secretKey && !accessKey) {
            errors.rejectValue("credentials.accessKey", "kcl.required",
                    "kcl.credentials.access-key must be set with kcl.credentials.secret-key");
        }
        if (hasText(credentials.getSessionToken()) && !(accessKey && secretKey)) {
            // Without both keys the token would be dropped and the SDK's default chain (other credentials) used.
            // A global error, not a field error: the startup report would print a field's value, the token.
            errors.reject("kcl.required",
                    "kcl.credentials.session-token needs kcl.credentials.access-key and kcl.credentials.secret-key "
                            + "(the temporary credentials it belongs to)");
        }
        if (accessKey && hasText(credentials.getProfile())) {
            errors.rejectValue("credentials.profile", "kcl.exclusive",
                    "kcl.credentials.profile and kcl.credentials.access-key exclude each other; set one of them");
        }
    }

    private void lease() {
        KclProperties.Lease lease = properties.getLease();
        notBlank("lease.tableName", "kcl.lease.table-name", lease.getTableName());
        Duration failover = lease.getFailoverTime();
        if (failover == null || failover.toMillis() < 300) {
            errors.rejectValue("lease.failoverTime", "kcl.range", "kcl.lease.failover-time must be at least 300ms");
        }
        Integer maxLeases = lease.getMaxLeasesPerWorker();
        if (maxLeases != null && maxLeases < 1) {
            errors.rejectValue("lease.maxLeasesPerWorker", "kcl.range",
                    "kcl.lease.max-leases-per-worker must be at least 1 (leave it unset for no limit)");
        }
        if (lease.getMaxLeasesToSteal() < 0) {
            errors.rejectValue("lease.maxLeasesToSteal", "kcl.range",
                    "kcl.lease.max-leases-to-steal must not be negative");
        }
    }

    private void polling() {
        KclProperties.Polling polling = properties.getPolling();
        if (polling.getMaxRecords() < 1 || polling.getMaxRecords() > 10_000) {
            errors.rejectValue("polling.maxRecords", "kcl.range",
                    "kcl.polling.max-records must be between 1 and 10000");
        }
        Duration idle = polling.getIdleTimeBetweenReads();
        if (idle == null || idle.isNegative()) {
            errors.rejectValue("polling.idleTimeBetweenReads", "kcl.range",
                    "kcl.polling.idle-time-between-reads must not be negative");
        }
    }

    private void retrieval() {
        KclProperties.Retrieval retrieval = properties.getRetrieval();
        notBlank("retrieval.consumerName", "kcl.retrieval.consumer-name", retrieval.getConsumerName());
        String arn = retrieval.getConsumerArn();
        if (arn != null && !(arn.startsWith("arn:") && arn.contains(":stream/") && arn.contains("/consumer/"))) {
            errors.rejectValue("retrieval.consumerArn", "kcl.arn", "kcl.retrieval.consumer-arn must be a stream "
                    + "consumer ARN such as arn:aws:kinesis:us-east-1:123456789012:stream/orders/consumer/app:1700000000");
        }
        Duration probe = retrieval.getShardEndProbeInterval();
        if (probe == null || probe.isNegative()) {
            errors.rejectValue("retrieval.shardEndProbeInterval", "kcl.range",
                    "kcl.retrieval.shard-end-probe-interval must not be negative (0 turns the check off)");
        }
    }

    private void listener() {
        KclProperties.Listener listener = properties.getListener();
        if (listener.getConcurrency() < 1) {
            errors.rejectValue("listener.concurrency", "kcl.range", "kcl.listener.concurrency must be at least 1");
        }
        Integer window = listener.getWindow();
        if (window != null && window < 1) {
            errors.rejectValue("listener.window", "kcl.range", "kcl.listener.window must be at least 1");
        }
    }

    private void retry() {
        KclProperties.Retry retry = properties.getRetry();
        Integer maxAttempts = retry.getMaxAttempts();
        if (maxAttempts != null && maxAttempts != -1 && maxAttempts < 1) {
            errors.rejectValue("retry.maxAttempts", "kcl.range",
                    "kcl.retry.max-attempts must be at least 1 (or -1, or unset, for no limit)");
        }
        if (retry.getMaxRecordAge() != null) {
            positive("retry.maxRecordAge", "kcl.retry.max-record-age", retry.getMaxRecordAge());
        }
        backoff("retry.backoff", "kcl.retry.backoff", retry.getBackoff());
    }

    private void backoff(String field, String property, KclProperties.Retry.Backoff backoff) {
        positive(field + ".initialInterval", property + ".initial-interval", backoff.getInitialInterval());
        positive(field + ".maxInterval", property + ".max-interval", backoff.getMaxInterval());
        if (backoff.getMultiplier() < 1.0) {
            errors.rejectValue(field + ".multiplier", "kcl.range", property + ".multiplier must be at least 1");
        }
        if (backoff.getInitialInterval() != null && backoff.getMaxInterval() != null
                && backoff.getMaxInterval().compareTo(backoff.getInitialInterval()) < 0) {
            errors.rejectValue(field + ".maxInterval", "kcl.range",
                    property + ".max-interval must not be shorter than " + property + ".initial-interval");
        }
    }

    private void deadLetter() {
        KclProperties.DeadLetter deadLetter = properties.getDeadLetter();
        notBlank("deadLetter.stream", "kcl.dead-letter.stream", deadLetter.getStream());
        if (deadLetter.getMaxAttempts() < 1) {
            errors.rejectValue("deadLetter.maxAttempts", "kcl.range",
                    "kcl.dead-letter.max-attempts must be at least 1");
        }
        backoff("deadLetter.backoff", "kcl.dead-letter.backoff", deadLetter.getBackoff());
    }

    private void endpoint(String field, String property, @Nullable URI uri) {
        if (uri != null && (uri.getScheme() == null || uri.getHost() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")))) {
            errors.rejectValue(field, "kcl.uri", property + " must be an http or https URL such as http://localhost:4567");
        }
    }

    private void positive(String field, String property, @Nullable Duration duration) {
        if (duration == null || duration.isZero() || duration.isNegative()) {
            errors.rejectValue(field, "kcl.range", property + " must be a positive duration such as 10s");
        }
    }

    private void notBlank(String field, String property, @Nullable String value) {
        if (value != null && value.isBlank()) {
            errors.rejectValue(field, "kcl.blank", property + " must not be blank (leave it unset instead)");
        }
    }

    private static boolean hasText(@Nullable String value) {
        return value != null && !value.isBlank();
    }
}
