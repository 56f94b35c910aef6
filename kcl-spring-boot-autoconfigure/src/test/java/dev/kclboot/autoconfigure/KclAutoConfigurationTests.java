package dev.kclboot.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import dev.kclboot.autoconfigure.aws.DynamoDbClientBuilderCustomizer;
import dev.kclboot.autoconfigure.aws.KinesisClientBuilderCustomizer;
import dev.kclboot.core.MultiStreamLeaseKeys;
import dev.kclboot.core.Worker;
import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.annotation.KinesisListenerAnnotationBeanPostProcessor;
import dev.kclboot.spring.config.KinesisListenerContainerFactory;
import dev.kclboot.spring.config.KinesisListenerEndpointRegistry;
import dev.kclboot.spring.listener.CheckpointMode;
import dev.kclboot.spring.listener.ExhaustedAction;
import dev.kclboot.spring.listener.container.KinesisListenerContainer;
import dev.kclboot.spring.listener.KinesisListenerSettings;
import dev.kclboot.spring.listener.KinesisRecordRecoverer;
import dev.kclboot.spring.listener.container.KinesisWorkerFactory;
import dev.kclboot.spring.listener.recovery.LoggingRecordRecoverer;
import dev.kclboot.spring.listener.adapter.ListenerMethodAdapterFactory;
import dev.kclboot.spring.support.converter.KinesisMessageConverters;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditions, beans, user beans winning, and what the worker beans are built from. Nothing here calls AWS: the
 * listeners do not start ({@code kcl.auto-startup=false}).
 */
class KclAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, KclAutoConfiguration.class))
            .withPropertyValues("kcl.region=eu-west-1", "kcl.auto-startup=false");

    @Test
    void createsTheInfrastructure() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(KinesisClient.class).hasSingleBean(DynamoDbClient.class)
                    .hasSingleBean(AwsCredentialsProvider.class).hasSingleBean(KinesisWorkerFactory.class)
                    .hasSingleBean(KinesisListenerContainerFactory.class)
                    .hasSingleBean(KinesisListenerEndpointRegistry.class)
                    .hasSingleBean(KinesisListenerAnnotationBeanPostProcessor.class)
                    .hasSingleBean(ListenerMethodAdapterFactory.class);
            assertThat(context.getBean(AwsCredentialsProvider.class)).isInstanceOf(DefaultCredentialsProvider.class);
            assertThat(context.getBean(KinesisClient.class).serviceClientConfiguration().region())
                    .isEqualTo(Region.EU_WEST_1);
            assertThat(context).doesNotHaveBean(Worker.class);
        });
    }

    @Test
    void backsOffWhenDisabled() {
        runner.withPropertyValues("kcl.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(KinesisListenerEndpointRegistry.class)
                    .doesNotHaveBean(KinesisClient.class).doesNotHaveBean(KclProperties.class);
        });
    }

    @Test
    void backsOffWithoutTheEngine() {
        runner.withClassLoader(new FilteredClassLoader(Worker.class)).run(context -> assertThat(context)
                .doesNotHaveBean(KinesisListenerEndpointRegistry.class).doesNotHaveBean(KinesisClient.class));
    }

    @Test
    void staticCredentialsEndpointsAndRegionConfigureTheClients() {
        runner.withPropertyValues("kcl.credentials.access-key=AKIDEXAMPLE", "kcl.credentials.secret-key=s3cr3t",
                "kcl.endpoint.kinesis=http://localhost:4567", "kcl.endpoint.dynamodb=http://localhost:8000")
                .run(context -> {
                    AwsCredentialsProvider provider = context.getBean(AwsCredentialsProvider.class);
                    assertThat(provider).isInstanceOf(StaticCredentialsProvider.class);
                    assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("AKIDEXAMPLE");
                    assertThat(provider.toString()).doesNotContain("s3cr3t");
                    KinesisClient kinesis = context.getBean(KinesisClient.class);
                    assertThat(kinesis.serviceClientConfiguration().endpointOverride())
                            .contains(URI.create("http://localhost:4567"));
                    assertThat(context.getBean(DynamoDbClient.class).serviceClientConfiguration().endpointOverride())
                            .contains(URI.create("http://localhost:8000"));
                    assertThat(kinesis.serviceClientConfiguration().credentialsProvider().resolveIdentity().join()
                            .accessKeyId()).isEqualTo("AKIDEXAMPLE");
                });
    }

    @Test
    void namedProfile() {
        runner.withPropertyValues("kcl.credentials.profile=ops").run(context -> assertThat(
                context.getBean(AwsCredentialsProvider.class)).isInstanceOf(ProfileCredentialsProvider.class));
    }

    @Test
    void userBeansWin() {
        runner.withUserConfiguration(UserBeans.class).run(context -> {
            assertThat(context).hasSingleBean(KinesisClient.class).hasSingleBean(DynamoDbClient.class)
                    .hasSingleBean(AwsCredentialsProvider.class).hasSingleBean(KinesisListenerContainerFactory.class);
            assertThat(context.getBean(KinesisClient.class)).isSameAs(context.getBean(UserBeans.class).kinesis);
            assertThat(context.getBean(DynamoDbClient.class)).isSameAs(context.getBean(UserBeans.class).dynamoDb);
            assertThat(context.getBean(AwsCredentialsProvider.class)).isSameAs(UserBeans.CREDENTIALS);
            assertThat(context.getBean(KinesisListenerContainerFactory.class))
                    .isSameAs(context.getBean(UserBeans.class).factory);
        });
    }

    @Test
    void aUserCredentialsProviderIsUsedByTheAutoConfiguredClients() {
        runner.withBean("myCredentials", AwsCredentialsProvider.class, () -> UserBeans.CREDENTIALS).run(context -> {
            KinesisClient kinesis = context.getBean(KinesisClient.class);
            assertThat(kinesis.serviceClientConfiguration().credentialsProvider().resolveIdentity().join()
                    .accessKeyId()).isEqualTo("user-key");
        });
    }

    @Test
    void aSingleListenerAppHasAWorkerBeanBuiltFromTheProperties() {
        runner.withUserConfiguration(OneListener.class)
                .withPropertyValues("kcl.application-name=orders-app", "kcl.stream=orders",
                        "kcl.lease.failover-time=3s", "kcl.lease.table-name=orders-leases",
                        "kcl.lease.max-leases-per-worker=7", "kcl.lease.max-leases-to-steal=2",
                        "kcl.lease.billing-mode=provisioned", "kcl.polling.max-records=500",
                        "kcl.polling.idle-time-between-reads=200ms", "kcl.shard-sync-interval=5s",
                        "kcl.initial-position=trim-horizon", "kcl.worker-id=worker-a")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(Worker.class);
                    assertThat(context).hasBean("kclWorker.orders-app");
                    Worker worker = context.getBean(Worker.class);
                    assertThat(worker.config().applicationName()).isEqualTo("orders-app");
                    assertThat(worker.config().leaseTableName()).isEqualTo("orders-leases");
                    assertThat(worker.config().streams()).containsExactly("orders");
                    assertThat(worker.config().failoverTime()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(worker.config().maxLeasesPerWorker()).isEqualTo(7);
                    assertThat(worker.config().maxLeasesToStealAtOneTime()).isEqualTo(2);
                    assertThat(worker.config().billingMode().toString()).isEqualTo("PROVISIONED");
                    assertThat(worker.config().maxRecords()).isEqualTo(500);
                    assertThat(worker.config().idleTimeBetweenReads()).isEqualTo(Duration.ofMillis(200));
                    assertThat(worker.config().shardSyncInterval()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(worker.config().initialPosition().toString()).isEqualTo("TRIM_HORIZON");
                    assertThat(worker.config().workerId()).isEqualTo("worker-a");
                    assertThat(worker.config().skipFailedBatches()).isFalse();
                    assertThat(worker.config().kinesis()).isSameAs(context.getBean(KinesisClient.class));
                    KinesisListenerEndpointRegistry registry = context.getBean(KinesisListenerEndpointRegistry.class);
                    assertThat(registry.getListenerContainerIds()).containsExactly("oneListener.onOrder");
                    assertThat(registry.isRunning()).isTrue();
                    assertThat(registry.getListenerContainer("oneListener.onOrder").isRunning()).isFalse();
                });
    }

    @Test
    void theEngineSettingsComeFromTheProperties() {
        runner.withUserConfiguration(OneListener.class)
                .withPropertyValues("kcl.application-name=orders-app", "kcl.stream=orders",
                        "kcl.lease.cleanup-interval=15s", "kcl.startup-retry-timeout=5s",
                        "kcl.consumer.max-threads=12", "kcl.consumer.max-read-ahead=8MB",
                        "kcl.consumer.failure-backoff.initial-interval=2s",
                        "kcl.consumer.failure-backoff.max-interval=20s", "kcl.lease.multi-stream-keys=kcl",
                        "kcl.lease.create-kcl3-index=true")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Worker worker = context.getBean(Worker.class);
                    assertThat(worker.config().leaseCleanupInterval()).isEqualTo(Duration.ofSeconds(15));
                    assertThat(worker.config().startupRetryTimeout()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(worker.config().maxConsumerThreads()).isEqualTo(12);
                    assertThat(worker.config().maxReadAheadBytes()).isEqualTo(8L * 1024 * 1024);
                    assertThat(worker.config().consumerFailureInitialBackoff()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(worker.config().consumerFailureMaxBackoff()).isEqualTo(Duration.ofSeconds(20));
                    assertThat(worker.config().executor()).as("the engine's own bounded pools").isNull();
                    assertThat(worker.config().multiStreamLeaseKeys()).isEqualTo(MultiStreamLeaseKeys.KCL);
                    assertThat(worker.config().kcl3Index()).isTrue();
                });
    }

    @Test
    void virtualThreadsRunTheListenersWhenEnabledOnJava21() {
        runner.withUserConfiguration(OneListener.class)
                .withPropertyValues("kcl.application-name=orders-app", "kcl.stream=orders",
                        "spring.threads.virtual.enabled=true")
                .run(context -> {
                    Worker worker = context.getBean(Worker.class);
                    if (Runtime.version().feature() >= 21) {
                        assertThat(worker.config().executor()).isNotNull();
                    }
                    else {
                        assertThat(worker.config().executor()).as("no virtual threads before Java 21").isNull();
                    }
                });
    }

    @Test
    void theClientsGetTheConfiguredTimeouts() {
        runner.withPropertyValues("kcl.client.api-call-timeout=7s", "kcl.client.api-call-attempt-timeout=2s",
                "kcl.client.max-connections=16").run(context -> {
                    for (var configuration : java.util.List.of(
                            context.getBean(KinesisClient.class).serviceClientConfiguration().overrideConfiguration(),
                            context.getBean(DynamoDbClient.class).serviceClientConfiguration()
                                    .overrideConfiguration())) {
                        assertThat(configuration.apiCallTimeout()).contains(Duration.ofSeconds(7));
                        assertThat(configuration.apiCallAttemptTimeout()).contains(Duration.ofSeconds(2));
                    }
                });
    }

    @Test
    void readsAndRenewalsGoThroughTheAsyncClientsByDefault() {
        runner.withUserConfiguration(OneListener.class)
                .withPropertyValues("kcl.application-name=orders-app", "kcl.stream=orders",
                        "kcl.client.api-call-timeout=7s", "kcl.client.api-call-attempt-timeout=2s")
                .run(context -> {
                    Worker worker = context.getBean(Worker.class);
                    assertThat(worker.config().kinesisAsync()).isSameAs(context.getBean(KinesisAsyncClient.class));
                    assertThat(worker.config().dynamoDbAsync()).isSameAs(context.getBean(DynamoDbAsyncClient.class));
                    var configuration = context.getBean(DynamoDbAsyncClient.class).serviceClientConfiguration()
                            .overrideConfiguration();
                    assertThat(configuration.apiCallTimeout()).contains(Duration.ofSeconds(7));
                    assertThat(configuration.apiCallAttemptTimeout()).contains(Duration.ofSeconds(2));
                });
    }

    @Test
    void anApplicationsOwnSyncClientsKeepEveryCallUnlessItDefinesTheAsyncOnesToo() {
        runner.withUserConfiguration(OneListener.class, OwnSyncClients.class)
                .withPropertyValues("kcl.application-name=orders-app", "kcl.stream=orders")
                .run(context -> {
                    Worker worker = context.getBean(Worker.class);
                    assertThat(worker.config().kinesis()).isSameAs(context.getBean("ownKinesis"));
                    assertThat(worker.config().kinesisAsync()).as("would go around the application's client").isNull();
                    assertThat(worker.config().dynamoDbAsync()).isNull();
                });
        runner.withUserConfiguration(OneListener.class, OwnSyncClients.class, OwnAsyncDynamoDb.class)
                .withPropertyValues("kcl.application-name=orders-app", "kcl.stream=orders")
                .run(context -> {
                    Worker worker = context.getBean(Worker.class);
                    assertThat(worker.config().kinesisAsync()).isNull();
                    assertThat(worker.config().dynamoDbAsync()).isSameAs(context.getBean("ownAsyncDynamoDb"));
                });
    }

    @Test
    void aSyncClientCustomizerKeepsThatClientsCallsOnTheCustomizedClient() {
        runner.withUserConfiguration(OneListener.class)
                .withBean(KinesisClientBuilderCustomizer.class, () -> builder -> builder.overrideConfiguration(
                        configuration -> configuration.putHeader("x-audit", "on")))
                .withPropertyValues("kcl.application-name=orders-app", "kcl.stream=orders")
                .run(context -> {
                    Worker worker = context.getBean(Worker.class);
                    assertThat(worker.config().kinesisAsync()).as("reads stay on the customized KinesisClient")
                            .isNull();
                    assertThat(worker.config().dynamoDbAsync()).as("DynamoDB is not customized: async")
                            .isSameAs(context.getBean(DynamoDbAsyncClient.class));
                });
        runner.withUserConfiguration(OneListener.class)
                .withBean(DynamoDbClientBuilderCustomizer.class, () -> builder -> builder.overrideConfiguration(
                        configuration -> configuration.putHeader("x-audit", "on")))
                .withPropertyValues("kcl.application-name=orders-app", "kcl.stream=orders")
                .run(context -> {
                    Worker worker = context.getBean(Worker.class);
                    assertThat(worker.config().kinesisAsync()).isSameAs(context.getBean(KinesisAsyncClient.class));
                    assertThat(worker.config().dynamoDbAsync()).as("lease calls stay on the customized DynamoDbClient")
                            .isNull();
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnSyncClients {

        @Bean
        KinesisClient ownKinesis() {
            return KinesisClient.builder().region(Region.EU_WEST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build();
        }

        @Bean
        DynamoDbClient ownDynamoDb() {
            return DynamoDbClient.builder().region(Region.EU_WEST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnAsyncDynamoDb {

        @Bean
        DynamoDbAsyncClient ownAsyncDynamoDb() {
            return DynamoDbAsyncClient.builder().region(Region.EU_WEST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build();
        }
    }

    @Test
    void asyncIoOffKeepsTheBlockingClientsOnlyAndBuildsNoAsyncClient() {
        runner.withUserConfiguration(OneListener.class)
                .withPropertyValues("kcl.application-name=orders-app", "kcl.stream=orders",
                        "kcl.client.async-io=false")
                .run(context -> {
                    Worker worker = context.getBean(Worker.class);
                    assertThat(worker.config().kinesisAsync()).isNull();
                    assertThat(worker.config().dynamoDbAsync()).isNull();
                    ConfigurableListableBeanFactory beans = context.getBeanFactory();
                    assertThat(beans.getSingletonNames()).as("lazy async clients never built")
                            .doesNotContain("kinesisAsyncClient", "dynamoDbAsyncClient");
                });
    }

    @Test
    void theApplicationNameDefaultsToSpringApplicationName() {
        runner.withUserConfiguration(OneListener.class)
                .withPropertyValues("spring.application.name=billing", "kcl.stream=orders").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Worker.class).applicationName()).isEqualTo("billing");
                    assertThat(context.getBean(Worker.class).config().leaseTableName()).isEqualTo("billing");
                });
    }

    @Test
    void listenersOnTwoStreamsShareOneWorkerAndOtherApplicationNamesGetTheirOwn() {
        runner.withUserConfiguration(ThreeListeners.class).withPropertyValues("kcl.application-name=shop")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBeansOfType(Worker.class)).hasSize(2);
                    Worker shop = context.getBean("kclWorker.shop", Worker.class);
                    assertThat(shop.config().streams()).containsExactly("orders", "payments");
                    Worker audit = context.getBean("kclWorker.audit", Worker.class);
                    assertThat(audit.config().streams()).containsExactly("orders");
                });
    }

    @Test
    void twoListenersOfOneApplicationOnTheSameStreamFailTheStartup() {
        runner.withUserConfiguration(SameStreamTwice.class).withPropertyValues("kcl.application-name=shop")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                            .hasMessageContaining("both consume stream 'orders' with application name 'shop'");
                });
    }

    @Test
    void attributesResolvePlaceholdersAndExpressionsAndBeanNames() {
        runner.withUserConfiguration(ResolvedListener.class)
                .withPropertyValues("kcl.application-name=shop", "orders.stream=orders-v2", "orders.attempts=4")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    KinesisListenerContainer container = context.getBean(KinesisListenerEndpointRegistry.class)
                            .getListenerContainer("orders-listener");
                    assertThat(container).isNotNull();
                    KinesisListenerSettings settings = container.getSettings();
                    assertThat(settings.stream()).isEqualTo("orders-v2");
                    assertThat(settings.maxAttempts()).isEqualTo(4);
                    assertThat(settings.batch()).isTrue();
                    assertThat(settings.checkpointMode()).isEqualTo(CheckpointMode.PERIODIC);
                    assertThat(settings.checkpointInterval()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(settings.exhaustedAction()).isEqualTo(ExhaustedAction.STOP);
                    assertThat(settings.backOff()).isSameAs(context.getBean("fixedBackOff"));
                    assertThat(settings.recoverer()).isSameAs(context.getBean("deadLetters"));
                    assertThat(settings.autoStartup()).isFalse();
                });
    }

    @Test
    void listenerDefaultsComeFromTheProperties() {
        runner.withUserConfiguration(OneListener.class)
                .withPropertyValues("kcl.application-name=a", "kcl.stream=s", "kcl.checkpoint.mode=record",
                        "kcl.retry.max-attempts=5", "kcl.retry.on-exhausted=stop",
                        "kcl.retry.backoff.initial-interval=100ms", "kcl.retry.backoff.multiplier=3",
                        "kcl.retry.backoff.max-interval=2s")
                .run(context -> {
                    KinesisListenerSettings settings = context.getBean(KinesisListenerEndpointRegistry.class)
                            .getListenerContainer("oneListener.onOrder").getSettings();
                    assertThat(settings.checkpointMode()).isEqualTo(CheckpointMode.RECORD);
                    assertThat(settings.maxAttempts()).isEqualTo(5);
                    assertThat(settings.exhaustedAction()).isEqualTo(ExhaustedAction.STOP);
                    assertThat(settings.recoverer()).isInstanceOf(LoggingRecordRecoverer.class);
                    ExponentialBackOff backOff = (ExponentialBackOff) settings.backOff();
                    assertThat(backOff.getInitialInterval()).isEqualTo(100);
                    assertThat(backOff.getMultiplier()).isEqualTo(3.0);
                    assertThat(backOff.getMaxInterval()).isEqualTo(2000);
                });
    }

    @Test
    void theOnlyRecovererBeanIsTheDefaultRecoverer() {
        runner.withUserConfiguration(OneListener.class)
                .withBean("deadLetters", KinesisRecordRecoverer.class, () -> (record, metadata, failure) -> {
                })
                .withPropertyValues("kcl.application-name=a", "kcl.stream=s").run(context -> {
                    KinesisListenerSettings settings = context.getBean(KinesisListenerEndpointRegistry.class)
                            .getListenerContainer("oneListener.onOrder").getSettings();
                    assertThat(settings.recoverer()).isSameAs(context.getBean("deadLetters"));
                    assertThat(settings.maxAttempts()).isEqualTo(KinesisListenerSettings.UNLIMITED_ATTEMPTS);
                });
    }

    @Test
    void workerCustomizersAreApplied() {
        runner.withUserConfiguration(OneListener.class)
                .withBean(KinesisWorkerCustomizer.class, () -> (application, builder) -> builder.maxRecords(42))
                .withPropertyValues("kcl.application-name=a", "kcl.stream=s")
                .run(context -> assertThat(context.getBean(Worker.class).config().maxRecords()).isEqualTo(42));
    }

    record Order(String id, int amount) {
    }

    @Configuration(proxyBeanMethods = false)
    static class OneListener {

        @Bean
        OneListenerBean oneListener() {
            return new OneListenerBean();
        }
    }

    static class OneListenerBean {

        @KinesisListener
        void onOrder(Order order) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ThreeListeners {

        @Bean
        Object shopListeners() {
            return new Object() {

                @KinesisListener(stream = "orders")
                void orders(String payload) {
                }

                @KinesisListener(stream = "payments")
                void payments(String payload) {
                }

                @KinesisListener(stream = "orders", applicationName = "audit")
                void audit(String payload) {
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SameStreamTwice {

        @Bean
        Object twice() {
            return new Object() {

                @KinesisListener(stream = "orders")
                void first(String payload) {
                }

                @KinesisListener(stream = "orders")
                void second(String payload) {
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ResolvedListener {

        @Bean
        BackOff fixedBackOff() {
            return new FixedBackOff(10, 3);
        }

        @Bean
        KinesisRecordRecoverer deadLetters() {
            return (record, metadata, failure) -> {
            };
        }

        @Bean
        Object resolved() {
            return new Object() {

                @KinesisListener(stream = "${orders.stream}", id = "#{'orders' + '-listener'}",
                        maxAttempts = "${orders.attempts}", batch = "#{true}", checkpointMode = "periodic",
                        checkpointInterval = "30s", onExhausted = "STOP", backOff = "fixedBackOff",
                        recoverer = "#{@deadLetters}", autoStartup = "false")
                void onOrders(List<Order> orders) {
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserBeans {

        static final AwsCredentialsProvider CREDENTIALS = StaticCredentialsProvider
                .create(AwsBasicCredentials.create("user-key", "user-secret"));

        final KinesisClient kinesis = KinesisClient.builder().region(Region.AP_SOUTH_1)
                .credentialsProvider(CREDENTIALS).build();

        final DynamoDbClient dynamoDb = DynamoDbClient.builder().region(Region.AP_SOUTH_1)
                .credentialsProvider(CREDENTIALS).build();

        final KinesisListenerContainerFactory factory = new KinesisListenerContainerFactory(
                new ListenerMethodAdapterFactory(new CompositeMessageConverter(KinesisMessageConverters.raw()), null,
                        List.of()));

        @Bean
        KinesisClient myKinesis() {
            return kinesis;
        }

        @Bean
        DynamoDbClient myDynamoDb() {
            return dynamoDb;
        }

        @Bean
        AwsCredentialsProvider myCredentials() {
            return CREDENTIALS;
        }

        @Bean
        KinesisListenerContainerFactory myFactory() {
            return factory;
        }
    }
}
