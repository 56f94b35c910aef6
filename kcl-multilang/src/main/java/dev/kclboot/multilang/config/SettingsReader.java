package dev.kclboot.multilang.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;

import dev.kclboot.core.stream.InitialPosition;
import dev.kclboot.multilang.child.ExecutableCommand;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Reads {@link MultiLangSettings} from the properties of a KCL MultiLang properties file, with the daemon's key names
 * and defaults (keys are not case-sensitive). A missing required key or a bad value fails with a message naming the
 * key; keys the daemon knows but this host does not need are reported once; unknown keys are listed in a warning.
 * Values are never logged (credentials provider values may name roles or profiles).
 */
public final class SettingsReader {

    private final Consumer<String> warnings;

    private final Consumer<String> notes;

    /**
     * @param warnings receives what the user should fix or know (unknown keys, unsupported modes)
     * @param notes receives what is only worth knowing (accepted keys without effect)
     */
    public SettingsReader(Consumer<String> warnings, Consumer<String> notes) {
        this.warnings = warnings;
        this.notes = notes;
    }

    /**
     * @throws InvalidSettingsException naming the first key that is missing or wrong
     */
    public MultiLangSettings read(Properties properties) {
        DaemonProperties keys = new DaemonProperties(properties);
        ExecutableCommand executable = ExecutableCommand.parse(require(keys, "executableName",
                "the command that runs the record processor, e.g. executableName = python3 app.py"));
        String applicationName = require(keys, "applicationName", "it names the application and its lease table");
        String stream = stream(keys);
        Region region = region(keys, stream);
        URI kinesisEndpoint = uri(keys, "kinesisEndpoint");
        URI dynamoDbEndpoint = uri(keys, "dynamoDBEndpoint");
        AwsCredentialsProvider kinesisCredentials = CredentialsProviders.parse("AwsCredentialsProvider",
                require(keys, "AwsCredentialsProvider", "e.g. AwsCredentialsProvider = DefaultCredentialsProvider"));
        AwsCredentialsProvider dynamoDbCredentials = keys.get("AwsCredentialsProviderDynamoDB")
                .map(value -> CredentialsProviders.parse("AwsCredentialsProviderDynamoDB", value))
                .orElse(kinesisCredentials);
        InitialPosition initialPosition = initialPosition(keys);
        int maxRecords = (int) number(keys, "maxRecords", 10_000, 1, 10_000);
        Duration idleTime = Duration.ofMillis(number(keys, "idleTimeBetweenReadsInMillis", 1000, 0, Long.MAX_VALUE));
        Duration failover = Duration.ofMillis(number(keys, "failoverTimeMillis", 10_000, 300, Long.MAX_VALUE));
        Duration shardSync = Duration.ofMillis(number(keys, "shardSyncIntervalMillis", 60_000, 1, Long.MAX_VALUE));
        Integer maxLeases = keys.get("maxLeasesForWorker").isPresent()
                ? (int) number(keys, "maxLeasesForWorker", 0, 1, Integer.MAX_VALUE) : null;
        int maxSteal = (int) number(keys, "maxLeasesToStealAtOneTime", 1, 0, Integer.MAX_VALUE);
        String workerId = keys.get("workerId").orElse(null);
        String tableName = keys.get("tableName").orElse(null);
        RetrievalMode retrievalMode = retrievalMode(keys);
        String consumerName = keys.get("consumerName").orElse(null);
        String consumerArn = keys.get("consumerArn").orElse(null);
        if (retrievalMode != RetrievalMode.FANOUT && (consumerName != null || consumerArn != null)) {
            warnings.accept((consumerArn != null ? "consumerArn" : "consumerName") + " is set but RetrievalMode is "
                    + retrievalMode + ": the host polls and uses no stream consumer (set RetrievalMode = FANOUT)");
        }
        if (consumerArn != null && stream.startsWith("arn:") && !consumerArn.startsWith(stream + "/consumer/")) {
            throw new InvalidSettingsException("consumerArn " + consumerArn + " is not a consumer of the stream "
                    + stream + " (streamArn)");
        }
        Duration timeout = keys.get("timeoutInSeconds").isPresent()
                ? Duration.ofSeconds(number(keys, "timeoutInSeconds", 0, 1, Integer.MAX_VALUE)) : null;
        Duration grace = Duration.ofMillis(number(keys, "shutdownGraceMillis",
                MultiLangSettings.DEFAULT_SHUTDOWN_GRACE.toMillis(), 0, Long.MAX_VALUE));
        if (grace.isZero()) {
            warnings.accept("shutdownGraceMillis = 0: on SIGTERM / Ctrl-C the children get no time to checkpoint "
                    + "(the default here is " + MultiLangSettings.DEFAULT_SHUTDOWN_GRACE.toMillis() + ")");
        }
        reportOtherKeys(keys);
        return new MultiLangSettings(executable, applicationName, tableName, stream, region, kinesisEndpoint,
                dynamoDbEndpoint, kinesisCredentials, dynamoDbCredentials, initialPosition, maxRecords, idleTime,
                failover, shardSync, maxLeases, maxSteal, workerId, retrievalMode, consumerName, consumerArn, timeout,
                grace);
    }

    private static String require(DaemonProperties keys, String key, String hint) {
        return keys.get(key).orElseThrow(() -> new InvalidSettingsException(
                "The required key " + key + " is missing from the properties file (" + hint + ")"));
    }

    private String stream(DaemonProperties keys) {
        Optional<String> arn = keys.get("streamArn");
        Optional<String> name = keys.get("streamName");
        if (arn.isPresent()) {
            StreamArn parsed = StreamArn.parse("streamArn", arn.get());
            if (name.isPresent() && !name.get().equals(parsed.streamName())) {
                warnings.accept("streamName = " + name.get() + " differs from the stream of streamArn ("
                        + parsed.streamName() + "); streamArn wins, as in the KCL");
            }
            return parsed.arn();
        }
        return name.orElseThrow(() -> new InvalidSettingsException(
                "The required key streamName (or streamArn) is missing from the properties file"));
    }

    private Region region(DaemonProperties keys, String stream) {
        Optional<String> regionName = keys.get("regionName");
        if (regionName.isPresent()) {
            if (stream.startsWith("arn:")) {
                String arnRegion = StreamArn.parse("streamArn", stream).region();
                if (!arnRegion.equals(regionName.get())) {
                    warnings.accept("regionName = " + regionName.get() + " but streamArn is in " + arnRegion
                            + "; the clients use " + regionName.get());
                }
            }
            return Region.of(regionName.get());
        }
        if (stream.startsWith("arn:")) {
            return Region.of(StreamArn.parse("streamArn", stream).region());
        }
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        }
        catch (SdkClientException ex) {
            throw new InvalidSettingsException("The key regionName is missing and no region is configured for the "
                    + "SDK (AWS_REGION, a profile's region); set regionName, e.g. regionName = us-east-1");
        }
    }

    private static @Nullable URI uri(DaemonProperties keys, String key) {
        Optional<String> value = keys.get(key);
        if (value.isEmpty()) {
            return null;
        }
        String text = value.get();
        // The daemon accepts host names without a scheme; the SDK needs one.
        String withScheme = text.contains("://") ? text : "https://" + text;
        try {
            URI uri = new URI(withScheme);
            if (uri.getHost() == null) {
                throw new URISyntaxException(withScheme, "no host");
            }
            return uri;
        }
        catch (URISyntaxException ex) {
            throw new InvalidSettingsException(key + " must be a URL such as http://localhost:4567, was '" + text + "'");
        }
    }

    private static InitialPosition initialPosition(DaemonProperties keys) {
        Optional<String> position = keys.get("initialPositionInStream").map(value -> value.toUpperCase(Locale.ROOT));
        Optional<String> timestamp = keys.get("initialPositionInStreamExtended");
        if (timestamp.isPresent()) {
            if (position.isPresent() && !position.get().equals("AT_TIMESTAMP")) {
                throw new InvalidSettingsException("initialPositionInStreamExtended (a timestamp) contradicts "
                        + "initialPositionInStream = " + position.get() + "; remove one of them");
            }
            long seconds;
            try {
                seconds = Long.parseLong(timestamp.get());
            }
            catch (NumberFormatException ex) {
                throw new InvalidSettingsException("initialPositionInStreamExtended must be a time in epoch seconds "
                        + "(as in the KCL), was '" + timestamp.get() + "'");
            }
            return InitialPosition.atTimestamp(Instant.ofEpochSecond(seconds));
        }
        String value = position.orElse("LATEST");
        return switch (value) {
            case "LATEST" -> InitialPosition.latest();
            case "TRIM_HORIZON" -> InitialPosition.trimHorizon();
            case "AT_TIMESTAMP" -> throw new InvalidSettingsException("initialPositionInStream = AT_TIMESTAMP needs "
                    + "initialPositionInStreamExtended, the time in epoch seconds");
            default -> throw new InvalidSettingsException("initialPositionInStream must be LATEST, TRIM_HORIZON or "
                    + "AT_TIMESTAMP, was '" + value + "'");
        };
    }

    private static long number(DaemonProperties keys, String key, long defaultValue, long min, long max) {
        Optional<String> value = keys.get(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        long number;
        try {
            number = Long.parseLong(value.get());
        }
        catch (NumberFormatException ex) {
            throw new InvalidSettingsException(key + " must be a whole number, was '" + value.get() + "'");
        }
        if (number < min || number > max) {
            throw new InvalidSettingsException(key + " must be " + (max == Long.MAX_VALUE || max == Integer.MAX_VALUE
                    ? "at least " + min : "between " + min + " and " + max) + ", was " + number);
        }
        return number;
    }

    private RetrievalMode retrievalMode(DaemonProperties keys) {
        RetrievalMode mode = keys.get("RetrievalMode").map(value -> RetrievalMode.parse("RetrievalMode", value))
                .orElse(RetrievalMode.DEFAULT);
        if (mode == RetrievalMode.DEFAULT) {
            notes.accept("RetrievalMode DEFAULT: the KCL would use enhanced fan-out; this host polls with GetRecords "
                    + "unless the file says RetrievalMode = FANOUT");
        }
        return mode;
    }

    private void reportOtherKeys(DaemonProperties keys) {
        List<String> ignored = new ArrayList<>();
        for (Map.Entry<String, String> entry : IgnoredKeys.reasons().entrySet()) {
            if (keys.contains(entry.getKey()) && !entry.getKey().equals("processingLanguage")) {
                ignored.add(entry.getKey() + " (" + entry.getValue() + ")");
            }
        }
        if (!ignored.isEmpty()) {
            notes.accept("Accepted without effect: " + String.join("; ", ignored));
        }
        List<String> unknown = keys.unusedKeys();
        if (!unknown.isEmpty()) {
            warnings.accept("Unknown keys in the properties file, ignored: " + String.join(", ", unknown)
                    + " (check their spelling against the KCL's MultiLang keys)");
        }
    }
}
