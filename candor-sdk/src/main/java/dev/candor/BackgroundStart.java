package dev.candor;

import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.CatalogException;
import dev.candor.internal.catalog.CatalogParser;
import dev.candor.internal.consent.ConsentDecision;
import dev.candor.internal.context.SdkLog;
import dev.candor.internal.record.Recorder;
import dev.candor.internal.record.StateDirectory;
import java.lang.System.Logger.Level;

/**
 * What a quick start of {@link Telemetry} does off the app's thread, when it does it (see {@code
 * Telemetry.startQuickly}): parse and validate the whole catalog, open the recorder and adopt the counters
 * handed out meanwhile, and look at the outbox (the start thread logged the status line before). A
 * catalog that fails validation (or a start that fails) leaves telemetry unavailable for the run, as a
 * start on the app's thread would have: nothing counted is written.
 *
 * <p>Why it is a class of its own: only the start thread runs it, so it is loaded and verified there,
 * not on the app's thread.
 */
final class BackgroundStart {
    private BackgroundStart() {
    }

    /** The rest of {@code t}'s quick start (see {@code Telemetry.startQuickly}), on its start thread. */
    static void finish(Telemetry t, byte[] catalogFile) {
        try {
            Catalog parsed;
            try {
                parsed = CatalogParser.parse(catalogFile, Telemetry.printable(t.options.catalogResource));
            } catch (CatalogException e) {
                becomeUnavailable(t, "Telemetry is off: " + e.getMessage(), null, "no valid telemetry catalog; see the log");
                return;
            }
            if (!parsed.app().equals(t.paths.app())) {
                becomeUnavailable(t, "Telemetry is off: the catalog's app \"" + parsed.app() + "\" is not \""
                        + t.paths.app() + "\"", null, "no valid telemetry catalog; see the log");
                return;
            }
            synchronized (t.uploaderLock) {
                t.catalog = parsed;
                if (t.closed) {
                    t.early().discard();
                    return;
                }
                Recorder opened = t.openRecorder(parsed, t.currentStatus().mode());
                t.recorder = opened;
                t.early().adoptInto(opened); // after recorder is set: a counter asked for now goes to one or the other
                if (t.currentStatus().mode() == Mode.ON) {
                    opened.onReportsWritten(t.new ReportsWritten());
                }
            }
            if (t.currentStatus().mode() == Mode.ON && new StateDirectory(t.paths.stateDirectory()).outboxMayHoldReports()) {
                t.startUploader();
            }
        } catch (RuntimeException | LinkageError | AssertionError e) {
            becomeUnavailable(t, "Telemetry is off: it failed to start", e, "failed to start; see the log");
        }
    }

    /** After a background start failed: nothing of this run is recorded, and the status says why. */
    private static void becomeUnavailable(Telemetry t, String logLine, Throwable error, String reason) {
        t.early().discard();
        synchronized (t.uploaderLock) {
            t.catalog = null;
            t.paths = null;
            t.status = Telemetry.statusOf(ConsentDecision.unavailable(reason), "");
        }
        if (error == null) {
            SdkLog.log(Level.WARNING, logLine);
        } else {
            SdkLog.log(Level.WARNING, logLine, error);
        }
    }
}
