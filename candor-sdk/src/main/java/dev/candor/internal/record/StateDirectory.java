package dev.candor.internal.record;

import dev.candor.Mode;
import java.nio.file.Path;
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

    /** {@code <state>/counts/<period>/<process>.<mode>.json}. */
    public Path counterFile(String period, String process, Mode mode) {
        return counts(period).resolve(process + "." + modeName(mode) + ".json");
    }

    /** {@code <state>/merge.lock}: held while closed periods are merged. */
    public Path mergeLock() {
        return root.resolve("merge.lock");
    }

    /** {@code <state>/merged}: one marker per merged (period, mode). */
    public Path merged() {
        return root.resolve("merged");
    }

    /** {@code <state>/merged/<period>.<mode>}: this period was merged; late counts are dropped. */
    public Path mergedMarker(String period, Mode mode) {
        return merged().resolve(period + "." + modeName(mode));
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
