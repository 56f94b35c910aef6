package dev.kclboot.multilang.management;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Statistic;
import io.micrometer.core.instrument.Tag;
import org.jspecify.annotations.Nullable;

/**
 * The actuator's {@code metrics} endpoint shapes: the meter names, and one meter name's measurements summed over its
 * meters (optionally narrowed by {@code tag=key:value}) with the tags available.
 */
final class MetricsView {

    private MetricsView() {
    }

    static Map<String, Object> names(MeterRegistry registry) {
        Set<String> names = new TreeSet<>();
        registry.getMeters().forEach(meter -> names.add(meter.getId().getName()));
        return Map.of("names", List.copyOf(names));
    }

    /** The meter's answer, or null (404) when no meter has the name and tags. */
    static @Nullable Map<String, Object> meter(MeterRegistry registry, String name, List<Tag> filter) {
        List<Meter> meters = registry.getMeters().stream()
                .filter(meter -> meter.getId().getName().equals(name))
                .filter(meter -> filter.stream().allMatch(tag -> tag.getValue().equals(meter.getId().getTag(tag.getKey()))))
                .toList();
        if (meters.isEmpty()) {
            return null;
        }
        Map<Statistic, Double> sums = new LinkedHashMap<>();
        Map<String, Set<String>> tags = new TreeMap<>();
        for (Meter meter : meters) {
            for (Measurement measurement : meter.measure()) {
                sums.merge(measurement.getStatistic(), measurement.getValue(),
                        measurement.getStatistic() == Statistic.MAX ? Math::max : Double::sum);
            }
            for (Tag tag : meter.getId().getTagsAsIterable()) {
                if (filter.stream().noneMatch(f -> f.getKey().equals(tag.getKey()))) {
                    tags.computeIfAbsent(tag.getKey(), key -> new TreeSet<>()).add(tag.getValue());
                }
            }
        }
        Meter.Id id = meters.get(0).getId();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("name", name);
        answer.put("description", id.getDescription());
        answer.put("baseUnit", id.getBaseUnit());
        List<Map<String, Object>> measurements = new ArrayList<>();
        sums.forEach((statistic, value) -> {
            Map<String, Object> measurement = new LinkedHashMap<>();
            measurement.put("statistic", statistic.name());
            measurement.put("value", value);
            measurements.add(measurement);
        });
        answer.put("measurements", measurements);
        List<Map<String, Object>> available = new ArrayList<>();
        tags.forEach((key, values) -> {
            Map<String, Object> tag = new LinkedHashMap<>();
            tag.put("tag", key);
            tag.put("values", List.copyOf(values));
            available.add(tag);
        });
        answer.put("availableTags", available);
        return answer;
    }
}
