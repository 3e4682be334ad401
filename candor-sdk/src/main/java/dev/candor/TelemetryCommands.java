package dev.candor;

import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.CatalogDiff;
import dev.candor.internal.catalog.CatalogParser;
import dev.candor.internal.catalog.EventSpec;
import dev.candor.internal.catalog.FieldSpec;
import dev.candor.internal.consent.AgreedCatalog;
import dev.candor.internal.consent.CatalogChangeNotice;
import dev.candor.internal.consent.ConsentDecision;
import dev.candor.internal.consent.ConsentResolver;
import dev.candor.internal.consent.ConfigFile;
import dev.candor.internal.consent.TelemetryFlags;
import dev.candor.internal.context.ReportContext;
import dev.candor.internal.json.Json;
import dev.candor.internal.record.CounterFile;
import dev.candor.internal.record.Recorder;
import dev.candor.internal.record.ReportBuilder;
import dev.candor.internal.upload.Outbox;
import dev.candor.internal.upload.ReportFile;
import dev.candor.internal.upload.ReportOutcome;
import dev.candor.internal.upload.UploadResult;
import dev.candor.internal.upload.Uploader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The user's side of {@link Telemetry}: the {@code telemetry} command ({@code status}, {@code enable},
 * {@code local}, {@code disable}, {@code show}, {@code send}, {@code what}) and the texts behind it.
 *
 * <p>Why it is a class of its own: an app loads {@code Telemetry} on every start, and the JVM reads and
 * verifies all of a class's code when it first loads it; these methods run only when the user asks,
 * so keeping them here keeps every ordinary start from paying for them. Each method is the body of
 * the {@code Telemetry} method of the same name (see there for what it promises).
 */
final class TelemetryCommands {
    private TelemetryCommands() {
    }

    static String whatIsCollected(Telemetry t) {
        try {
            if (t.catalog == null) {
                return unavailable(t) + "\n";
            }
            if (t.status.mode() == Mode.OFF) {
                return CatalogDiff.describe(t.catalog);
            }
            CatalogDiff changes = t.agreement().changes();
            String text = CatalogDiff.describe(t.catalog, changes);
            return changes.waitingCount() == 0 ? text
                    : text + CatalogChangeNotice.waitingLine(changes.waitingCount(), t.command, t.status.mode()) + "\n";
        } catch (RuntimeException e) {
            return "Could not describe the telemetry catalog: " + e + "\n";
        }
    }

    static String whatIsNew(Telemetry t) {
        try {
            if (t.catalog == null) {
                return unavailable(t) + "\n";
            }
            if (t.status.mode() == Mode.OFF) {
                return "Nothing waits for your OK while telemetry is off. " + t.status.line() + "\n";
            }
            CatalogDiff changes = t.agreement().changes();
            int waiting = changes.waitingCount();
            if (waiting == 0) {
                return "Nothing new: you agreed to everything `" + t.command + " telemetry what` lists.\n";
            }
            return CatalogChangeNotice.waitingLine(waiting, t.command, t.status.mode()) + ".\n\n"
                    + CatalogDiff.describeChanges(t.catalog, changes);
        } catch (RuntimeException e) {
            return "Could not describe the telemetry catalog: " + e + "\n";
        }
    }

    static boolean setMode(Telemetry t, Mode mode, PrintStream out) {
        PrintStream o = out == null ? t.env.errors() : out;
        try {
            if (mode == null || t.paths == null || t.paths.problem() != null) {
                o.println(mode != null || t.paths == null || t.paths.problem() != null ? unavailable(t)
                        : "No mode given: use enable, local or disable.");
                return false;
            }
            if (mode == Mode.OFF) {
                t.stopRecording(); // before deleting, so that no last flush brings the counts back
            }
            boolean saved = ConfigFile.apply(t.paths, mode, t.catalog.app(), o);
            ConsentDecision now = ConsentResolver.resolve(t.paths, t.env, t.flags, t.debug);
            if (saved && now.mode() != mode) {
                // the administrator's file, a flag, the app's variable or DO_NOT_TRACK comes before the app's file
                o.println("Not in effect while " + now.detail() + " decides first (it comes before "
                        + t.paths.appConfigFile() + ").");
            }
            if (saved && mode != Mode.OFF && now.mode() != Mode.OFF) { // off writes no file but the one just saved
                int waiting = t.agreement().waitingCount();
                boolean agreed;
                try {
                    agreed = ForegroundStart.saveAgreed(Telemetry.catalogBytes(t.options), t.catalog, t.paths, t.debug);
                } catch (IOException e) {
                    t.debug.accept("could not read the catalog again to record it as agreed: " + e);
                    agreed = false;
                }
                if (agreed) {
                    t.agreement = null;
                    if (waiting > 0) {
                        o.println("You agreed to " + count(waiting, "new item")
                                + " of this version too (saved in " + AgreedCatalog.file(t.paths) + ").");
                    }
                }
            }
            if (now.mode() == Mode.OFF) {
                t.stopRecording();
                t.status = Telemetry.statusOf(now, t.command); // off from this moment, not only from the next run
            }
            o.println(now.statusLine(t.command, t.paths));
            return saved;
        } catch (RuntimeException e) {
            o.println("Could not change the telemetry mode: " + e);
            return false;
        }
    }

    static int runCommand(Telemetry t, PrintStream out, String... args) {
        PrintStream o = out == null ? System.out : out;
        try {
            String[] rest = TelemetryFlags.strip(args);
            String sub = rest.length == 0 ? "status" : rest[0];
            // ifs, not a switch on the string: the same words in about half the bytecode
            if (sub.equals("status")) {
                o.println(t.statusLine());
                if (t.status.newItems() > 0) {
                    o.println(t.status.newItemsLine());
                }
                return 0;
            } else if (sub.equals("enable") || sub.equals("local") || sub.equals("disable")) {
                Mode mode = sub.equals("enable") ? Mode.ON : sub.equals("local") ? Mode.LOCAL : Mode.OFF;
                return t.setMode(mode, o) ? 0 : 1;
            } else if (sub.equals("show")) {
                if (!onlyFlag(rest, "--sent")) {
                    o.println("Usage: " + t.command + " telemetry show [--sent]");
                    return 2;
                }
                return t.show(o, rest.length > 1) ? 0 : 1;
            } else if (sub.equals("send")) {
                return t.sendNow(o, Duration.ofMillis(Telemetry.SEND_TIMEOUT_MILLIS)) ? 0 : 1;
            } else if (sub.equals("what")) {
                if (!onlyFlag(rest, "--new")) {
                    o.println("Usage: " + t.command + " telemetry what [--new]");
                    return 2;
                }
                o.print(rest.length > 1 ? t.whatIsNew() : t.whatIsCollected());
                return t.catalog == null ? 1 : 0;
            }
            o.println("Unknown telemetry command \"" + sub + "\"; use: " + t.command
                    + " telemetry status|enable|local|disable|show [--sent]|send|what [--new]");
            return 2;
        } catch (RuntimeException e) {
            o.println("The telemetry command failed: " + e);
            return 1;
        }
    }

    /** True when every word after the command is {@code flag}: a flag given twice means what it means once. */
    private static boolean onlyFlag(String[] rest, String flag) {
        for (int i = 1; i < rest.length; i++) {
            if (!rest[i].equals(flag)) {
                return false;
            }
        }
        return true;
    }

    static boolean show(Telemetry t, PrintStream out, boolean sent) {
        PrintStream o = out == null ? System.out : out;
        try {
            if (t.paths == null || t.paths.problem() != null) {
                o.println(unavailable(t));
                return false;
            }
            Path state = t.paths.stateDirectory();
            if (sent) {
                List<ReportFile> copies = Outbox.sentReports(state, t.catalog.app());
                String note = ReportBuilder.noiseNote(t.agreement().recordable());
                o.println(copies.isEmpty() ? "No report was sent from this machine (or the copies aged out)."
                        : count(copies.size(), "report") + " sent from this machine, exactly as sent (the last "
                        + Outbox.SENT_KEPT + " are kept):");
                for (ReportFile copy : copies) {
                    printReport(o, "sent: " + copy.fileName(), copy.bytes(), note, t.catalog.sha256());
                }
                return true;
            }
            Mode mode = ConsentResolver.resolve(t.paths, t.env, t.flags, t.debug).mode();
            String totals = mode == Mode.OFF ? null : mergeClosedPeriods(t, mode, true);
            String note = ReportBuilder.noiseNote(t.agreement().recordable());
            List<ReportFile> pending = new Outbox(state, t.catalog.app(), t.catalog.period(), t.options.clock).scan(new ArrayList<>());
            o.println(pending.isEmpty() ? "No report waits to be sent."
                    : pending.size() + (pending.size() == 1 ? " report waits" : " reports wait")
                    + " to be sent, exactly as they will be sent:");
            for (ReportFile report : pending) {
                printReport(o, "pending: " + report.fileName(), report.bytes(), note, t.catalog.sha256());
            }
            List<Path> local = localReports(state.resolve("local"), t.catalog.app());
            if (!local.isEmpty()) {
                o.println(count(local.size(), "report") + " recorded in local mode, kept on this machine and never sent (the last "
                        + ReportBuilder.LOCAL_KEPT + " are kept):");
                for (Path report : local) {
                    if (Files.size(report) > Outbox.MAX_BYTES) {
                        o.println("--- local: " + report.getFileName() + " (larger than 1 MiB, which no report is; not shown)");
                        continue;
                    }
                    printReport(o, "local: " + report.getFileName(), Files.readAllBytes(report), note,
                            t.catalog.sha256());
                }
            }
            if (totals != null) {
                o.println("Counted so far in the open period (" + (mode == Mode.LOCAL
                        ? "never sent: kept on this machine in a report made" : "sent only") + " after it closes,"
                        + " clamped and with noise where the catalog asks for it):");
                o.println(totals);
            }
            o.println(t.statusLine());
            return true;
        } catch (IOException | RuntimeException e) {
            o.println("Could not show the telemetry data: " + e.getMessage());
            return false;
        }
    }

    static boolean sendNow(Telemetry t, PrintStream out, Duration timeout) {
        PrintStream o = out == null ? System.out : out;
        try {
            if (t.paths == null || t.paths.problem() != null) {
                o.println(unavailable(t));
                return false;
            }
            ConsentDecision now = ConsentResolver.resolve(t.paths, t.env, t.flags, t.debug);
            if (now.mode() != Mode.ON) {
                o.println("Nothing is sent: " + now.statusLine(t.command));
                return false;
            }
            mergeClosedPeriods(t, Mode.ON, false);
            Uploader sender = Telemetry.newUploader(t.catalog, t.paths, t.options, t.env, t.debug);
            if (sender == null) {
                o.println("Nothing is sent: " + t.paths.endpointVariable() + " " + CatalogParser.endpointProblem(
                        t.env.variable(t.paths.endpointVariable()).strip()) + "; fix or unset it.");
                return false;
            }
            UploadResult result = sender.sendNow(timeout == null ? Duration.ofMillis(Telemetry.SEND_TIMEOUT_MILLIS) : timeout);
            o.println(result);
            return result.count(ReportOutcome.KEPT) == 0 && result.count(ReportOutcome.DROPPED) == 0;
        } catch (RuntimeException e) {
            o.println("Could not send: " + e.getMessage());
            return false;
        }
    }

    private static String unavailable(Telemetry t) {
        if (t.paths != null && t.paths.problem() != null) { // no place for the app's files: touch none
            return "Nothing was done: " + t.paths.problem() + "; set it to an absolute path, or unset it.";
        }
        return "Telemetry is unavailable in this app: " + t.status.line();
    }

    /** {@code 1 report}, {@code 2 reports}. */
    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /**
     * Merges the periods that closed into reports, with this run's recorder (its counts written first) or a
     * short-lived one in {@code mode}; returns the open period's totals when {@code totals} is true, else null.
     */
    private static String mergeClosedPeriods(Telemetry t, Mode mode, boolean totals) {
        Recorder r = t.recorder;
        boolean own = r == null;
        if (own) {
            r = Recorder.open(t.agreement().recordable(), t.paths.stateDirectory(), mode, t.options.clock,
                    ReportContext.current(t.env, t.options.installMethod), t.options.appVersion, null,
                    t.new ConsentStands(mode));
        } else {
            r.flush();
        }
        try {
            r.mergeClosedPeriods();
            return totals ? r.runningTotals() : null;
        } finally {
            if (own) {
                r.close();
            }
        }
    }

    /**
     * Prints one report, indented; then, when it names noised events, {@code noiseNote}: the line the debug output
     * prints after each report ({@code ReportBuilder.noiseNote}), so that a count where nothing was counted does
     * not read as counted. Only after a report of the current catalog ({@code sha256}): the note is made from it and
     * from what is agreed now, so for a copy made under another catalog it could name values that copy does not hold.
     */
    private static void printReport(PrintStream o, String title, byte[] bytes, String noiseNote, String sha256) {
        o.println("--- " + title);
        String text;
        Object noise = null;
        try {
            Object report = Json.parse(bytes);
            text = Json.writePretty(report);
            noise = report instanceof Map && sha256.equals(((Map<?, ?>) report).get("catalog_sha256"))
                    ? ((Map<?, ?>) report).get("noise") : null;
        } catch (RuntimeException notJson) {
            text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
        o.println(text);
        if (noiseNote != null && noise instanceof Map && !((Map<?, ?>) noise).isEmpty()) {
            o.println(noiseNote);
        }
    }

    /** This app's local reports: one that names another app given the same folder is that app's to show. */
    private static List<Path> localReports(Path dir, String app) throws IOException {
        List<Path> reports = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
                for (Path f : files) {
                    // never a named pipe: reading one would wait for ever
                    if (Files.isRegularFile(f) && !CounterFile.isOtherApps(f, app)) {
                        reports.add(f);
                    }
                }
            }
        }
        reports.sort(null);
        return reports;
    }

    /**
     * For the debug output: true when the cell can be counted; otherwise says why (not in the catalog,
     * or new in this version and waiting for the user's OK) and returns false.
     */
    static boolean explainable(Telemetry t, Catalog recordable, String event, String[] pairs) {
        String[] values = cellValues(t, event, pairs);
        if (values == null || recordable == t.catalog) {
            return values != null;
        }
        EventSpec agreed = recordable.event(event);
        try {
            if (agreed != null) {
                agreed.cellIndex(values);
                return true;
            }
            boolean added = false;
            for (CatalogDiff.Change c : t.agreement().changes().ofKind(CatalogDiff.NEW_EVENT)) {
                added |= c.event().name().equals(event);
            }
            t.debug.accept("event " + event + (added ? " is new" : " changed") + " in this version and waits for your OK (`"
                    + t.command + " telemetry what --new`); nothing is counted");
        } catch (IllegalArgumentException e) {
            t.debug.accept(e.getMessage() + ": that value is new in this version and waits for your OK (`" + t.command
                    + " telemetry what --new`); nothing is counted");
        }
        return false;
    }

    /**
     * The event's field values in field order for field/value pairs in any order, or {@code null}
     * (with a debug line) when the catalog does not allow them.
     */
    private static String[] cellValues(Telemetry t, String event, String[] pairs) {
        EventSpec spec = event == null ? null : t.catalog.event(event);
        if (spec == null) {
            t.debug.accept("unknown event \"" + Telemetry.printable(event) + "\"; nothing is counted");
            return null;
        }
        if (pairs == null || pairs.length % 2 != 0) {
            t.debug.accept("event " + event + ": fields must come as name/value pairs; nothing is counted");
            return null;
        }
        String[] values = new String[spec.fields().size()];
        for (int i = 0; i < pairs.length; i += 2) {
            FieldSpec field = pairs[i] == null ? null : spec.field(pairs[i]);
            if (field == null) {
                t.debug.accept("event " + event + " has no field \"" + Telemetry.printable(pairs[i]) + "\"; nothing is counted");
                return null;
            }
            values[spec.fields().indexOf(field)] = pairs[i + 1];
        }
        try {
            spec.cellIndex(values);
            return values;
        } catch (IllegalArgumentException e) {
            t.debug.accept(e.getMessage() + "; nothing is counted");
            return null;
        }
    }
}
