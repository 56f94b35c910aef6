package dev.kclboot.test.context;

import java.util.Arrays;
import java.util.Objects;

import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import dev.kclboot.test.StreamCreator;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Starts the shared {@link LocalKinesis}, creates the declared streams and registers the instance as the bean
 * {@code localKinesis}. kcl-spring-boot-autoconfigure turns that bean into its {@code KclConnectionDetails}
 * (endpoints, region, dummy credentials), as Spring Boot does with {@code @ServiceConnection}: no {@code kcl.*}
 * property is set, so the application's own connection properties are simply overridden, not rewritten.
 */
class EmbeddedKinesisContextCustomizer implements ContextCustomizer {

    static final String BEAN_NAME = "localKinesis";

    private final EmbeddedKinesis annotation;

    EmbeddedKinesisContextCustomizer(EmbeddedKinesis annotation) {
        this.annotation = annotation;
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
        LocalKinesis local = LocalKinesis.shared();
        StreamCreator.createMissing(local, annotation);
        context.getBeanFactory().registerSingleton(BEAN_NAME, local);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EmbeddedKinesisContextCustomizer that
                && Arrays.equals(annotation.streams(), that.annotation.streams())
                && annotation.shards() == that.annotation.shards();
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(annotation.streams()), annotation.shards());
    }
}
