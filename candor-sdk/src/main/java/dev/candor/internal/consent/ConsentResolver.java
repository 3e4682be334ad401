package dev.candor.internal.consent;

import dev.candor.internal.context.Environment;
import dev.candor.internal.context.SdkLog;
import dev.candor.Mode;
import dev.candor.TelemetryStatus.Source;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Decides the mode of this run exactly in the order of DESIGN §4: the administrator's file can only
 * switch off and beats everything; then the first match of flag, {@code <APP>_TELEMETRY},
 * {@code DO_NOT_TRACK}, the app's file, the user-wide file; otherwise the first-run notice decides
 * (a marker from an earlier notice means on). It only reads: no file is created, nothing is shown.
 * A {@code <APP>_TELEMETRY_DIR} that is not an absolute path ({@link TelemetryPaths#problem}) means off,
 * after the administrator's file and before everything else.
 * A value it cannot understand, or a file it cannot read, means off.
 *
 * <p>It also reads a mode from the words people write in variables and files ({@link #parse}): {@code
 * 1|true|on|yes}, {@code 0|false|off|no} and {@code local}, in any case. A value it does not understand
 * means {@link Mode#OFF}: a setting the SDK cannot read never turns telemetry on. (Here, not in a class of
 * its own: every start that a setting decides needs it, and each class loaded at start costs time.)
 */
public final class ConsentResolver {

    private ConsentResolver() {
    }

    /**
     * The decision for the app at {@code paths}; {@code trace} receives one line per source checked
     * (the {@code --debug-telemetry} output).
     */
    public static ConsentDecision resolve(TelemetryPaths paths, Environment env, TelemetryFlags flags,
                                          Consumer<String> trace) {
        Path systemFile = paths.systemConfigFile();
        Mode system = readFile(systemFile, trace);
        if (system == Mode.OFF) {
            return decided(Mode.OFF, Source.SYSTEM_FILE, systemFile.toString(), trace);
        }
        if (paths.problem() != null) {
            // the files were to move: off rather than written where the user said they must not be
            SdkLog.warnOnce("Telemetry is off: " + paths.problem() + "; set it to an absolute path, or unset it");
            return decided(Mode.OFF, Source.UNAVAILABLE, paths.problem(), trace);
        }
        if (flags.off()) {
            return decided(Mode.OFF, Source.FLAG, flags.offBy(), trace);
        }
        if (flags.on()) {
            return decided(Mode.ON, Source.FLAG, TelemetryFlags.TELEMETRY, trace);
        }
        String variable = paths.modeVariable();
        String value = env.variable(variable);
        if (value != null && !value.isBlank()) {
            warnIfUnrecognized(variable, value);
            return decided(parse(value), Source.ENVIRONMENT,
                    variable + "=" + printable(value), trace);
        }
        trace.accept(variable + " is not set");
        String dnt = env.variable("DO_NOT_TRACK");
        if (dnt != null && !dnt.isBlank() && !"0".equals(dnt.strip())) {
            return decided(Mode.OFF, Source.DO_NOT_TRACK, "DO_NOT_TRACK=" + printable(dnt), trace);
        }
        trace.accept("DO_NOT_TRACK is not set (or 0)");
        Path appFile = paths.appConfigFile();
        Mode app = readFile(appFile, trace);
        if (app != null) {
            return decided(app, Source.APP_FILE, appFile.toString(), trace);
        }
        Path userFile = paths.userConfigFile();
        Mode user = readFile(userFile, trace);
        if (user != null) {
            return decided(user, Source.USER_FILE, userFile.toString(), trace);
        }
        if (Files.exists(paths.noticeMarker())) {
            return decided(Mode.ON, Source.FIRST_RUN, paths.noticeMarker().toString(), trace);
        }
        trace.accept("nobody decided yet: the first-run notice is due");
        return ConsentDecision.noticeDue();
    }

    private static ConsentDecision decided(Mode mode, Source source, String detail, Consumer<String> trace) {
        trace.accept("decided: " + mode + " by " + source + " (" + detail + ")");
        return ConsentDecision.decided(mode, source, detail);
    }

    /**
     * The mode a settings file sets, or null when it sets none. A file that is not there is not opened (nor
     * the file reader's classes loaded: most starts find no administrator's file).
     */
    private static Mode readFile(Path file, Consumer<String> trace) {
        try {
            String value = file.toFile().exists() ? ConfigFile.read(file) : null;
            if (value == null) {
                trace.accept(file + ": no telemetry setting");
                return null;
            }
            warnIfUnrecognized(file + ": telemetry", value);
            return parse(value);
        } catch (IOException | RuntimeException e) {
            SdkLog.log(Level.WARNING, "Telemetry is off: " + file + " exists but cannot be read (" + e.getMessage()
                    + "); make it readable or delete it");
            trace.accept(file + ": unreadable, counts as telemetry=false");
            return Mode.OFF;
        }
    }

    private static void warnIfUnrecognized(String where, String value) {
        if (!isRecognized(value)) {
            SdkLog.log(Level.WARNING, where + "=" + printable(value)
                    + " is not one of 1|true|on|yes, 0|false|off|no, local; telemetry is off");
        }
    }

    /** The mode a non-blank value asks for; anything unrecognized is {@link Mode#OFF}. */
    static Mode parse(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        switch (v) {
            case "1": case "true": case "on": case "yes":
                return Mode.ON;
            case "local":
                return Mode.LOCAL;
            default:
                return Mode.OFF;
        }
    }

    /** True when {@link #parse} knows the value (an unknown one is still off, but worth a warning). */
    static boolean isRecognized(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        switch (v) {
            case "1": case "true": case "on": case "yes": case "local":
            case "0": case "false": case "off": case "no": case "disable": case "disabled":
                return true;
            default:
                return false;
        }
    }

    /** The value {@code telemetry enable|local|disable} writes to a file. */
    static String fileValue(Mode mode) {
        // ifs, not a switch on the enum: that would compile to one more class (its lookup table) in the jar
        if (mode == Mode.ON) {
            return "true";
        }
        return mode == Mode.LOCAL ? "local" : "false";
    }

    /**
     * A user-supplied value made safe to print in a status line: printable ASCII only, at most 32
     * characters; anything else becomes {@code ?}.
     */
    static String printable(String value) {
        String v = value.strip();
        StringBuilder out = new StringBuilder(Math.min(v.length(), 33));
        for (int i = 0; i < v.length() && out.length() < 32; i++) {
            char c = v.charAt(i);
            out.append(c >= 0x21 && c <= 0x7e ? c : '?');
        }
        if (v.length() > 32) {
            out.append('…');
        }
        return out.toString();
    }
}
