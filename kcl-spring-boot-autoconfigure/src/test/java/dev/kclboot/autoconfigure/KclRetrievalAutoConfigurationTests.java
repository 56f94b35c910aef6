package dev.kclboot.autoconfigure;

import java.net.URI;
import java.time.Duration;

import dev.kclboot.core.Retrieval;
import dev.kclboot.core.Worker;
import dev.kclboot.spring.annotation.KinesisListener;
import dev.kclboot.spring.listener.RetrievalMode;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code kcl.retrieval.*} and the listeners' {@code retrieval} attribute: which workers read with enhanced fan-out,
 * with which settings, through the lazily built async client. Nothing here calls AWS (listeners do not start).
 */
class KclRetrievalAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KclAutoConfiguration.class))
            .withPropertyValues("kcl.region=eu-west-1", "kcl.auto-startup=false", "kcl.application-name=shop");

    @Test
    void pollingByDefaultWithoutBuildingTheAsyncClientWhenAsyncIoIsOff() {
        // (With kcl.client.async-io, the default, polling's reads use the async client: KclAutoConfigurationTests.)
        runner.withUserConfiguration(Listeners.class).withPropertyValues("kcl.client.async-io=false").run(context -> {
            assertThat(context).hasNotFailed();
            KclProperties.Retrieval retrieval = context.getBean(KclProperties.class).getRetrieval();
            assertThat(retrieval.getMode()).isEqualTo(RetrievalMode.POLLING);
            assertThat(retrieval.getConsumerName()).isNull();
            assertThat(retrieval.isDeregisterOnShutdown()).isFalse();
            assertThat(retrieval.getShardEndProbeInterval()).isEqualTo(Duration.ofSeconds(30));
            assertThat(context.getBean("kclWorker.shop", Worker.class).config().retrieval())
                    .isInstanceOf(Retrieval.Polling.class);
            assertThat(context.getBeanFactory().containsSingleton("kinesisAsyncClient")).as("built lazily").isFalse();
        });
    }

    @Test
    void fanOutFromThePropertiesWithTheirSettings() {
        runner.withUserConfiguration(Listeners.class)
                .withPropertyValues("kcl.retrieval.mode=fan-out", "kcl.retrieval.consumer-name=shop-efo",
                        "kcl.endpoint.kinesis=http://127.0.0.1:4567",
                        "kcl.retrieval.deregister-on-shutdown=true", "kcl.retrieval.shard-end-probe-interval=5s",
                        "kcl.retrieval.consumer-arn=arn:aws:kinesis:eu-west-1:1:stream/orders/consumer/shop-efo:1")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Retrieval.FanOut shop = (Retrieval.FanOut) context.getBean("kclWorker.shop", Worker.class).config()
                            .retrieval();
                    assertThat(shop.client()).isSameAs(context.getBean(KinesisAsyncClient.class));
                    assertThat(shop.client().serviceClientConfiguration().region()).as("connected like the sync client")
                            .isEqualTo(Region.EU_WEST_1);
                    assertThat(shop.client().serviceClientConfiguration().endpointOverride())
                            .contains(URI.create("http://127.0.0.1:4567"));
                    assertThat(shop.consumerName()).isEqualTo("shop-efo");
                    assertThat(shop.consumerArn()).isEqualTo("arn:aws:kinesis:eu-west-1:1:stream/orders/consumer/shop-efo:1");
                    assertThat(shop.deregisterOnShutdown()).isTrue();
                    assertThat(shop.shardEndProbeInterval()).isEqualTo(Duration.ofSeconds(5));
                    Retrieval.FanOut audit = (Retrieval.FanOut) context.getBean("kclWorker.audit", Worker.class)
                            .config().retrieval();
                    assertThat(audit.consumerArn()).as("the ARN is the default application's").isNull();
                });
    }

    @Test
    void theListenerAttributeWinsOverTheProperty() {
        runner.withUserConfiguration(AuditByFanOut.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean("kclWorker.audit", Worker.class).config().retrieval())
                    .isInstanceOf(Retrieval.FanOut.class);
        });
        runner.withPropertyValues("kcl.retrieval.mode=fan-out").withUserConfiguration(ShopByPolling.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean("kclWorker.shop", Worker.class).config().retrieval())
                            .isInstanceOf(Retrieval.Polling.class);
                });
    }

    @Test
    void listenersSharingAWorkerMustAgree() {
        runner.withUserConfiguration(Disagreeing.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                    .hasMessageContaining("share application name 'shop'").hasMessageContaining("same retrieval");
        });
    }

    @Test
    void anInvalidAttributeOrPropertyFailsTheStartup() {
        runner.withUserConfiguration(Misspelt.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("@KinesisListener(retrieval)")
                    .hasStackTraceContaining("'push' is not a retrieval mode");
        });
        runner.withPropertyValues("kcl.retrieval.mode=push").run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("kcl.retrieval.consumer-arn=orders").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("kcl.retrieval.consumer-arn must be");
        });
        runner.withPropertyValues("kcl.retrieval.shard-end-probe-interval=-1s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasStackTraceContaining("kcl.retrieval.shard-end-probe-interval must not be negative");
        });
    }

    @Test
    void withoutNettyFanOutSaysWhatToAdd() {
        runner.withClassLoader(new FilteredClassLoader(NettyNioAsyncHttpClient.class))
                .withUserConfiguration(Listeners.class).withPropertyValues("kcl.retrieval.mode=fan-out")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                            .hasMessageContaining("needs an HTTP/2 client")
                            .hasMessageContaining("software.amazon.awssdk:netty-nio-client");
                });
    }

    @Test
    void retrievalModesReadAsWritten() {
        assertThat(RetrievalMode.parse("fan-out")).isEqualTo(RetrievalMode.FAN_OUT);
        assertThat(RetrievalMode.parse("FAN_OUT")).isEqualTo(RetrievalMode.FAN_OUT);
        assertThat(RetrievalMode.parse(" Polling ")).isEqualTo(RetrievalMode.POLLING);
        assertThat(RetrievalMode.FAN_OUT).hasToString("fan-out");
        assertThatThrownBy(() -> RetrievalMode.parse("push")).isInstanceOf(IllegalArgumentException.class);
    }

    @Configuration(proxyBeanMethods = false)
    static class Listeners {

        @Bean
        Object listeners() {
            return new Object() {

                @KinesisListener(stream = "orders")
                void orders(String payload) {
                }

                @KinesisListener(stream = "orders", applicationName = "audit")
                void audit(String payload) {
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class AuditByFanOut {

        @Bean
        Object auditListener() {
            return new Object() {

                @KinesisListener(stream = "orders", applicationName = "audit", retrieval = "fan-out")
                void audit(String payload) {
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ShopByPolling {

        @Bean
        Object shopListener() {
            return new Object() {

                @KinesisListener(stream = "orders", retrieval = "${shop.retrieval:polling}")
                void orders(String payload) {
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Disagreeing {

        @Bean
        Object disagreeing() {
            return new Object() {

                @KinesisListener(stream = "orders", retrieval = "fan-out")
                void orders(String payload) {
                }

                @KinesisListener(stream = "payments", retrieval = "polling")
                void payments(String payload) {
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Misspelt {

        @Bean
        Object misspelt() {
            return new Object() {

                @KinesisListener(stream = "orders", retrieval = "push")
                void orders(String payload) {
                }
            };
        }
    }
}
