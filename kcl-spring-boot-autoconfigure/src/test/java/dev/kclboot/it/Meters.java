package dev.kclboot.it;

import java.util.Map;
import java.util.TreeMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;

/**
 * Reads the meters of one application out of a registry.
 */
final class Meters {

    private final MeterRegistry registry;

    private final String application;

    Meters(MeterRegistry registry, String application) {
        this.registry = registry;
        this.application = application;
    }

    private Search search(String name, String... tags) {
        return registry.find(name).tag("application", application).tags(tags);
    }

    /** The sum of the counters of that name (over streams, shards, listeners), 0 when there is none. */
    double count(String name, String... tags) {
        return search(name, tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** shard id -> value of the gauges of that name. */
    Map<String, Double> gaugesByShard(String name) {
        Map<String, Double> values = new TreeMap<>();
        for (Gauge gauge : search(name).gauges()) {
            values.put(gauge.getId().getTag("shard"), gauge.value());
        }
        return values;
    }

    /** The value of the single gauge of that name, NaN when there is none. */
    double gauge(String name) {
        Gauge gauge = search(name).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }
}
