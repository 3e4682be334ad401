package dev.candor.internal.upload;

import dev.candor.internal.context.SdkLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static java.lang.System.Logger.Level.DEBUG;

/**
 * The copies of what left the machine: {@code <state>/sent/<period>_<report_id>.json}, the exact
 * bytes the collector accepted, so that {@code telemetry show --sent} displays exactly what was
 * sent. Only the last {@value #KEEP} are kept. Safe to use from several threads and processes;
 * no method throws on a damaged directory.
 */
public final class SentReports {
    /** How many sent reports are kept. */
    public static final int KEEP = 30;

    private final Path directory;

    /** The sent copies in {@code <stateDirectory>/sent}. Does no I/O. */
    public SentReports(Path stateDirectory) {
        this.directory = stateDirectory.resolve("sent");
    }

    /** {@code <state>/sent}. */
    public Path directory() {
        return directory;
    }

    /**
     * The kept copies, in the order they were sent (the most recent last). Files whose names are
     * not report names are ignored. Never throws.
     */
    public List<ReportFile> list() {
        List<ReportFile> reports = new ArrayList<>();
        for (Path entry : Outbox.list(directory)) {
            if (ReportFile.firstDayOf(entry.getFileName().toString()) == null || Files.isDirectory(entry)) {
                continue;
            }
            try {
                if (Files.size(entry) > Outbox.MAX_BYTES) {
                    continue; // no copy of a sent report is larger than the whole outbox may be; not read
                }
                Instant modified = Files.getLastModifiedTime(entry).toInstant();
                reports.add(new ReportFile(entry, Files.readAllBytes(entry), modified));
            } catch (NoSuchFileException e) {
                // Pruned by another process since the listing.
            } catch (IOException | RuntimeException e) {
                SdkLog.log(DEBUG, "cannot read " + entry + ": " + e);
            }
        }
        reports.sort(ReportFile.Order.AS_SENT);
        return reports;
    }

    /**
     * Keeps a copy of {@code report}, exactly the bytes that were sent, then removes the oldest
     * copies beyond {@value #KEEP}. Never throws: a copy that cannot be written is logged and lost,
     * it does not make a sent report unsent.
     */
    void add(ReportFile report) {
        try {
            Outbox.writeAtomically(directory.resolve(report.fileName()), report.sharedBytes());
        } catch (IOException | RuntimeException e) {
            SdkLog.log(DEBUG, "cannot keep a copy of the sent report " + report.fileName() + ": " + e);
            return;
        }
        List<ReportFile> kept = list();
        for (int i = 0; i < kept.size() - KEEP; i++) {
            try {
                Files.deleteIfExists(kept.get(i).path());
            } catch (IOException | RuntimeException e) {
                SdkLog.log(DEBUG, "cannot remove the old sent copy " + kept.get(i).path() + ": " + e);
            }
        }
    }
}
