package dev.candor.bench.collector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A poor man's profiler for the server under load: takes thread dumps with {@code jcmd Thread.print} while
 * the load runs and counts, over every running or blocked thread, the frame it was in and the first frame of
 * Candor's own code under it. Enough to say where the collector's time goes when it falls short of the
 * ceiling, without an agent in the measured process.
 */
final class StackSampler implements AutoCloseable {
    private static final int FRAMES_KEPT = 4;

    private final long pid;
    private final Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private final Thread thread;
    private volatile boolean stopped;
    private int samples;
    private int threadsSeen;

    StackSampler(long pid, long intervalMillis) {
        this.pid = pid;
        this.thread = new Thread(() -> {
            while (!stopped) {
                sample();
                try {
                    Thread.sleep(intervalMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "stack-sampler");
        thread.setDaemon(true);
        if (Files.isExecutable(jcmd)) {
            thread.start();
        }
    }

    private void sample() {
        String dump;
        try {
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print")
                    .redirectErrorStream(true).start();
            dump = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return;
            }
        } catch (IOException | InterruptedException e) {
            return;
        }
        synchronized (counts) {
            samples++;
            for (String block : dump.split("\n\n")) {
                if (!block.startsWith("\"") || block.contains("\"Attach Listener\"") || block.contains("\"Signal Dispatcher\"")) {
                    continue;
                }
                boolean busy = block.contains("java.lang.Thread.State: RUNNABLE") || block.contains("java.lang.Thread.State: BLOCKED");
                if (!busy || block.contains("sun.nio.ch.EPoll.wait") || block.contains("ServerSocketChannelImpl.accept")
                        || block.contains("SocketDispatcher.read0") || block.contains("Net.poll")) {
                    continue;
                }
                List<String> frames = new ArrayList<>();
                for (String line : block.split("\n")) {
                    String trimmed = line.trim();
                    if (trimmed.startsWith("at ")) {
                        frames.add(trimmed.substring(3).replaceAll("\\(.*\\)", ""));
                    }
                }
                if (frames.isEmpty()) {
                    continue;
                }
                threadsSeen++;
                String own = frames.stream().filter(f -> f.startsWith("dev.candor")).findFirst().orElse("(no Candor frame)");
                String top = frames.stream().limit(FRAMES_KEPT).collect(Collectors.joining(" < "));
                counts.merge(top + "\n      in " + own, 1, Integer::sum);
            }
        }
    }

    /** Writes the most frequent busy stacks, with how often each was seen. */
    void write(Path file) throws IOException {
        synchronized (counts) {
            StringBuilder out = new StringBuilder();
            out.append(samples).append(" thread dumps, ").append(threadsSeen).append(" busy thread stacks; most frequent top frames:\n");
            counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(12)
                    .forEach(e -> out.append(String.format("%4d  %s%n", e.getValue(), e.getKey())));
            Files.writeString(file, out);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join(15_000);
    }
}
