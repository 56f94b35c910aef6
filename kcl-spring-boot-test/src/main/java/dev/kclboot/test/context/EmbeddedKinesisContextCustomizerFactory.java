package dev.kclboot.test.context;

import java.util.List;

import dev.kclboot.test.EmbeddedKinesis;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;

/**
 * Registered in {@code META-INF/spring.factories}: a test class annotated with {@link EmbeddedKinesis} gets its
 * application context pointed at the local emulators.
 */
public class EmbeddedKinesisContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        var annotation = MergedAnnotations.from(testClass, SearchStrategy.TYPE_HIERARCHY).get(EmbeddedKinesis.class);
        return annotation.isPresent() ? new EmbeddedKinesisContextCustomizer(annotation.synthesize()) : null;
    }
}
