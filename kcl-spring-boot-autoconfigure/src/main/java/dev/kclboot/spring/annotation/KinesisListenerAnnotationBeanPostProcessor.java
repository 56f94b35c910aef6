package dev.kclboot.spring.annotation;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.kclboot.spring.config.KinesisListenerContainerFactory;
import dev.kclboot.spring.config.KinesisListenerEndpointRegistry;
import dev.kclboot.spring.config.MethodKinesisListenerEndpoint;
import dev.kclboot.spring.listener.CheckpointMode;
import dev.kclboot.spring.listener.ExhaustedAction;
import dev.kclboot.spring.listener.KinesisRecordFilterStrategy;
import dev.kclboot.spring.listener.KinesisRecordRecoverer;
import dev.kclboot.spring.listener.RetrievalMode;
import dev.kclboot.spring.listener.filter.ExpressionRecordFilter;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanExpressionContext;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.backoff.BackOff;

/**
 * Finds {@link KinesisListener} methods on beans and, once every singleton exists, resolves their attributes
 * ({@code ${...}} placeholders, then {@code #{...}} expressions, then bean references such as the recoverer and the
 * backoff) and registers a {@link MethodKinesisListenerEndpoint} for each with the
 * {@link KinesisListenerEndpointRegistry}, through the {@link KinesisListenerContainerFactory} bean. Bean references
 * are resolved only then, not while the listener bean is being initialized, so that a recoverer defined after the
 * listener, one that depends on the listener bean, or a lazy one, is found as it is. The workers are built at that
 * point, so invalid settings and method signatures fail the startup.
 */
public class KinesisListenerAnnotationBeanPostProcessor
        implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton, Ordered {

    private final Set<Class<?>> classesWithoutListeners = ConcurrentHashMap.newKeySet();

    private final List<AnnotatedListenerMethod> found = new ArrayList<>();

    private @Nullable ConfigurableListableBeanFactory beanFactory;

    private @Nullable BeanExpressionContext expressionContext;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        if (beanFactory instanceof ConfigurableListableBeanFactory configurable) {
            this.beanFactory = configurable;
            this.expressionContext = new BeanExpressionContext(configurable, null);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> targetClass = AopUtils.getTargetClass(bean);
        if (classesWithoutListeners.contains(targetClass)) {
            return bean;
        }
        Map<Method, KinesisListener> annotated = MethodIntrospector.selectMethods(targetClass,
                (MethodIntrospector.MetadataLookup<KinesisListener>) method -> AnnotatedElementUtils
                        .findMergedAnnotation(method, KinesisListener.class));
        if (annotated.isEmpty()) {
            classesWithoutListeners.add(targetClass);
            return bean;
        }
        annotated.forEach((method, listener) -> {
            Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
            synchronized (found) {
                found.add(new AnnotatedListenerMethod(listener, bean, beanName, invocable));
            }
        });
        return bean;
    }

    @Override
    public void afterSingletonsInstantiated() {
        ConfigurableListableBeanFactory factory = requireBeanFactory();
        List<AnnotatedListenerMethod> methods;
        synchronized (found) {
            methods = List.copyOf(found);
            found.clear();
        }
        if (methods.isEmpty()) {
            return;
        }
        List<MethodKinesisListenerEndpoint> endpoints = methods.stream()
                .map(method -> endpoint(method.listener(), method.bean(), method.beanName(), method.method()))
                .toList();
        KinesisListenerEndpointRegistry registry = factory.getBean(KinesisListenerEndpointRegistry.class);
        KinesisListenerContainerFactory containerFactory = factory.getBean(KinesisListenerContainerFactory.class);
        for (MethodKinesisListenerEndpoint endpoint : endpoints) {
            registry.registerListenerContainer(endpoint, containerFactory);
        }
        registry.prepareWorkers();
    }

    /** A {@code @KinesisListener} method found on a bean, its attributes not resolved yet. */
    private record AnnotatedListenerMethod(KinesisListener listener, Object bean, String beanName, Method method) {
    }

    private MethodKinesisListenerEndpoint endpoint(KinesisListener listener, Object bean, String beanName,
            Method method) {
        String id = resolveText(listener.id(), "id", method);
        MethodKinesisListenerEndpoint endpoint = new MethodKinesisListenerEndpoint(
                (id != null) ? id : beanName + "." + method.getName(), bean, method);
        endpoint.setStream(resolveText(listener.stream(), "stream", method));
        endpoint.setApplicationName(resolveText(listener.applicationName(), "applicationName", method));
        endpoint.setBatch(resolveBoolean(listener.batch(), "batch", method));
        String mode = resolveText(listener.checkpointMode(), "checkpointMode", method);
        endpoint.setCheckpointMode((mode != null) ? parseEnum(CheckpointMode.class, mode, "checkpointMode", method)
                : null);
        endpoint.setCheckpointInterval(resolveDuration(listener.checkpointInterval(), "checkpointInterval", method));
        endpoint.setAutoStartup(resolveBoolean(listener.autoStartup(), "autoStartup", method));
        endpoint.setMaxAttempts(resolveInteger(listener.maxAttempts(), "maxAttempts", method));
        endpoint.setBackOff(resolveBean(listener.backOff(), BackOff.class, "backOff", method));
        String exhausted = resolveText(listener.onExhausted(), "onExhausted", method);
        endpoint.setExhaustedAction((exhausted != null)
                ? parseEnum(ExhaustedAction.class, exhausted, "onExhausted", method) : null);
        endpoint.setRecoverer(resolveBean(listener.recoverer(), KinesisRecordRecoverer.class, "recoverer", method));
        String retrieval = resolveText(listener.retrieval(), "retrieval", method);
        endpoint.setRetrieval((retrieval != null) ? parseRetrieval(retrieval, method) : null);
        endpoint.setBisectOnError(resolveBoolean(listener.bisectOnError(), "bisectOnError", method));
        Duration maxRecordAge = resolveDuration(listener.maxRecordAge(), "maxRecordAge", method);
        if (maxRecordAge != null && (maxRecordAge.isZero() || maxRecordAge.isNegative())) {
            throw invalidAttribute("maxRecordAge", method, "'" + listener.maxRecordAge() + "' is not positive");
        }
        endpoint.setMaxRecordAge(maxRecordAge);
        endpoint.setFilter(resolveFilter(listener.filter(), method));
        endpoint.setConcurrency(resolvePositive(listener.concurrency(), "concurrency", method));
        endpoint.setWindow(resolvePositive(listener.window(), "window", method));
        return endpoint;
    }

    /**
     * A filter bean (by name, or an expression yielding one), else a per-record SpEL expression; the expression is
     * parsed here so that a syntax error fails the startup.
     */
    private @Nullable KinesisRecordFilterStrategy resolveFilter(String value, Method method) {
        Object resolved = resolve(value);
        if (resolved == null || resolved instanceof KinesisRecordFilterStrategy) {
            return (KinesisRecordFilterStrategy) resolved;
        }
        String text = resolved.toString().trim();
        if (text.isEmpty()) {
            return null;
        }
        ConfigurableListableBeanFactory factory = requireBeanFactory();
        if (factory.containsBean(text)) {
            Object bean = factory.getBean(text);
            if (!(bean instanceof KinesisRecordFilterStrategy strategy)) {
                throw invalidAttribute("filter", method, "bean '" + text + "' is not a "
                        + KinesisRecordFilterStrategy.class.getSimpleName());
            }
            return strategy;
        }
        try {
            return new ExpressionRecordFilter(text);
        }
        catch (IllegalArgumentException ex) {
            throw invalidAttribute("filter", method, "no bean is named '" + text + "' and " + ex.getMessage());
        }
    }

    private @Nullable Object resolve(String value) {
        if (value.isEmpty()) {
            return null;
        }
        ConfigurableListableBeanFactory factory = requireBeanFactory();
        String resolved = factory.resolveEmbeddedValue(value);
        if (resolved == null || factory.getBeanExpressionResolver() == null) {
            return resolved;
        }
        return factory.getBeanExpressionResolver().evaluate(resolved, expressionContext);
    }

    private @Nullable String resolveText(String value, String attribute, Method method) {
        Object resolved = resolve(value);
        if (resolved == null) {
            return null;
        }
        if (!(resolved instanceof String text)) {
            throw invalidAttribute(attribute, method, "resolves to " + resolved.getClass().getName()
                    + ", not a String");
        }
        return text.isBlank() ? null : text.trim();
    }

    private @Nullable Boolean resolveBoolean(String value, String attribute, Method method) {
        Object resolved = resolve(value);
        if (resolved == null || resolved instanceof Boolean) {
            return (Boolean) resolved;
        }
        String text = resolved.toString().trim();
        if (text.isEmpty()) {
            return null;
        }
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
            throw invalidAttribute(attribute, method, "'" + text + "' is not true or false");
        }
        return Boolean.parseBoolean(text);
    }

    private @Nullable Integer resolveInteger(String value, String attribute, Method method) {
        Object resolved = resolve(value);
        if (resolved == null || resolved instanceof Integer) {
            return (Integer) resolved;
        }
        String text = resolved.toString().trim();
        if (text.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(text);
        }
        catch (NumberFormatException ex) {
            throw invalidAttribute(attribute, method, "'" + text + "' is not a whole number");
        }
    }

    private @Nullable Integer resolvePositive(String value, String attribute, Method method) {
        Integer resolved = resolveInteger(value, attribute, method);
        if (resolved != null && resolved < 1) {
            throw invalidAttribute(attribute, method, "'" + value + "' is not at least 1");
        }
        return resolved;
    }

    private @Nullable Duration resolveDuration(String value, String attribute, Method method) {
        Object resolved = resolve(value);
        if (resolved == null || resolved instanceof Duration) {
            return (Duration) resolved;
        }
        String text = resolved.toString().trim();
        if (text.isEmpty()) {
            return null;
        }
        try {
            return DurationStyle.detectAndParse(text);
        }
        catch (IllegalArgumentException ex) {
            throw invalidAttribute(attribute, method, "'" + text + "' is not a duration such as 30s or PT30S");
        }
    }

    private <T> @Nullable T resolveBean(String value, Class<T> type, String attribute, Method method) {
        Object resolved = resolve(value);
        if (resolved == null || type.isInstance(resolved)) {
            return type.cast(resolved);
        }
        String name = resolved.toString().trim();
        if (name.isEmpty()) {
            return null;
        }
        ConfigurableListableBeanFactory factory = requireBeanFactory();
        if (!factory.containsBean(name)) {
            throw invalidAttribute(attribute, method, "there is no bean named '" + name + "'");
        }
        Object bean = factory.getBean(name);
        if (!type.isInstance(bean)) {
            throw invalidAttribute(attribute, method, "bean '" + name + "' is not a " + type.getSimpleName());
        }
        return type.cast(bean);
    }

    private RetrievalMode parseRetrieval(String value, Method method) {
        try {
            return RetrievalMode.parse(value);
        }
        catch (IllegalArgumentException ex) {
            throw invalidAttribute("retrieval", method, ex.getMessage());
        }
    }

    private <E extends Enum<E>> E parseEnum(Class<E> type, String value, String attribute, Method method) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException ex) {
            throw invalidAttribute(attribute, method, "'" + value + "' is not one of "
                    + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    private ConfigurableListableBeanFactory requireBeanFactory() {
        ConfigurableListableBeanFactory factory = beanFactory;
        if (factory == null) {
            throw new IllegalStateException("KinesisListenerAnnotationBeanPostProcessor needs a "
                    + "ConfigurableListableBeanFactory");
        }
        return factory;
    }

    private static BeanInitializationException invalidAttribute(String attribute, Method method, String problem) {
        return new BeanInitializationException("@KinesisListener(" + attribute + ") on "
                + method.getDeclaringClass().getName() + "." + method.getName() + ": " + problem);
    }
}
