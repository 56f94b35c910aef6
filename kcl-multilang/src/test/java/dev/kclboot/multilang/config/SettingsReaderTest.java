package dev.kclboot.multilang.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import dev.kclboot.core.record.ExtendedSequenceNumber;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.regions.Region;

class SettingsReaderTest {

    private final List<String> warnings = new ArrayList<>();

    private final List<String> notes = new ArrayList<>();

    private final SettingsReader reader = new SettingsReader(warnings::add, notes::add);

    /** The keys of the kclpy sample's properties file. */
    private static Properties sample() {
        Properties properties = new Properties();
        properties.setProperty("executableName", "sample_kclpy_app.py");
        properties.setProperty("streamName", "kclpysample");
        properties.setProperty("applicationName", "PythonKCLSample");
        properties.setProperty("AwsCredentialsProvider", "DefaultCredentialsProvider");
        properties.setProperty("processingLanguage", "python/3.8");
        properties.setProperty("initialPositionInStream", "TRIM_HORIZON");
        properties.setProperty("regionName", "us-east-1");
        return properties;
    }

    @Test
    void readsTheKclpySampleWithTheDaemonsDefaults() {
        MultiLangSettings settings = reader.read(sample());
        assertThat(settings.executable().argv()).containsExactly("sample_kclpy_app.py");
        assertThat(settings.applicationName()).isEqualTo("PythonKCLSample");
        assertThat(settings.stream()).isEqualTo("kclpysample");
        assertThat(settings.region()).isEqualTo(Region.US_EAST_1);
        assertThat(settings.kinesisCredentials()).isInstanceOf(DefaultCredentialsProvider.class);
        assertThat(settings.dynamoDbCredentials()).isSameAs(settings.kinesisCredentials());
        assertThat(settings.initialPosition().sentinel()).isEqualTo(ExtendedSequenceNumber.TRIM_HORIZON);
        assertThat(settings.maxRecords()).isEqualTo(10_000);
        assertThat(settings.failoverTime()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.maxLeasesForWorker()).isNull();
        assertThat(settings.maxLeasesToStealAtOneTime()).isEqualTo(1);
        assertThat(settings.timeout()).isNull();
        assertThat(settings.shutdownGrace()).isEqualTo(Duration.ofSeconds(8));
        assertThat(settings.retrievalMode()).isEqualTo(RetrievalMode.DEFAULT);
        assertThat(warnings).isEmpty();
        assertThat(settings.fanOut()).isFalse();
        assertThat(notes).containsExactly("RetrievalMode DEFAULT: the KCL would use enhanced fan-out; this host polls "
                + "with GetRecords unless the file says RetrievalMode = FANOUT");
    }

    @Test
    void eachRequiredKeyIsNamedWhenMissing() {
        for (String key : List.of("executableName", "applicationName", "AwsCredentialsProvider")) {
            Properties properties = sample();
            properties.remove(key);
            assertThatThrownBy(() -> reader.read(properties)).isInstanceOf(InvalidSettingsException.class)
                    .hasMessageStartingWith("The required key " + key + " is missing from the properties file");
        }
        Properties noStream = sample();
        noStream.remove("streamName");
        assertThatThrownBy(() -> reader.read(noStream))
                .hasMessage("The required key streamName (or streamArn) is missing from the properties file");
    }

    @Test
    void keysAreNotCaseSensitiveButTwoSpellingsOfOneKeyAreRefused() {
        Properties properties = sample();
        properties.remove("AwsCredentialsProvider");
        properties.setProperty("awscredentialsprovider", "ProfileCredentialsProvider|dev");
        properties.setProperty("MAXRECORDS", "250");
        MultiLangSettings settings = reader.read(properties);
        assertThat(settings.kinesisCredentials()).isInstanceOf(ProfileCredentialsProvider.class);
        assertThat(settings.maxRecords()).isEqualTo(250);

        properties.setProperty("maxRecords", "100");
        assertThatThrownBy(() -> reader.read(properties)).isInstanceOf(InvalidSettingsException.class)
                .hasMessage("The keys 'MAXRECORDS' and 'maxRecords' are the same key (keys are not case-sensitive); "
                        + "keep one of them");
    }

    @Test
    void unknownKeysAreListedInOneWarningAndKnownUnusedKeysInANote() {
        Properties properties = sample();
        properties.setProperty("maxRecrods", "10");
        properties.setProperty("fooBar", "x");
        properties.setProperty("maxActiveThreads", "8");
        properties.setProperty("metricsLevel", "NONE");
        reader.read(properties);
        assertThat(warnings).containsExactly("Unknown keys in the properties file, ignored: fooBar, maxRecrods (check "
                + "their spelling against the KCL's MultiLang keys)");
        assertThat(notes).hasSize(2).last().asString().startsWith("Accepted without effect: maxActiveThreads (")
                .contains("metricsLevel (CloudWatch metrics are not published");
    }

    @Test
    void theStreamArnWinsOverTheNameAndGivesTheRegion() {
        Properties properties = sample();
        properties.remove("regionName");
        properties.setProperty("streamArn", "arn:aws:kinesis:eu-west-1:123456789012:stream/orders");
        MultiLangSettings settings = reader.read(properties);
        assertThat(settings.stream()).isEqualTo("arn:aws:kinesis:eu-west-1:123456789012:stream/orders");
        assertThat(settings.region()).isEqualTo(Region.EU_WEST_1);
        assertThat(warnings).containsExactly("streamName = kclpysample differs from the stream of streamArn (orders); "
                + "streamArn wins, as in the KCL");

        properties.setProperty("streamArn", "arn:aws:sqs:eu-west-1:123456789012:orders");
        assertThatThrownBy(() -> reader.read(properties)).hasMessageStartingWith("streamArn must be a Kinesis stream ARN");
    }

    @Test
    void badValuesNameTheirKey() {
        assertBad("maxRecords", "lots", "maxRecords must be a whole number, was 'lots'");
        assertBad("maxRecords", "20000", "maxRecords must be between 1 and 10000, was 20000");
        assertBad("failoverTimeMillis", "100", "failoverTimeMillis must be at least 300, was 100");
        assertBad("timeoutInSeconds", "0", "timeoutInSeconds must be at least 1, was 0");
        assertBad("initialPositionInStream", "EARLIEST",
                "initialPositionInStream must be LATEST, TRIM_HORIZON or AT_TIMESTAMP, was 'EARLIEST'");
        assertBad("RetrievalMode", "PUSH", "RetrievalMode must be FANOUT, POLLING or DEFAULT, was 'PUSH'");
        assertBad("kinesisEndpoint", "http://", "kinesisEndpoint must be a URL such as http://localhost:4567, was 'http://'");
        assertBad("AwsCredentialsProvider", "NoSuchProvider", "AwsCredentialsProvider: no credentials provider class "
                + "'NoSuchProvider'");
        assertBad("AwsCredentialsProvider", "StsAssumeRoleCredentialsProvider|arn:aws:iam::1:role/r|s",
                "AwsCredentialsProvider: StsAssumeRoleCredentialsProvider is not supported by this host");
    }

    private void assertBad(String key, String value, String message) {
        Properties properties = sample();
        properties.setProperty(key, value);
        assertThatThrownBy(() -> reader.read(properties)).isInstanceOf(InvalidSettingsException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void atTimestampComesFromTheExtendedKeyInEpochSeconds() {
        Properties properties = sample();
        properties.setProperty("initialPositionInStream", "AT_TIMESTAMP");
        assertThatThrownBy(() -> reader.read(properties)).hasMessageContaining("needs initialPositionInStreamExtended");
        properties.setProperty("initialPositionInStreamExtended", "1700000000");
        assertThat(reader.read(properties).initialPosition().timestamp()).isEqualTo(Instant.ofEpochSecond(1_700_000_000));
        properties.setProperty("initialPositionInStream", "LATEST");
        assertThatThrownBy(() -> reader.read(properties)).hasMessageContaining("contradicts");
    }

    @Test
    void theHostsOwnKeysAndProviderListsAreRead() {
        Properties properties = sample();
        properties.setProperty("executableName", "python3   app.py  --verbose");
        properties.setProperty("AwsCredentialsProvider", "EnvironmentVariableCredentialsProvider, DefaultCredentialsProvider");
        properties.setProperty("AwsCredentialsProviderDynamoDB", "ProfileCredentialsProvider");
        properties.setProperty("timeoutInSeconds", "30");
        properties.setProperty("shutdownGraceMillis", "0");
        properties.setProperty("maxLeasesForWorker", "7");
        properties.setProperty("workerId", "w-1");
        properties.setProperty("tableName", "leases");
        properties.setProperty("RetrievalMode", "fanout");
        properties.setProperty("consumerName", "readers");
        properties.setProperty("kinesisEndpoint", "localhost:4567");
        MultiLangSettings settings = reader.read(properties);
        assertThat(settings.executable().argv()).containsExactly("python3", "app.py", "--verbose");
        assertThat(settings.kinesisCredentials()).isInstanceOf(AwsCredentialsProviderChain.class);
        assertThat(settings.dynamoDbCredentials()).isInstanceOf(ProfileCredentialsProvider.class);
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.shutdownGrace()).isZero();
        assertThat(settings.maxLeasesForWorker()).isEqualTo(7);
        assertThat(settings.workerId()).isEqualTo("w-1");
        assertThat(settings.leaseTableName()).isEqualTo("leases");
        assertThat(settings.kinesisEndpoint()).hasToString("https://localhost:4567");
        assertThat(settings.fanOut()).isTrue();
        assertThat(settings.consumerName()).isEqualTo("readers");
        assertThat(settings.consumerArn()).isNull();
        assertThat(settings.summary()).contains("enhanced fan-out through consumer readers");
        assertThat(warnings).singleElement().asString().startsWith("shutdownGraceMillis = 0");
    }

    @Test
    void consumerKeysWithoutFanOutAreReportedAsUnused() {
        Properties properties = sample();
        properties.setProperty("RetrievalMode", "POLLING");
        properties.setProperty("consumerArn", "arn:aws:kinesis:us-east-1:123456789012:stream/kclpysample/consumer/c:1");
        MultiLangSettings settings = reader.read(properties);
        assertThat(settings.fanOut()).isFalse();
        assertThat(settings.summary()).contains(", polling");
        assertThat(warnings).containsExactly("consumerArn is set but RetrievalMode is POLLING: the host polls and uses "
                + "no stream consumer (set RetrievalMode = FANOUT)");
    }

    @Test
    void aConsumerOfAnotherStreamIsRefused() {
        Properties properties = sample();
        properties.remove("streamName");
        properties.setProperty("streamArn", "arn:aws:kinesis:us-east-1:123456789012:stream/orders");
        properties.setProperty("RetrievalMode", "FANOUT");
        properties.setProperty("consumerArn", "arn:aws:kinesis:us-east-1:123456789012:stream/other/consumer/c:1");
        assertThatThrownBy(() -> reader.read(properties)).isInstanceOf(InvalidSettingsException.class)
                .hasMessage("consumerArn arn:aws:kinesis:us-east-1:123456789012:stream/other/consumer/c:1 is not a "
                        + "consumer of the stream arn:aws:kinesis:us-east-1:123456789012:stream/orders (streamArn)");
    }
}
