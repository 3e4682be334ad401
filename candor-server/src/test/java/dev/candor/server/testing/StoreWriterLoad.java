package dev.candor.server.testing;

import dev.candor.server.ingest.CatalogRegistry;
import dev.candor.server.ingest.ReportIngest;
import dev.candor.server.ingest.ReportValidator;
import dev.candor.server.store.Report;
import dev.candor.server.store.SqliteReportStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The SQLite store's writer on its own, without HTTP or parsing: 16 threads store already validated batches of 20
 * fresh acme reports, as the bench's 16 connections do, into a new store until {@code --reports} are stored, then
 * it prints the writer thread's CPU time and the bytes the process wrote to disk (WAL, checkpoints), per report.
 * Run from {@code candor-server/} (the acme catalog is found relative to it). See BENCHMARKS.md for the command.
 *
 * <p>Arguments: {@code --reports N} (default 150000); {@code --sequential-ids} gives the reports increasing ids
 * instead of random ones, so the dedupe index is appended to like the table: what the writer would cost if no
 * report landed at a random place (an experiment only; real ids are random UUIDs).
 */
public final class StoreWriterLoad {
    private StoreWriterLoad() {}

    public static void main(String[] args) throws Exception {
        int total = 150_000;
        boolean sequentialIds = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reports" -> total = Integer.parseInt(args[++i]);
                case "--sequential-ids" -> sequentialIds = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; expected --reports N or --sequential-ids");
            }
        }
        AtomicLong nextId = sequentialIds ? new AtomicLong(1) : null;
        Path data = Files.createTempDirectory("candor-writer-load");
        try (SqliteReportStore store = SqliteReportStore.open(data)) {
            CatalogRegistry catalogs = CatalogRegistry.load(store);
            catalogs.install(AcmeReports.catalogBytes(), AcmeReports.CATALOG.toString());
            ReportIngest ingest = new ReportIngest(new ReportValidator(catalogs, Clock.systemUTC()), store);
            Report template = ingest.validate(AcmeReports.valid()).get(0);
            String templateId = template.reportId().toString();

            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long writer = -1;
            for (ThreadInfo info : threads.dumpAllThreads(false, false)) {
                if (info.getThreadName().equals("candor-store-writer")) {
                    writer = info.getThreadId();
                }
            }
            AtomicLong left = new AtomicLong(total);
            long cpuBefore = threads.getThreadCpuTime(writer);
            long bytesBefore = writtenBytes();
            long start = System.nanoTime();
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                Thread sender = new Thread(() -> {
                    while (left.addAndGet(-20) >= 0) {
                        List<Report> batch = new ArrayList<>(20);
                        for (int i = 0; i < 20; i++) {
                            UUID id = nextId == null ? UUID.randomUUID() : new UUID(nextId.getAndIncrement(), 0x8000000000000000L);
                            batch.add(new Report(id, template.app(), template.appVersion(), template.catalogSha256(),
                                    template.period(), template.context(), template.noisedEvents(), template.cells(),
                                    template.json().replace(templateId, id.toString())));
                        }
                        if (store.storeAll(batch).accepted() != batch.size()) {
                            throw new IllegalStateException("fresh reports were not all accepted");
                        }
                    }
                }, "sender-" + t);
                sender.start();
                senders.add(sender);
            }
            for (Thread sender : senders) {
                sender.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long cpu = threads.getThreadCpuTime(writer) - cpuBefore;
            long bytes = writtenBytes() - bytesBefore;
            System.out.printf("%,d reports in %.1f s (%,.0f/s): writer thread %.1f µs CPU per report, %,.0f bytes written per report%n",
                    total, seconds, total / seconds, cpu / 1e3 / total, (double) bytes / total);
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    /** What this process has written to storage so far ({@code /proc/self/io}), or -1 where that file is missing. */
    private static long writtenBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("write_bytes:")) {
                    return Long.parseLong(line.substring("write_bytes:".length()).trim());
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
