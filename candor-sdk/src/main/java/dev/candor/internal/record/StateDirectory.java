package dev.candor.internal.record;

import dev.candor.Mode;
import dev.candor.internal.catalog.Catalog;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Where recording, uploading and the CLI commands keep their files under an app's state
 * directory (docs/ARCHITECTURE.md). Only names paths; creates nothing, so building one never
 * touches the disk. Immutable.
 */
public final class StateDirectory {
    private final Path root;

    public StateDirectory(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** {@code <state>/counts}: one folder per period holding the per-process counter files. */
    public Path counts() {
        return root.resolve("counts");
    }

    /** {@code <state>/counts/<period>}. */
    public Path counts(String period) {
        return counts().resolve(period);
    }

    /**
     * A name for this process's counter files: its pid, then 32 bits that differ between processes, so that
     * processes of the same app never share a file, even one that reuses an earlier process's pid in the same
     * period. On Linux the pid is read from {@code /proc/self}, much cheaper at startup than {@code
     * ProcessHandle} (whose first use builds a thread pool); the other bits mix the clocks with an identity
     * hash, without {@code java.util.Random}'s classes (the reports' own randomness comes from {@code
     * SecureRandom}, when a report is built).
     */
    public static String newProcessName() {
        String pid = null;
        try {
            File self = new File("/proc/self");
            if (self.isDirectory()) {
                String name = self.getCanonicalFile().getName();
                if (isNumber(name)) {
                    pid = name;
                }
            }
        } catch (IOException | RuntimeException e) {
            // below
        }
        if (pid == null) {
            pid = Long.toString(ProcessHandle.current().pid());
        }
        long bits = System.nanoTime() * 0x9E3779B97F4A7C15L ^ System.currentTimeMillis()
                ^ (long) System.identityHashCode(new Object()) << 21;
        bits ^= bits >>> 29;
        bits *= 0xBF58476D1CE4E5B9L;
        bits ^= bits >>> 32;
        return pid + "-" + Long.toHexString(bits & 0xFFFFFFFFL);
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** {@code <state>/counts/<period>/<process>.<mode>.json}. */
    public Path counterFile(String period, String process, Mode mode) {
        return counts(period).resolve(process + "." + modeName(mode) + ".json");
    }

    /**
     * The period folders under {@code counts/} that closed at least {@code graceMillis} before
     * {@code now}, oldest first: named by a day ({@code yyyy-mm-dd}) whose {@code kind} period has
     * ended. One {@code java.io} listing; never throws (an unreadable folder lists nothing).
     */
    public List<String> closedPeriods(Catalog.Period kind, long graceMillis, long now) {
        List<String> closed = new ArrayList<>();
        File counts = counts().toFile();
        String[] names = counts.list();
        if (names == null) {
            return closed;
        }
        for (String name : names) {
            if (!Catalog.Period.DAY.isId(name) || !new File(counts, name).isDirectory()) {
                continue;
            }
            long end = kind.endMillis(kind.idOfMillis(Catalog.Period.DAY.startMillis(name)));
            if (end + graceMillis <= now) {
                closed.add(name);
            }
        }
        Collections.sort(closed);
        return closed;
    }

    /**
     * Whether a recording run has work here beyond counting: a closed period to merge (past the recorder's
     * grace time), or, when it {@code sends}, a report in the outbox. Two {@code java.io} listings; never throws
     * (a folder that cannot be listed holds nothing to do).
     */
    public boolean workWaits(Catalog.Period kind, long now, boolean sends) {
        try {
            return !closedPeriods(kind, Recorder.DEFAULT_MERGE_GRACE_MILLIS, now).isEmpty()
                    || sends && outboxMayHoldReports();
        } catch (RuntimeException e) {
            return true; // let the start look closer
        }
    }

    /** {@code <state>/merge.lock}: held while closed periods are merged. */
    public Path mergeLock() {
        return root.resolve("merge.lock");
    }

    /** {@code <state>/merged}: one marker per merged (period, mode). */
    public Path merged() {
        return root.resolve("merged");
    }

    /**
     * {@code <state>/merged/<period>.<mode>}: this period was merged; late counts are dropped. It names, one a
     * line, the apps whose counts were merged (apps given the same folder share it); an empty one, written by an
     * SDK before markers named their apps, stands for every app.
     */
    public Path mergedMarker(String period, Mode mode) {
        return merged().resolve(period + "." + modeName(mode));
    }

    /**
     * Whether {@code app}'s counts of {@code period} in {@code mode} were merged: its marker exists and names the
     * app, or no app. One {@code java.io} check; the marker, a few bytes, is read only when it exists (after its
     * period closed, so never while a run counts in the open period). Never throws: an unreadable marker counts as
     * merged, as any marker did before markers named their apps.
     */
    public boolean isMerged(String period, Mode mode, String app) {
        File marker = mergedMarker(period, mode).toFile();
        if (!marker.exists()) {
            return false;
        }
        String apps = mergedApps(marker);
        return apps == null || names(apps, app);
    }

    /** Whether a marker's text stands for {@code app}: it names no app, or names it on a line of its own. */
    static boolean names(String apps, String app) {
        return apps.isEmpty() || ("\n" + apps).contains("\n" + app + "\n");
    }

    /** The marker's text (app names, each ending a line), or null when it cannot be read. */
    static String mergedApps(File marker) {
        try (java.io.FileInputStream in = new java.io.FileInputStream(marker)) {
            return new String(in.readNBytes(64 * 1024), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** {@code <state>/outbox}: reports waiting to be sent (mode on). */
    public Path outbox() {
        return root.resolve("outbox");
    }

    /**
     * Whether {@code <state>/outbox} may hold a report: it has a file that is not being written
     * (named neither {@code .…} nor {@code ….tmp}, the upload package's rule for files in progress).
     * One {@code java.io} listing and no class of the upload package: the facade asks this at start,
     * so that a run with nothing to send never builds an uploader. Never throws; a failed listing says yes.
     */
    public boolean outboxMayHoldReports() {
        try {
            String[] names = outbox().toFile().list();
            if (names != null) {
                for (String name : names) {
                    if (!name.startsWith(".") && !name.endsWith(".tmp")) {
                        return true;
                    }
                }
            }
            return false;
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** {@code <state>/local}: reports built in local mode, shown and never sent. */
    public Path local() {
        return root.resolve("local");
    }

    /** {@code <state>/sent}: exact copies of what was sent. */
    public Path sent() {
        return root.resolve("sent");
    }

    /** Where a finished report of this mode goes: the outbox for on, {@code local/} for local. */
    public Path reportsFor(Mode mode) {
        return mode == Mode.LOCAL ? local() : outbox();
    }

    /** {@code <state>/tmp}: files being written, moved into place atomically when complete. */
    public Path tmp() {
        return root.resolve("tmp");
    }

    /** {@code on} or {@code local}, as used in file names. */
    public static String modeName(Mode mode) {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    /** The mode named {@code on} or {@code local}, or null. */
    public static Mode recordingMode(String name) {
        if ("on".equals(name)) {
            return Mode.ON;
        } else if ("local".equals(name)) {
            return Mode.LOCAL;
        }
        return null;
    }
}
