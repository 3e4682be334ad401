package dev.candor.internal.upload;

import dev.candor.internal.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several writers fill the outbox while several readers scan and prune it, as processes of one
 * app do: no reader ever sees a partial report, nothing complete is ever taken for corrupt, and
 * the bound holds at the end with every report accounted for.
 */
class OutboxConcurrencyTest {
    @TempDir
    Path state;

    @Test
    void writersAndScannersShareTheOutboxSafely() throws Exception {
        int writers = 4;
        int reportsPerWriter = 12;
        Map<String, byte[]> written = new ConcurrentHashMap<>();
        List<ReportOutcome> removed = new CopyOnWriteArrayList<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();

        for (int w = 0; w < writers; w++) {
            int writer = w;
            threads.add(new Thread(() -> {
                try {
                    Outbox outbox = new Outbox(state, SampleReports.APP, Catalog.Period.DAY, SampleReports.CLOCK);
                    go.await();
                    for (int i = 0; i < reportsPerWriter; i++) {
                        String period = LocalDate.of(2026, 11, 24).minusDays((i * writers + writer) % 20).toString();
                        String id = SampleReports.newId();
                        byte[] bytes = SampleReports.report(SampleReports.APP, period, id, 40);
                        written.put(id, bytes);
                        if (i % 2 == 0) {
                            SampleReports.put(outbox, period, id, bytes);
                        } else {
                            slowWrite(outbox.directory(), period + "_" + id + ".json", bytes);
                        }
                    }
                } catch (Exception e) {
                    problems.add("writer " + writer + ": " + e);
                }
            }));
        }
        for (int s = 0; s < 3; s++) {
            threads.add(new Thread(() -> {
                Outbox outbox = new Outbox(state, SampleReports.APP, Catalog.Period.DAY, SampleReports.CLOCK);
                try {
                    go.await();
                    while (writing.get()) {
                        SampleReports.Scan scan = SampleReports.scan(outbox);
                        removed.addAll(scan.removed());
                        for (ReportFile report : scan.pending()) {
                            byte[] expected = written.get(report.reportId());
                            if (expected == null || !java.util.Arrays.equals(expected, report.bytes())) {
                                problems.add("scanner saw a partial or unknown report " + report.fileName());
                            }
                        }
                    }
                } catch (Exception e) {
                    problems.add("scanner: " + e);
                }
            }));
        }
        threads.forEach(Thread::start);
        go.countDown();
        for (Thread t : threads.subList(0, writers)) {
            t.join(30_000);
        }
        writing.set(false);
        for (Thread t : threads) {
            t.join(30_000);
        }

        SampleReports.Scan last = SampleReports.scan(new Outbox(state, SampleReports.APP, Catalog.Period.DAY, SampleReports.CLOCK));
        removed.addAll(last.removed());
        assertThat(problems).isEmpty();
        assertThat(removed).allSatisfy(o -> assertThat(o.reason()).contains("more than 30 reports"));
        assertThat(last.pending()).hasSize(Outbox.MAX_REPORTS);
        Set<String> accounted = new HashSet<>();
        last.pending().forEach(r -> accounted.add(r.reportId()));
        removed.forEach(o -> accounted.add(o.fileName().substring(11, 47))); // <period>_<report_id>.json
        assertThat(accounted).isEqualTo(written.keySet());
        try (var left = Files.list(state.resolve("outbox"))) {
            assertThat(left.map(p -> p.getFileName().toString())).allSatisfy(n -> assertThat(ReportFile.isReportName(n)).isTrue());
        }
    }

    /** Writes like a slow writer in another process: a temporary name, a few bytes at a time, then one rename. */
    private static void slowWrite(Path directory, String name, byte[] bytes) throws Exception {
        Files.createDirectories(directory);
        Path temporary = directory.resolve("." + name + ".slow.tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            for (int i = 0; i < bytes.length; i += 512) {
                out.write(bytes, i, Math.min(512, bytes.length - i));
                out.flush();
                Thread.yield();
            }
        }
        Files.move(temporary, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }
}
