package dev.kclboot.multilang.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keys of the KCL daemon's properties file that this host accepts without using, each with the reason: they tune
 * parts of the KCL that the engine does differently or does not have. They are reported in one line at start, so a
 * file written for the daemon works unchanged and its owner learns what has no effect.
 */
final class IgnoredKeys {

    private static final Map<String, String> REASONS = new LinkedHashMap<>();

    static {
        String always = "the engine always does this";
        String kclInternal = "KCL scheduler tuning without an equivalent here";
        String kcl3 = "KCL 3.x worker-utilization and migration settings; this host balances by lease count and keeps a "
                + "KCL-compatible lease table without the extra tables";
        String metrics = "CloudWatch metrics are not published; the engine's meters are logged or served (see --management-port)";
        String fanout = "the engine's fan-out retries and backs off on its own (subscriptions, consumer registration)";
        put(always, "cleanupLeasesUponShardCompletion", "validateSequenceNumberBeforeCheckpointing",
                "ignoreUnexpectedChildShards", "skipShardSyncAtWorkerInitializationIfLeasesExist");
        put("one thread per shard, never a fixed pool that can starve", "maxActiveThreads", "maxLeaseRenewalThreads",
                "maxGetRecordsThreadPool");
        put(kclInternal, "leaseAssignmentIntervalMillis", "enablePriorityLeaseAssignment", "leaseTableScanTotalSegments",
                "listShardsBackoffTimeInMillis", "maxListShardsRetryAttempts", "parentShardPollIntervalMillis",
                "shardPrioritization", "schedulerInitializationBackoffTimeMillis", "taskBackoffTimeMillis",
                "logWarningForTaskAfterMillis", "retryGetRecordsInSeconds", "millisBehindLatestThresholdForReducedTps",
                "callProcessRecordsEvenForEmptyRecordList", "gracefulLeaseHandoffTimeoutMillis",
                "isGracefulLeaseHandoffEnabled");
        put("the lease table is created on demand (PAY_PER_REQUEST)", "initialLeaseTableReadCapacity",
                "initialLeaseTableWriteCapacity", "leaseTableDeletionProtectionEnabled", "leaseTablePitrEnabled",
                "billingMode");
        put(kcl3, "clientVersionConfig", "migrateAllEntitiesToLeaseTable", "tableMigrationCompleteBakeTimeSeconds",
                "inMemoryWorkerMetricsCaptureFrequencyMillis", "workerMetricsReporterFreqInMillis",
                "noOfPersistedMetricsPerWorkerMetrics", "disableWorkerMetrics", "maxThroughputPerHostKBps",
                "dampeningPercentage", "reBalanceThresholdPercentage", "allowThroughputOvershoot",
                "varianceBalancingFrequency", "workerMetricsEMAAlpha", "staleWorkerMetricsEntryCleanupDuration",
                "workerMetricsTableName", "workerMetricsBillingMode", "workerMetricsReadCapacity",
                "workerMetricsWriteCapacity", "workerMetricsPointInTimeRecoveryEnabled",
                "workerMetricsDeletionProtectionEnabled", "workerMetricsTags", "coordinatorStateTableName",
                "coordinatorStateBillingMode", "coordinatorStateReadCapacity", "coordinatorStateWriteCapacity",
                "coordinatorStatePointInTimeRecoveryEnabled", "coordinatorStateDeletionProtectionEnabled",
                "coordinatorStateTags");
        put(metrics, "metricsLevel", "metricsBufferTimeMillis", "metricsMaxQueueSize", "metricsEnabledDimensions",
                "AwsCredentialsProviderCloudWatch", "cloudWatchEndpoint");
        put(fanout, "maxDescribeStreamSummaryRetries", "maxDescribeStreamConsumerRetries",
                "registerStreamConsumerRetries", "retryBackoffMillis");
        put("only logged by the daemon too (its user agent use is commented out)", "processingLanguage");
    }

    private IgnoredKeys() {
    }

    private static void put(String reason, String... keys) {
        for (String key : keys) {
            REASONS.put(key, reason);
        }
    }

    /** Every ignored key with its reason. */
    static Map<String, String> reasons() {
        return REASONS;
    }
}
