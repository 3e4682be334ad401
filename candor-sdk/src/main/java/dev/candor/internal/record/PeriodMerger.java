package dev.candor.internal.record;

import dev.candor.Mode;
import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.context.SdkLog;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Turns the counter files of closed periods into reports: for every period that closed at least
 * a grace time ago, and each mode, it sums every process's file into exactly one report, writes
 * it to the outbox (mode on) or {@code local/} (mode local), marks the period merged and removes
 * what it merged. Exactly one report per (period, mode) holds even when several processes merge
 * at once: all of it happens under a {@link FileLock} on {@code <state>/merge.lock} (and a lock
 * within this JVM, since file locks are per process), and a period that already has its marker or
 * its report is never merged again. The steps are ordered so that a crash at any point leaves at
 * most one report: report (atomic rename), then marker, then removal.
 *
 * <p>A corrupt or foreign file is skipped and removed. Files of a period older than
 * {@link #MAX_AGE_MILLIS} (60 days) are removed without a report (it would be too old to send), and markers older
 * than that are pruned. When there is nothing to merge, nothing is created, not even the lock file.
 */
final class PeriodMerger {
    private static final long DAY_MILLIS = 86_400_000L;
    /** Periods (and their markers) older than this are dropped. */
    static final long MAX_AGE_MILLIS = 60 * DAY_MILLIS;
    private static final long LOCK_WAIT_MILLIS = 10_000;
    private static final ReentrantLock JVM_LOCK = new ReentrantLock();
    /** The modes whose counts are merged, in the order their reports are built. */
    private static final Mode[] RECORDING_MODES = {Mode.ON, Mode.LOCAL};

    private final Catalog catalog;
    private final StateDirectory state;
    private final Clock clock;
    private final long graceMillis;
    private final Map<String, ?> context;
    private final String appVersion;
    private final Random random;
    private final Consumer<String> debug;

    /** {@code random} may be null: each merge that builds a report then draws from a fresh {@code SecureRandom}. */
    PeriodMerger(Catalog catalog, StateDirectory state, Clock clock, long graceMillis, Map<String, ?> context,
            String appVersion, Random random, Consumer<String> debug) {
        this.catalog = catalog;
        this.state = state;
        this.clock = clock;
        this.graceMillis = graceMillis;
        this.context = context;
        this.appVersion = appVersion;
        this.random = random;
        this.debug = debug;
    }

    /** Merges every closed period; returns the report files written. */
    List<Path> mergeClosedPeriods() throws IOException {
        long now = clock.millis();
        if (closedPeriods(now).isEmpty()) {
            return Collections.emptyList();
        }
        List<Path> written = new ArrayList<>();
        try {
            if (!JVM_LOCK.tryLock(LOCK_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                return written;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return written;
        }
        try {
            Files.createDirectories(state.root());
            try (FileChannel channel = FileChannel.open(state.mergeLock(), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                 FileLock lock = acquire(channel)) {
                if (lock == null) {
                    return written;
                }
                // Listed again under the lock: another process may have merged meanwhile.
                for (String period : closedPeriods(now)) {
                    mergePeriod(period, now, written);
                }
                pruneMarkers(now);
                removeStaleTemporaryFiles();
            }
        } finally {
            JVM_LOCK.unlock();
        }
        return written;
    }

    private FileLock acquire(FileChannel channel) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOCK_WAIT_MILLIS);
        while (true) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
            if (System.nanoTime() > deadline) {
                SdkLog.log(Level.DEBUG, "candor: another process holds the merge lock; merging later");
                return null;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    private void mergePeriod(String period, long now, List<Path> written) throws IOException {
        Path dir = state.counts(period);
        List<Path> on = new ArrayList<>();
        List<Path> local = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                Mode mode = modeOf(file.getFileName().toString());
                if (mode == null) {
                    SdkLog.log(Level.DEBUG, "candor: removing foreign file " + file.getFileName());
                    deleteQuietly(file);
                } else {
                    (mode == Mode.ON ? on : local).add(file);
                }
            }
        }
        boolean tooOld = catalog.period().endMillis(period) + MAX_AGE_MILLIS < now;
        for (Mode mode : RECORDING_MODES) {
            List<Path> files = mode == Mode.ON ? on : local;
            if (files.isEmpty()) {
                continue;
            }
            Path marker = state.mergedMarker(period, mode);
            if (tooOld || Files.exists(marker) || hasReport(period, mode)) {
                // Late counts for a merged period, or a period too old to report: dropped.
                if (!tooOld) {
                    writeMarker(marker);
                }
                deleteAll(files);
                continue;
            }
            CellTotals sum = new CellTotals();
            for (Path file : files) {
                try {
                    sum.addAll(CounterFile.read(file, catalog, period, mode));
                } catch (IOException e) {
                    // One unreadable file must not hold back every other process's counts.
                    SdkLog.log(Level.DEBUG, "candor: skipping unreadable counter file " + file.getFileName() + ": "
                            + e.getMessage());
                }
            }
            if (!sum.isEmpty()) {
                Report report = ReportBuilder.build(catalog, period, sum, context, appVersion,
                        random != null ? random : ReportBuilder.secureRandom());
                Path target = state.reportsFor(mode).resolve(report.fileName());
                CounterFile.writeAtomically(target, report.json(), state.tmp(), true);
                written.add(target);
                if (debug != null) {
                    try {
                        debug.accept(report.jsonString());
                    } catch (RuntimeException ignored) {
                        // a debug sink must never stop a merge
                    }
                }
            }
            writeMarker(marker);
            deleteAll(files);
        }
        try {
            Files.deleteIfExists(dir);
        } catch (IOException notEmptyYet) {
            // a process wrote a late file meanwhile; the next merge removes it
        }
    }

    /** Closed period folders, oldest first: dated, and ended at least the grace time before now. */
    private List<String> closedPeriods(long now) {
        return state.closedPeriods(catalog.period(), graceMillis, now);
    }

    private boolean hasReport(String period, Mode mode) throws IOException {
        List<Path> places = mode == Mode.LOCAL ? List.of(state.local()) : List.of(state.outbox(), state.sent());
        for (Path place : places) {
            if (!Files.isDirectory(place)) {
                continue;
            }
            try (DirectoryStream<Path> reports = Files.newDirectoryStream(place, period + "_*.json")) {
                if (reports.iterator().hasNext()) {
                    return true;
                }
            }
        }
        return false;
    }

    private void writeMarker(Path marker) throws IOException {
        if (!Files.exists(marker)) {
            CounterFile.writeAtomically(marker, new byte[0], state.tmp(), false);
        }
    }

    private void pruneMarkers(long now) {
        if (!Files.isDirectory(state.merged())) {
            return;
        }
        try (DirectoryStream<Path> markers = Files.newDirectoryStream(state.merged())) {
            for (Path marker : markers) {
                String name = marker.getFileName().toString();
                int dot = name.indexOf('.');
                String period = dot < 0 ? name : name.substring(0, dot);
                if (!Catalog.Period.DAY.isId(period)
                        || Catalog.Period.DAY.endMillis(period) + MAX_AGE_MILLIS + 7 * DAY_MILLIS < now) {
                    deleteQuietly(marker);
                }
            }
        } catch (IOException e) {
            SdkLog.log(Level.DEBUG, "candor: cannot prune merge markers: " + e);
        }
    }

    /** Removes what an interrupted write left in {@code tmp/} (older than an hour, by the file's time). */
    private void removeStaleTemporaryFiles() {
        if (!Files.isDirectory(state.tmp())) {
            return;
        }
        long cutoff = System.currentTimeMillis() - 3_600_000L;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(state.tmp(), "*.tmp")) {
            for (Path file : files) {
                if (Files.getLastModifiedTime(file).toMillis() < cutoff) {
                    deleteQuietly(file);
                }
            }
        } catch (IOException e) {
            SdkLog.log(Level.DEBUG, "candor: cannot clean tmp: " + e);
        }
    }

    /** The mode of a counter file named {@code <process>.<mode>.json}, or null. */
    static Mode modeOf(String fileName) {
        if (!fileName.endsWith(".json")) {
            return null;
        }
        String stem = fileName.substring(0, fileName.length() - ".json".length());
        int dot = stem.lastIndexOf('.');
        if (dot <= 0) {
            return null;
        }
        return StateDirectory.recordingMode(stem.substring(dot + 1));
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            SdkLog.log(Level.DEBUG, "candor: cannot remove " + file + ": " + e);
        }
    }

    private static void deleteAll(List<Path> files) {
        for (Path file : files) {
            deleteQuietly(file);
        }
    }
}
