package dev.kclboot.autoconfigure.diagnostics;

import java.util.List;

import dev.kclboot.autoconfigure.KclAutoConfiguration;
import dev.kclboot.core.WorkerStartException;
import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.listener.container.KinesisWorkerStartException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each failure analyzer, on the failure a real startup produces where one can be produced without AWS, and on the
 * engine's exceptions otherwise (the emulator-backed "stream not found" case is in {@code StreamNotFoundIT}).
 */
class FailureAnalyzersTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, KclAutoConfiguration.class))
            .withPropertyValues("kcl.region=us-east-1", "kcl.auto-startup=false");

    @Test
    void theAnalyzersAreRegistered() {
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
                .load(FailureAnalyzer.class,
                        SpringFactoriesLoader.ArgumentResolver.of(Environment.class, new StandardEnvironment()),
                        SpringFactoriesLoader.FailureHandler.handleMessage((message, ex) -> {
                    // Spring Boot's own analyzers need a bean factory; only ours matter here.
                }));
        assertThat(analyzers).hasAtLeastOneElementOfType(MissingApplicationNameFailureAnalyzer.class)
                .hasAtLeastOneElementOfType(MissingStreamFailureAnalyzer.class)
                .hasAtLeastOneElementOfType(InvalidListenerMethodFailureAnalyzer.class)
                .hasAtLeastOneElementOfType(StreamNotFoundFailureAnalyzer.class)
                .hasAtLeastOneElementOfType(LeaseTableAccessDeniedFailureAnalyzer.class)
                .hasAtLeastOneElementOfType(MissingRegionFailureAnalyzer.class)
                .hasAtLeastOneElementOfType(AwsCredentialsFailureAnalyzer.class)
                .hasAtLeastOneElementOfType(EndpointUnreachableFailureAnalyzer.class)
                .hasAtLeastOneElementOfType(UnknownKclPropertiesFailureAnalyzer.class);
    }

    @Test
    void noApplicationName() {
        runner.withUserConfiguration(Listener.class).withPropertyValues("kcl.stream=orders").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new MissingApplicationNameFailureAnalyzer()
                    .analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("listener 'listener.onOrder'")
                    .contains(ListenerBean.class.getName() + ".onOrder").contains("has no application name");
            assertThat(analysis.getAction()).contains("kcl.application-name").contains("spring.application.name");
        });
    }

    @Test
    void noStream() {
        runner.withUserConfiguration(Listener.class).withPropertyValues("kcl.application-name=app").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new MissingStreamFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("listener 'listener.onOrder'").contains("no stream");
            assertThat(analysis.getAction()).contains("kcl.stream").contains("@KinesisListener");
        });
    }

    @Test
    void invalidListenerSignatureNamesTheMethod() {
        runner.withUserConfiguration(BadListener.class)
                .withPropertyValues("kcl.application-name=app", "kcl.stream=orders").run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new InvalidListenerMethodFailureAnalyzer()
                            .analyze(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription())
                            .contains(BadListenerBean.class.getName() + ".onOrder(String, Integer)")
                            .contains("more than one payload parameter");
                    assertThat(analysis.getAction()).contains(BadListenerBean.class.getName() + ".onOrder");
                });
    }

    @Test
    void streamNotFoundNamesStreamAndRegion() {
        ResourceNotFoundException notFound = (ResourceNotFoundException) ResourceNotFoundException.builder()
                .message("Stream orders under account 123456789012 not found.").build();
        WorkerStartException engine = new WorkerStartException(
                "Kinesis stream 'orders' does not exist in region eu-west-1", notFound);
        KinesisWorkerStartException failure = new KinesisWorkerStartException("app", "app",
                List.of("payments", "orders"), "eu-west-1", engine);
        FailureAnalysis analysis = new StreamNotFoundFailureAnalyzer().analyze(new IllegalStateException(failure));
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains("stream 'orders'").contains("region eu-west-1")
                .doesNotContain("payments");
        assertThat(analysis.getAction()).contains("Create the stream 'orders' in region eu-west-1");
        assertThat(new LeaseTableAccessDeniedFailureAnalyzer().analyze(failure)).isNull();
    }

    @Test
    void accessDeniedToTheLeaseTableNamesTheTableAndTheAction() {
        DynamoDbException denied = (DynamoDbException) DynamoDbException.builder()
                .message("User: arn:aws:iam::123456789012:user/app is not authorized to perform: "
                        + "dynamodb:CreateTable on resource: arn:aws:dynamodb:eu-west-1:123456789012:table/app")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException")
                        .errorMessage("User: arn:aws:iam::123456789012:user/app is not authorized to perform: "
                                + "dynamodb:CreateTable on resource: arn:aws:dynamodb:eu-west-1:123456789012:table/app")
                        .build())
                .statusCode(400).build();
        WorkerStartException engine = new WorkerStartException(
                "Cannot use the lease table 'app': dynamodb:CreateTable was refused", denied);
        KinesisWorkerStartException failure = new KinesisWorkerStartException("app", "app", List.of("orders"),
                "eu-west-1", engine);
        FailureAnalysis analysis = new LeaseTableAccessDeniedFailureAnalyzer().analyze(failure);
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains("lease table 'app'").contains("dynamodb:CreateTable");
        assertThat(analysis.getAction()).contains("Allow dynamodb:CreateTable").contains("table 'app'");
        assertThat(new StreamNotFoundFailureAnalyzer().analyze(failure)).isNull();
    }

    @Test
    void noRegion() {
        FailureAnalysis analysis = new MissingRegionFailureAnalyzer().analyze(SdkClientException
                .create("Unable to load region from any of the providers in the chain"));
        assertThat(analysis).isNotNull();
        assertThat(analysis.getAction()).contains("kcl.region");
    }

    @Configuration(proxyBeanMethods = false)
    static class Listener {

        @Bean
        ListenerBean listener() {
            return new ListenerBean();
        }
    }

    static class ListenerBean {

        @KinesisListener
        void onOrder(String order) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BadListener {

        @Bean
        BadListenerBean badListener() {
            return new BadListenerBean();
        }
    }

    static class BadListenerBean {

        @KinesisListener
        void onOrder(String order, Integer other) {
        }
    }
}
