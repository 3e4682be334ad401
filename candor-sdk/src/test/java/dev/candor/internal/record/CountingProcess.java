package dev.candor.internal.record;

import dev.candor.Counter;
import dev.candor.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * A separate JVM for {@link MultiProcessTest}: waits for the go file, then records {@code n}
 * increments on two cells from two threads through a real {@link Recorder} and closes it.
 * Arguments: state dir, catalog resource name, instant, go file, n.
 */
public final class CountingProcess {
    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        Clock clock = Clock.fixed(Instant.parse(args[2]), ZoneOffset.UTC);
        Path go = Path.of(args[3]);
        int n = Integer.parseInt(args[4]);
        Recorder recorder = Recorder.open(TestCatalogs.load(args[1]), state, Mode.ON, clock, RecorderTest.CONTEXT,
                "2.0.0", null, null);
        Counter run = recorder.counter("command_run", "command", "count", "success", "true", "duration", "<100ms");
        Counter size = recorder.counter("input_size", "size", "1KB-1MB");
        awaitGo(go);
        Thread[] threads = new Thread[2];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < n / 2; i++) {
                    run.increment();
                    size.increment();
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        recorder.close();
        System.out.println("done");
    }

    static void awaitGo(Path go) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(go)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no go file " + go);
            }
            Thread.sleep(2);
        }
    }
}
