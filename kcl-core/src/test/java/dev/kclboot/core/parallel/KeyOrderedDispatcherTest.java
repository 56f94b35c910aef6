package dev.kclboot.core.parallel;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeyOrderedDispatcherTest {

    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void tasksOfAKeyRunInOrderOneAtATimeAndKeysRunAtOnce() throws Exception {
        KeyOrderedDispatcher dispatcher = new KeyOrderedDispatcher(executor, 4, 1000);
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> runningPerKey = new ConcurrentHashMap<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicInteger overlapWithinAKey = new AtomicInteger();
        Random random = new Random(5);
        for (int i = 0; i < 400; i++) {
            String key = "key-" + random.nextInt(10);
            int number = i;
            dispatcher.submit(key, () -> {
                if (runningPerKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() > 1) {
                    overlapWithinAKey.incrementAndGet();
                }
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                sleep(1);
                seen.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(number);
                running.decrementAndGet();
                runningPerKey.get(key).decrementAndGet();
            });
        }
        assertThat(dispatcher.awaitIdle(Duration.ofSeconds(30))).isTrue();
        assertThat(overlapWithinAKey.get()).isZero();
        assertThat(mostAtOnce.get()).isBetween(2, 4);
        assertThat(seen.values().stream().mapToInt(List::size).sum()).isEqualTo(400);
        seen.values().forEach(numbers -> assertThat(numbers).isSorted());
    }

    @Test
    void aBlockedKeyHoldsOnlyItselfAndTheWindowBoundsWhatIsHeld() throws Exception {
        KeyOrderedDispatcher dispatcher = new KeyOrderedDispatcher(executor, 2, 5);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger others = new AtomicInteger();
        dispatcher.submit("poison", () -> await(release));
        for (int i = 0; i < 3; i++) {
            dispatcher.submit("other", others::incrementAndGet);
        }
        assertThat(waitFor(() -> others.get() == 3)).as("other keys go on while one is blocked").isTrue();
        dispatcher.submit("poison", () -> { });
        dispatcher.submit("poison", () -> { });
        dispatcher.submit("poison", () -> { });
        dispatcher.submit("poison", () -> { });
        assertThat(dispatcher.held()).isEqualTo(5);
        Thread blocked = new Thread(() -> dispatcher.submit("late", others::incrementAndGet));
        blocked.start();
        Thread.sleep(200);
        assertThat(blocked.isAlive()).as("the window is full: submit waits").isTrue();
        release.countDown();
        blocked.join(10_000);
        assertThat(blocked.isAlive()).isFalse();
        assertThat(dispatcher.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(others.get()).isEqualTo(4);
    }

    @Test
    void closeDropsWaitingTasksAndLetsRunningOnesFinish() throws Exception {
        KeyOrderedDispatcher dispatcher = new KeyOrderedDispatcher(executor, 1, 100);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        dispatcher.submit("a", () -> {
            started.countDown();
            await(release);
            ran.add("a1");
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        dispatcher.submit("a", () -> ran.add("a2"));
        dispatcher.submit("b", () -> ran.add("b1"));
        assertThat(dispatcher.close()).isEqualTo(2);
        assertThat(dispatcher.submit("c", () -> ran.add("c1"))).isFalse();
        release.countDown();
        assertThat(dispatcher.awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(ran).containsExactly("a1");
    }

    @Test
    void offerGivesUpAfterItsTimeoutWhileTheWindowIsFullAndCountsTheKeysWaiting() throws Exception {
        KeyOrderedDispatcher dispatcher = new KeyOrderedDispatcher(executor, 1, 3);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        dispatcher.submit("a", () -> {
            started.countDown();
            await(release);
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        dispatcher.submit("a", () -> { });
        dispatcher.submit("b", () -> { });
        // "a" waits behind its running task, "b" for the only slot.
        assertThat(dispatcher.keysWaiting()).isEqualTo(2);
        assertThat(dispatcher.offer("c", () -> { }, Duration.ofMillis(50))).as("window full").isFalse();
        assertThat(dispatcher.held()).isEqualTo(3);
        release.countDown();
        assertThat(dispatcher.awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(dispatcher.keysWaiting()).isZero();
        assertThat(dispatcher.offer("c", () -> { }, Duration.ofMillis(50))).isTrue();
        assertThat(dispatcher.awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(dispatcher.isClosed()).isFalse();
        dispatcher.close();
        assertThat(dispatcher.isClosed()).isTrue();
        assertThat(dispatcher.offer("d", () -> { }, Duration.ofMillis(50))).isFalse();
    }

    @Test
    void closeWakesAnOfferWaitingForRoom() throws Exception {
        KeyOrderedDispatcher dispatcher = new KeyOrderedDispatcher(executor, 1, 1);
        CountDownLatch release = new CountDownLatch(1);
        dispatcher.submit("a", () -> await(release));
        java.util.concurrent.atomic.AtomicBoolean offered = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread waiting = new Thread(() -> offered.set(dispatcher.offer("b", () -> { }, null)));
        waiting.start();
        dispatcher.close();
        waiting.join(10_000);
        assertThat(waiting.isAlive()).isFalse();
        assertThat(offered.get()).isFalse();
        release.countDown();
    }

    @Test
    void aWeightedTaskTakesItsWeightOfTheWindowAndOneLargerThanTheWindowRunsAlone() throws Exception {
        KeyOrderedDispatcher dispatcher = new KeyOrderedDispatcher(executor, 4, 10);
        CountDownLatch release = new CountDownLatch(1);
        dispatcher.offer("a", () -> await(release), 6, null);
        assertThat(dispatcher.held()).isEqualTo(6);
        assertThat(dispatcher.offer("b", () -> { }, 5, Duration.ofMillis(50))).as("6 + 5 > 10").isFalse();
        assertThat(dispatcher.offer("b", () -> { }, 4, Duration.ofMillis(50))).isTrue();
        release.countDown();
        assertThat(dispatcher.awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(dispatcher.held()).isZero();
        CountDownLatch second = new CountDownLatch(1);
        assertThat(dispatcher.offer("c", () -> await(second), 25, Duration.ofMillis(50))).as("alone").isTrue();
        assertThat(dispatcher.offer("d", () -> { }, 1, Duration.ofMillis(50))).isFalse();
        second.countDown();
        assertThat(dispatcher.awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(dispatcher.close()).isZero();
    }

    @Test
    void tasksOfferedTogetherAreAdmittedTogetherAndRunAtOnceEvenBeyondTheWindow() throws Exception {
        KeyOrderedDispatcher dispatcher = new KeyOrderedDispatcher(executor, 3, 10);
        CountDownLatch allStarted = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        Runnable group = () -> {
            allStarted.countDown();
            await(release);
        };
        // Three key groups of one batch of 30 records: three times the window, yet admitted at once, all running.
        assertThat(dispatcher.offerAll(List.of(new KeyOrderedDispatcher.KeyedTask("g0", group, 10),
                new KeyOrderedDispatcher.KeyedTask("g1", group, 10), new KeyOrderedDispatcher.KeyedTask("g2", group,
                        10)), Duration.ofMillis(50))).isTrue();
        assertThat(allStarted.await(5, TimeUnit.SECONDS)).as("the groups run at once").isTrue();
        assertThat(dispatcher.held()).isEqualTo(30);
        // The next batch waits until the window has room for it (here: until it is empty).
        assertThat(dispatcher.offerAll(List.of(new KeyOrderedDispatcher.KeyedTask("g0", () -> { }, 1)),
                Duration.ofMillis(50))).isFalse();
        release.countDown();
        assertThat(dispatcher.awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(dispatcher.offerAll(List.of(new KeyOrderedDispatcher.KeyedTask("g0", () -> { }, 1)),
                Duration.ofMillis(50))).isTrue();
        assertThat(dispatcher.awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(dispatcher.held()).isZero();
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
