package dev.candor;

import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.CatalogException;
import dev.candor.internal.catalog.CatalogParser;
import dev.candor.internal.catalog.CatalogDiff;
import dev.candor.internal.consent.AgreedCatalog;
import dev.candor.internal.consent.CatalogChangeNotice;
import dev.candor.internal.consent.ConsentDecision;
import dev.candor.internal.consent.ConsentResolver;
import dev.candor.internal.consent.FirstRun;
import dev.candor.internal.consent.TelemetryFlags;
import dev.candor.internal.consent.TelemetryPaths;
import dev.candor.internal.context.Environment;
import dev.candor.internal.context.SdkLog;
import dev.candor.internal.record.Recorder;
import dev.candor.internal.record.StateDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;

/**
 * A start done wholly on the app's thread: every run that {@link Telemetry}'s quick start does not take
 * (a first run, whose notice may ask the user; a run whose catalog differs from the one agreed to, which
 * may ask about what is new; an off run; a debug run; a {@code telemetry} command).
 *
 * <p>Why it is a class of its own: the JVM reads and verifies all of a class's code when it first loads
 * it, and most starts are quick ones that never run this; kept apart, they never load it.
 */
final class ForegroundStart {
    private ForegroundStart() {
    }

    /** The start of every other run (see {@code Telemetry.startQuickly}), all on the app's thread. */
    /**
     * {@code decided} is consent already decided (without debug output) for the app named {@code decidedFor}
     * on the way to a quick start, or null: it is used when the parsed catalog names that app, so that
     * consent is read, and an unrecognized setting warned about, once per start.
     */
    static Telemetry startFully(TelemetryOptions opts, Environment env, TelemetryFlags flags, DebugOutput debug,
                                byte[] catalogFile, String decidedFor, ConsentDecision decided) {
        Catalog catalog;
        try {
            catalog = CatalogParser.parse(catalogFile, Telemetry.printable(opts.catalogResource));
        } catch (CatalogException e) {
            return Telemetry.catalogProblem(opts, env, debug, flags, e.getMessage());
        }
        TelemetryPaths paths = TelemetryPaths.of(catalog.app(), env);
        if (!debug.enabled() && Telemetry.isTrue(env.variable(paths.debugVariable()))) {
            debug = DebugOutput.to(env.errors());
        }
        String command = opts.command == null || opts.command.isBlank() ? catalog.app() : opts.command;
        if (debug.enabled()) {
            debug.accept("app " + catalog.app() + ", catalog sha256 " + catalog.sha256());
            debug.accept("files: " + paths);
        }
        ConsentDecision decision = decided != null && !debug.enabled() && catalog.app().equals(decidedFor) ? decided
                : ConsentResolver.resolve(paths, env, flags, debug);
        if (decision.isNoticeDue() && !opts.telemetryCommand) {
            decision = FirstRun.decide(catalog, command, opts.appVersion, paths, env, debug);
        }
        AgreedCatalog agreement = null;
        if (decision.mode() != Mode.OFF && !opts.telemetryCommand) {
            agreement = settleCatalogChange(opts, catalog, catalogFile, paths, env, command, decision.mode(), debug);
        }
        // A record of another app: both were given the same folder. A telemetry command reads it only to say so.
        AgreedCatalog record = agreement != null || decision.mode() == Mode.OFF ? agreement
                : AgreedCatalog.read(paths, catalog, debug);
        TelemetryStatus status = record != null && record.otherApp() != null
                ? Telemetry.sharedStatus(decision, command, paths, record.otherApp(), record.waitingCount())
                : Telemetry.statusOf(decision, command, paths, agreement == null ? 0 : agreement.waitingCount());
        Telemetry.logStatus(opts, status);
        Telemetry telemetry = new Telemetry(opts, env, catalog, paths, command, debug, flags, status);
        telemetry.agreement = agreement;
        if (status.mode() != Mode.OFF && !opts.telemetryCommand) {
            Recorder recorder = telemetry.openRecorder(agreement.recordable(), status.mode());
            telemetry.recorder = recorder;
            if (status.mode() == Mode.ON) {
                // The uploader (and every class it needs) exists only once a report waits: now, when the
                // outbox holds one, or when this run's recorder merges a closed period into a new one.
                recorder.onReportsWritten(telemetry.new ReportsWritten());
                if (new StateDirectory(paths.stateDirectory()).outboxMayHoldReports()) {
                    telemetry.startUploader(); // the last step: its thread looks after the host has its handle
                }
            }
        }
        return telemetry;
    }

    /**
     * Compares the catalog with what the user agreed to (docs/CATALOG.md, "When the catalog changes"):
     * no record yet, or a change that asks nothing new, records the current catalog as agreed; new items
     * are asked about on a terminal (once per catalog, unless the user answers nothing) and otherwise
     * wait, said in the debug output and, with {@link Telemetry#logStatus}, in the log.
     */
    private static AgreedCatalog settleCatalogChange(TelemetryOptions opts, Catalog catalog, byte[] catalogFile,
                                                     TelemetryPaths paths, Environment env, String command, Mode mode,
                                                     DebugOutput debug) {
        AgreedCatalog agreed = AgreedCatalog.read(paths, catalog, debug);
        if (agreed.problem() != null) {
            SdkLog.log(Level.WARNING, "Telemetry: " + agreed.problem());
        }
        if (agreed.waitingCount() == 0) {
            if (!agreed.current()) {
                // only removals, or items agreed before a version that removed them: all of it is agreed
                try {
                    if (agreed.recordWithoutAsking(paths, catalog, catalogFile)) {
                        debug.accept("agreed catalog recorded in " + AgreedCatalog.file(paths) + " (nothing in it waits)");
                    } else {
                        return AgreedCatalog.read(paths, catalog, debug); // another run answered meanwhile: its answer
                    }
                } catch (IOException | RuntimeException e) {
                    debug.accept("could not record the agreed catalog in " + AgreedCatalog.file(paths) + ": " + e);
                }
            } else if (!agreed.recorded()) {
                saveAgreed(catalogFile, catalog, paths, debug); // consent from before the record: what they saw is this
            }
            return agreed;
        }
        if (!agreed.declined() && CatalogChangeNotice.canAsk(env)) {
            String notice = CatalogChangeNotice.render(catalog, agreed.changes(), command, opts.appVersion, mode);
            Mode answer = CatalogChangeNotice.ask(notice, env); // ON: yes, OFF: no, null: no answer
            PrintStream err = env.errors();
            if (answer == Mode.ON) {
                if (saveAgreed(catalogFile, catalog, paths, debug)) {
                    err.println("The new items are counted from now on; saved in " + AgreedCatalog.file(paths));
                    return AgreedCatalog.read(paths, catalog, debug);
                }
                err.println("Could not save your answer in " + AgreedCatalog.file(paths)
                        + "; nothing new is counted, and you will be asked again next time.");
            } else if (answer == Mode.OFF) {
                try {
                    AgreedCatalog.saveDeclined(paths, catalog);
                } catch (IOException | RuntimeException e) {
                    debug.accept("could not remember the declined catalog: " + e);
                }
                err.println("The new items are not counted; what you agreed to before still is. You will not be asked"
                        + " again for this version: `" + command + " telemetry " + (mode == Mode.LOCAL ? "local" : "enable")
                        + "` accepts them later.");
            }
        }
        for (CatalogDiff.Change change : agreed.changes().waiting()) {
            debug.accept("waits for your OK, not counted: " + change);
        }
        return agreed;
    }

    /**
     * Records the catalog, as shipped ({@code catalogFile}, its exact bytes), as what the user agreed to;
     * false (and a debug line) when it cannot.
     */
    static boolean saveAgreed(byte[] catalogFile, Catalog catalog, TelemetryPaths paths, DebugOutput debug) {
        try {
            AgreedCatalog.save(paths, catalog, catalogFile);
            debug.accept("agreed catalog recorded in " + AgreedCatalog.file(paths));
            return true;
        } catch (IOException | RuntimeException e) {
            debug.accept("could not record the agreed catalog in " + AgreedCatalog.file(paths) + ": " + e);
            return false;
        }
    }
}
