package dev.candor.internal.consent;

import dev.candor.Mode;
import dev.candor.TelemetryStatus.Source;
import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.EventSpec;
import dev.candor.internal.context.Environment;
import dev.candor.internal.context.ReportContext;
import dev.candor.internal.record.CounterFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The first run, when nobody has decided yet (DESIGN §4, step 6).
 *
 * <p>On a terminal (and {@code CI} unset) it shows the notice and asks {@code Continue with
 * telemetry? [Y/n]}: Enter or {@code y} saves {@code telemetry=true} in the app's file, {@code n}
 * saves {@code false}, and no answer within 30 seconds decides nothing (asked again next run). The
 * answer is read only as far as the terminal has it ready, so the wait never exceeds the timeout, no
 * thread is left blocked on standard input, and the app's own input is never taken.
 *
 * <p>Without a terminal it prints the notice once to standard error, remembers that in the state
 * directory ({@code notice-shown}), and records nothing in this run; later runs are on unless the
 * user opted out. It never reads standard input then.
 *
 * <p>When the state directory cannot be written, it shows nothing and telemetry stays off: nothing could be
 * recorded, and a notice that cannot be remembered would come back on every run. When the folder looked
 * writable but the marker still could not be written (a link to nowhere where the folder goes, a full disk), the notice
 * ends by saying so instead of promising the next run, and the status line names the marker.
 *
 * <p>The system property {@value #TIMEOUT_PROPERTY} shortens the 30 s wait, in milliseconds; it
 * exists for the pseudo-terminal tests and can only make the wait shorter.
 */
public final class FirstRun {
    /** Test-only: a shorter prompt timeout in milliseconds (at most 30000). */
    public static final String TIMEOUT_PROPERTY = "candor.testing.promptTimeoutMillis";
    static final long TIMEOUT_MILLIS = 30_000;
    /** How often a waiting question looks whether the answer's line has arrived. */
    static final long POLL_MILLIS = 25;
    static final String QUESTION = "Continue with telemetry? [Y/n] ";

    private FirstRun() {
    }

    /**
     * Shows the notice (and asks, on a terminal) and returns the decision for this run. {@code command} is what
     * the user types to run the app (usually its name), {@code version} the app's version or {@code null}.
     */
    public static ConsentDecision decide(Catalog catalog, String command, String version, TelemetryPaths paths,
                                         Environment env, Consumer<String> trace) {
        PrintStream err = env.errors();
        Path state = paths.stateDirectory();
        if (!paths.canWriteState()) {
            // Nothing could be recorded or remembered, the notice included: shown now, it would be shown again on
            // every run, promising a start that never comes. Off and quiet until the folder can be written.
            trace.accept("first run: no notice, as " + state + " cannot be written (nothing could be recorded);"
                    + " telemetry stays off until it can");
            return ConsentDecision.notYetEnabled(ConsentDecision.unwritable(state));
        }
        String notice = notice(catalog, command, version, paths);
        if (canAsk(env)) {
            Mode chosen = ask(env, notice, QUESTION, "telemetry stays off for now and you will be asked again next time.");
            if (chosen == null) {
                trace.accept("first run: no decision at the prompt");
                return ConsentDecision.notYetEnabled("not answered; asked again on the next run");
            }
            Path file = paths.appConfigFile();
            try {
                ConfigFile.write(file, chosen, catalog.app());
                err.println((chosen == Mode.ON ? "Telemetry enabled" : "Telemetry disabled") + "; saved in " + file);
            } catch (IOException | RuntimeException e) {
                err.println("Could not save your answer in " + file + " (" + e.getMessage()
                        + "); you will be asked again next time.");
            }
            trace.accept("first run: the user answered " + chosen);
            return ConsentDecision.decided(chosen, Source.APP_FILE, file.toString());
        }
        err.print(notice);
        if (err.checkError()) { // flushes; true when the notice could not be written (standard error closed)
            trace.accept("first run: the notice could not be shown (standard error is closed); it will be shown again");
            return ConsentDecision.notYetEnabled(ConsentDecision.NOTICE_NEXT_RUN);
        }
        if (rememberNoticeShown(paths, catalog, trace)) {
            err.println("This run records nothing; telemetry starts with the next run unless you turn it off.");
            return ConsentDecision.notYetEnabled();
        }
        // the next run finds no marker: it shows the notice again and records nothing, so no start is promised
        Path marker = paths.noticeMarker();
        err.println("This run records nothing, and this notice could not be remembered (" + marker + " cannot be"
                + " written): it will be shown again, and nothing is recorded until that file can be written.");
        return ConsentDecision.notYetEnabled(ConsentDecision.unwritable(marker));
    }

    /** True when the user can be asked: a terminal on standard input and error, and {@code CI} unset. */
    static boolean canAsk(Environment env) {
        return env.terminal() && !ReportContext.isCi(env);
    }

    /**
     * Shows {@code notice}, asks {@code question} and waits for the answer (see the class comment).
     * Returns {@code Mode.ON} for Enter or yes, {@code Mode.OFF} for no; otherwise says so, ending with
     * {@code noDecision}, and returns {@code null}.
     */
    static Mode ask(Environment env, String notice, String question, String noDecision) {
        PrintStream err = env.errors();
        err.print(System.lineSeparator() + notice + System.lineSeparator() + question);
        err.flush();
        String answer = readLine(env.input(), timeoutMillis(env));
        Mode chosen = interpret(answer);
        if (chosen == null) {
            err.println();
            err.println((answer == null ? "No answer; " : "Not understood; ") + noDecision);
        }
        return chosen;
    }

    /**
     * The first-run notice of an app (the seed article's notice, made concrete from the catalog): what is
     * collected, what never is, where to see exactly what is collected, and every way to say no, each
     * named with the app's real flag, variable, files and command. The catalog's title and policy URL are
     * never blank (its parser requires them).
     */
    static String notice(Catalog catalog, String cmd, String version, TelemetryPaths paths) {
        StringBuilder out = new StringBuilder(1600).append(catalog.title());
        if (version != null && !version.isBlank()) {
            out.append(' ').append(version);
        }
        out.append(" collects anonymous usage statistics");
        if (!catalog.owner().isBlank()) { // the parser's check trims ASCII spaces only: an owner of U+3000 gets here
            out.append(" for ").append(catalog.owner());
        }
        out.append(",\nso that its makers learn which features are used and which errors happen.\n\n"
                + "  Counted per day, never as single events:\n");
        for (EventSpec event : catalog.events()) {
            out.append("    - ").append(event.description())
                    .append(event.noised() ? " (blurred with random noise on this machine)\n" : "\n");
        }
        out.append("  With each day's counts: the OS family, CPU architecture, Java major version,\n"
                + "  a memory tier, how the app was installed, and whether it runs in CI.\n\n"
                + "  Never collected: user or host names, file names, paths, file contents,\n"
                + "  arguments, error messages, exact times, or any identifier that could tell\n"
                + "  who you are or link one report to another. Your IP address reaches the\n"
                + "  collector with each upload, as with any connection; it is never stored.\n\n"
                + "  Exactly what can be collected: ").append(cmd).append(" telemetry what and ")
                .append(catalog.policyUrl());
        out.append("\n  What this machine recorded and sent: ").append(cmd).append(" telemetry show (and show --sent)\n\n"
                + "  To turn it off, any one of these is enough:\n");
        String[] ways = { // what to type, and what it does
                cmd + " " + TelemetryFlags.NO_TELEMETRY + " ...", "for one run",
                paths.modeVariable() + "=0", "in your environment",
                cmd + " telemetry disable", "saves telemetry=false in " + paths.appConfigFile(),
                "DO_NOT_TRACK=1", "every tool that honours it",
        };
        int width = 0;
        for (int i = 0; i < ways.length; i += 2) {
            width = Math.max(width, ways[i].length());
        }
        for (int i = 0; i < ways.length; i += 2) {
            out.append("    ").append(ways[i]).append(" ".repeat(width + 3 - ways[i].length())).append(ways[i + 1]).append('\n');
        }
        out.append("    or write telemetry=false yourself in that file, or in\n    ").append(paths.userConfigFile())
                .append(" to switch off every Candor app.\n  Or keep the counts on this machine, never sent: ").append(cmd)
                .append(" telemetry local\n");
        return out.toString().replace("\n", System.lineSeparator());
    }

    /** {@code Mode.ON} for Enter or yes, {@code Mode.OFF} for no, {@code null} for no answer or anything else. */
    private static Mode interpret(String answer) {
        if (answer == null) {
            return null;
        }
        String a = answer.strip().toLowerCase(Locale.ROOT);
        if (a.isEmpty() || a.equals("y") || a.equals("yes")) {
            return Mode.ON;
        }
        if (a.equals("n") || a.equals("no")) {
            return Mode.OFF;
        }
        return null;
    }

    static long timeoutMillis(Environment env) {
        String value = env.property(TIMEOUT_PROPERTY);
        if (value != null) {
            try {
                long millis = Long.parseLong(value.strip());
                if (millis >= 0 && millis < TIMEOUT_MILLIS) {
                    return millis;
                }
            } catch (NumberFormatException ignored) {
                // not a number: the normal timeout applies
            }
        }
        return TIMEOUT_MILLIS;
    }

    /**
     * One line from {@code in}, or {@code null} after {@code timeoutMillis} (or at end of input). Only
     * bytes that {@link InputStream#available()} says are there are read, one at a time up to the end of
     * the line, so nothing is left blocked on the app's input after a timeout: an unanswered question never
     * swallows the next line the user types for the app itself. A terminal makes a line available when
     * Enter is pressed.
     */
    static String readLine(InputStream in, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMillis));
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            while (true) {
                for (int ready = in.available(); ready > 0; ready--) {
                    int b = in.read();
                    if (b == -1) {
                        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8.name());
                    }
                    if (b == '\n') {
                        return line.toString(StandardCharsets.UTF_8.name());
                    }
                    if (line.size() < 256) {
                        line.write(b);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                Thread.sleep(Math.min(POLL_MILLIS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Writes the marker that the notice was shown, naming the catalog it listed (later runs compare: see
     * {@link AgreedCatalog}), in one go: a marker cut short by a crash is never there, rather than one that
     * names no catalog. False when it could not be written.
     */
    private static boolean rememberNoticeShown(TelemetryPaths paths, Catalog catalog, Consumer<String> trace) {
        Path marker = paths.noticeMarker();
        try {
            Files.createDirectories(marker.getParent());
            CounterFile.writeAtomically(marker, ("The telemetry notice was shown here; telemetry is on from the next run"
                    + " unless you turned it off." + System.lineSeparator() + AgreedCatalog.NOTICE_CATALOG
                    + catalog.sha256() + System.lineSeparator()).getBytes(StandardCharsets.UTF_8), marker.getParent(),
                    false);
            trace.accept("first run: notice shown, remembered in " + marker);
            return true;
        } catch (IOException | RuntimeException e) {
            trace.accept("first run: notice shown, but " + marker + " could not be written (" + e
                    + "); it will be shown again");
            return false;
        }
    }
}
