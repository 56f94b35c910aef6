package dev.kclboot.test;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension behind {@link EmbeddedKinesis}: starts the JVM-wide {@link LocalKinesis}, creates the declared
 * streams and injects the instance into {@code LocalKinesis} parameters.
 */
public class EmbeddedKinesisExtension implements BeforeAllCallback, ParameterResolver {

    @Override
    public void beforeAll(ExtensionContext context) {
        LocalKinesis local = LocalKinesis.shared();
        context.getTestClass()
                .map(type -> type.getAnnotation(EmbeddedKinesis.class))
                .ifPresent(annotation -> StreamCreator.createMissing(local, annotation));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == LocalKinesis.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return LocalKinesis.shared();
    }
}
