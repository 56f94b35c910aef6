package dev.kclboot.spring.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.kclboot.core.Worker;
import dev.kclboot.spring.listener.container.KinesisListenerContainer;
import dev.kclboot.spring.listener.container.KinesisWorkerFactory;
import dev.kclboot.spring.listener.container.KinesisWorkerGroup;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.SmartLifecycle;

/**
 * Holds the listener containers by id and the worker of each application name. As a {@link SmartLifecycle} it
 * starts the auto-startup containers after the context is refreshed and stops everything gracefully when it closes
 * (batches finish, checkpoints are written, leases are released). Start, stop, pause and resume single listeners by
 * id through it.
 * <p>
 * Its stop always ends within the shutdown timeout, which must be shorter than the lifecycle phase's timeout
 * ({@code spring.lifecycle.timeout-per-shutdown-phase}): listener calls still running near its end are abandoned so
 * that what is done is checkpointed and the leases are released before Spring moves on and closes the SDK clients.
 * <p>
 * Each worker is also registered as a singleton bean named {@code kclWorker.<applicationName>} when it is built
 * (again after a restart, which builds a new one).
 */
public class KinesisListenerEndpointRegistry implements SmartLifecycle, BeanFactoryAware, DisposableBean {

    /** Started late, stopped early: after and before everything the listeners may use. */
    public static final int DEFAULT_PHASE = Integer.MAX_VALUE - 100;

    /** The prefix of the bean names of the workers. */
    public static final String WORKER_BEAN_NAME_PREFIX = "kclWorker.";

    private static final Logger logger = LoggerFactory.getLogger(KinesisListenerEndpointRegistry.class);

    private final KinesisWorkerFactory workerFactory;

    private final Duration shutdownTimeout;

    private final Map<String, KinesisListenerContainer> containers = new LinkedHashMap<>();

    private final Map<String, KinesisWorkerGroup> groups = new LinkedHashMap<>();

    private @Nullable ConfigurableListableBeanFactory beanFactory;

    private int phase = DEFAULT_PHASE;

    private volatile boolean running;

    /**
     * @param workerFactory builds the worker of each application name
     * @param shutdownTimeout how long a graceful worker shutdown may take
     */
    public KinesisListenerEndpointRegistry(KinesisWorkerFactory workerFactory, Duration shutdownTimeout) {
        this.workerFactory = workerFactory;
        this.shutdownTimeout = shutdownTimeout;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        if (beanFactory instanceof ConfigurableListableBeanFactory configurable) {
            this.beanFactory = configurable;
        }
    }

    /**
     * Makes the container of an endpoint and adds it to the worker group of its application name.
     * @throws IllegalStateException when the id is taken, or another listener of the same application name consumes
     * the same stream
     */
    public synchronized KinesisListenerContainer registerListenerContainer(KinesisListenerEndpoint endpoint,
            KinesisListenerContainerFactory factory) {
        if (containers.containsKey(endpoint.getId())) {
            throw new IllegalStateException("Another listener already has the id '" + endpoint.getId() + "' ("
                    + endpoint.describe() + ")");
        }
        KinesisListenerContainer container = factory.createContainer(endpoint);
        String application = container.getSettings().applicationName();
        KinesisWorkerGroup group = groups.computeIfAbsent(application,
                name -> new KinesisWorkerGroup(name, workerFactory, shutdownTimeout, this::registerWorkerBean));
        group.addContainer(container);
        containers.put(container.getId(), container);
        return container;
    }

    /** Builds the worker of every application name that has none yet, validating its settings. */
    public synchronized void prepareWorkers() {
        groups.values().forEach(KinesisWorkerGroup::prepareWorker);
    }

    public synchronized @Nullable KinesisListenerContainer getListenerContainer(String id) {
        return containers.get(id);
    }

    public synchronized List<KinesisListenerContainer> getListenerContainers() {
        return List.copyOf(containers.values());
    }

    public synchronized Set<String> getListenerContainerIds() {
        return Set.copyOf(containers.keySet());
    }

    /** The worker groups, one per application name. */
    public synchronized List<KinesisWorkerGroup> getWorkerGroups() {
        return List.copyOf(groups.values());
    }

    /**
     * The workers built now, one per application name (none before the context is refreshed, and none for an
     * application name whose listeners are all stopped). For health checks and operations endpoints.
     */
    public List<Worker> getWorkers() {
        return getWorkerGroups().stream().map(KinesisWorkerGroup::getWorker).filter(java.util.Objects::nonNull)
                .toList();
    }

    /** Starts the listener with this id. */
    public void start(String id) {
        container(id).start();
    }

    /** Stops the listener with this id; see {@link KinesisListenerContainer} for what happens to its leases. */
    public void stop(String id) {
        container(id).stop();
    }

    /** Pauses the listener with this id: no records are delivered, its leases are kept. */
    public void pause(String id) {
        container(id).pause();
    }

    public void resume(String id) {
        container(id).resume();
    }

    public boolean isPaused(String id) {
        return container(id).isPaused();
    }

    private KinesisListenerContainer container(String id) {
        KinesisListenerContainer container = getListenerContainer(id);
        if (container == null) {
            throw new IllegalArgumentException("No Kinesis listener with id '" + id + "'; the ids are "
                    + getListenerContainerIds());
        }
        return container;
    }

    @Override
    public void start() {
        List<KinesisWorkerGroup> current;
        synchronized (this) {
            prepareWorkers();
            current = List.copyOf(groups.values());
            running = true;
        }
        for (KinesisWorkerGroup group : current) {
            group.startAutoStartupContainers();
        }
    }

    @Override
    public void stop() {
        running = false;
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        List<Thread> stoppers = new ArrayList<>();
        for (KinesisWorkerGroup group : getWorkerGroups()) {
            Thread stopper = new Thread(() -> {
                try {
                    group.stopAll(shutdownTimeout);
                }
                catch (RuntimeException ex) {
                    logger.warn("Could not stop the Kinesis worker of application '{}'", group.getApplicationName(),
                            ex);
                }
            }, "kcl-stop-" + group.getApplicationName());
            stopper.setDaemon(true);
            stopper.start();
            stoppers.add(stopper);
        }
        // The groups stop in parallel within the timeout; one that overruns it (a DynamoDB call hanging) is left to
        // finish on its own rather than holding up the context's shutdown past the phase timeout.
        for (Thread stopper : stoppers) {
            try {
                long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remaining > 0) {
                    stopper.join(remaining);
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            if (stopper.isAlive()) {
                logger.warn("{} did not end within kcl.shutdown-timeout ({}); not waiting for it any longer",
                        stopper.getName(), shutdownTimeout);
            }
        }
    }

    /** The longest a {@link #stop()} takes. */
    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    @Override
    public void stop(Runnable callback) {
        Thread stopper = new Thread(() -> {
            try {
                stop();
            }
            finally {
                callback.run();
            }
        }, "kcl-registry-stop");
        stopper.start();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return phase;
    }

    public void setPhase(int phase) {
        this.phase = phase;
    }

    @Override
    public void destroy() {
        if (getWorkerGroups().stream().anyMatch(KinesisWorkerGroup::isRunning)) {
            stop();
        }
        getWorkerGroups().forEach(KinesisWorkerGroup::close);
    }

    private void registerWorkerBean(Worker worker) {
        ConfigurableListableBeanFactory factory = beanFactory;
        if (factory == null) {
            return;
        }
        String name = WORKER_BEAN_NAME_PREFIX + worker.applicationName();
        if (factory.containsSingleton(name) && factory instanceof DefaultSingletonBeanRegistry registry) {
            registry.destroySingleton(name);
        }
        if (!factory.containsSingleton(name)) {
            factory.registerSingleton(name, worker);
        }
    }
}
