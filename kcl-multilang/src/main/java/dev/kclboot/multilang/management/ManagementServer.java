package dev.kclboot.multilang.management;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kclboot.core.Worker;
import dev.kclboot.multilang.host.Host;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the starter's actuator paths from the JDK's HTTP server, so a host that starts in a second needs no Spring:
 * <ul>
 * <li>{@code GET /actuator/health} — {@code {"components":{"kinesis":{"details":{...},"status":"UP"}},"status":"UP"}},
 * HTTP 503 when DOWN;</li>
 * <li>{@code GET /actuator/health/kinesis} — the {@code kinesis} indicator alone, with its details;</li>
 * <li>{@code GET /actuator/kinesis[/{application}]} — the {@code kinesis} endpoint: workers with their leases,
 * plus the running children;</li>
 * <li>{@code GET /actuator/metrics[/{name}[?tag=key:value]]} — the engine's and the host's meters.</li>
 * </ul>
 * Details are always shown: the flag that starts the server is the operator's choice to expose them. Every answer is
 * built from local state, never from an AWS call. Why not Spring: the host must start in a second or two, and
 * a Spring context with the actuator would add more to the start than everything else together; the JSON shapes are
 * what tools rely on, so those are kept (checked against the starter's sample app), plus a {@code children} list.
 */
public final class ManagementServer implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(ManagementServer.class);

    private final Host host;

    private final MeterRegistry meters;

    private final HttpServer server;

    private final ExecutorService executor;

    private final Clock clock = Clock.systemUTC();

    private ManagementServer(Host host, MeterRegistry meters, HttpServer server) {
        this.host = host;
        this.meters = meters;
        this.server = server;
        this.executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "kcl-multilang-management");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/actuator", this::handle);
    }

    /**
     * Starts serving.
     * @param meters the registry the metrics endpoint reads: a cumulative one (a step registry, such as the logging
     * one, would show only the current step)
     * @param address the address to bind ({@code 0.0.0.0} for every interface)
     * @param port the port, 0 for any free one (see {@link #port()})
     */
    public static ManagementServer start(Host host, MeterRegistry meters, String address, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 16);
        ManagementServer management = new ManagementServer(host, meters, server);
        server.start();
        logger.info("Health and metrics on http://{}:{}/actuator/health (also /actuator/kinesis, /actuator/metrics)",
                address, management.port());
        return management;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                respond(exchange, 405, Map.of("error", "only GET"));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path.endsWith("/") && path.length() > 1) {
                path = path.substring(0, path.length() - 1);
            }
            route(exchange, path);
        }
        catch (RuntimeException ex) {
            logger.warn("Management request {} failed", exchange.getRequestURI(), ex);
        }
    }

    private void route(HttpExchange exchange, String path) throws IOException {
        if (path.equals("/actuator/health")) {
            Map<String, Object> kinesis = kinesisHealth();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("components", Map.of("kinesis", kinesis));
            body.put("status", kinesis.get("status"));
            respond(exchange, statusCode(kinesis), body);
        }
        else if (path.equals("/actuator/health/kinesis")) {
            Map<String, Object> kinesis = kinesisHealth();
            respond(exchange, statusCode(kinesis), kinesis);
        }
        else if (path.equals("/actuator/kinesis")) {
            respond(exchange, 200, kinesis(null));
        }
        else if (path.startsWith("/actuator/kinesis/")) {
            String application = decode(path.substring("/actuator/kinesis/".length()));
            Map<String, Object> body = kinesis(application);
            respond(exchange, body == null ? 404 : 200, body == null ? Map.of() : body);
        }
        else if (path.equals("/actuator/metrics")) {
            respond(exchange, 200, MetricsView.names(meters));
        }
        else if (path.startsWith("/actuator/metrics/")) {
            String name = decode(path.substring("/actuator/metrics/".length()));
            Map<String, Object> body = MetricsView.meter(meters, name, tags(exchange));
            respond(exchange, body == null ? 404 : 200, body == null ? Map.of() : body);
        }
        else {
            respond(exchange, 404, Map.of("error", "not found", "path", path));
        }
    }

    private Map<String, Object> kinesisHealth() {
        Worker worker = host.worker();
        String problem = WorkerView.problem(worker, clock);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("workers", Map.of(worker.applicationName() + "/" + worker.workerId(),
                WorkerView.healthDetails(worker, problem)));
        details.put("children", WorkerView.children(host.children().snapshot(), worker.shardFailures()));
        // The actuator's order: details, then status.
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("details", details);
        health.put("status", problem == null ? "UP" : "DOWN");
        return health;
    }

    private @Nullable Map<String, Object> kinesis(@Nullable String application) {
        Worker worker = host.worker();
        if (application != null && !application.equals(worker.applicationName())) {
            return null;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("workers", List.of(WorkerView.descriptor(worker)));
        body.put("listeners", List.of());
        body.put("children", WorkerView.children(host.children().snapshot(), worker.shardFailures()));
        return body;
    }

    private static int statusCode(Map<String, Object> health) {
        return "UP".equals(health.get("status")) ? 200 : 503;
    }

    private static List<Tag> tags(HttpExchange exchange) {
        List<Tag> tags = new ArrayList<>();
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return tags;
        }
        for (String parameter : query.split("&")) {
            if (parameter.startsWith("tag=")) {
                String value = decode(parameter.substring(4));
                int colon = value.indexOf(':');
                if (colon > 0) {
                    tags.add(Tag.of(value.substring(0, colon), value.substring(colon + 1)));
                }
            }
        }
        return tags;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] json = JsonOutput.toJson(body);
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.spring-boot.actuator.v3+json");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : json.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(json);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
