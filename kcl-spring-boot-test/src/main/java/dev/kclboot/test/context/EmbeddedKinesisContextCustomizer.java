package dev.kclboot.test.context;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import dev.kclboot.test.EmbeddedKinesis;
import dev.kclboot.test.LocalKinesis;
import dev.kclboot.test.StreamCreator;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Starts the shared {@link LocalKinesis}, creates the declared streams, puts the {@code kcl.*} connection properties
 * first in the environment and registers the instance as the bean {@code localKinesis}.
 */
class EmbeddedKinesisContextCustomizer implements ContextCustomizer {

    static final String PROPERTY_SOURCE_NAME = "embeddedKinesis";

    private final EmbeddedKinesis annotation;

    EmbeddedKinesisContextCustomizer(EmbeddedKinesis annotation) {
        this.annotation = annotation;
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
        LocalKinesis local = LocalKinesis.shared();
        StreamCreator.createMissing(local, annotation);
        Map<String, Object> properties = new LinkedHashMap<>(local.springProperties());
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
        context.getBeanFactory().registerSingleton("localKinesis", local);
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
