package dev.candor.internal.consent;

import dev.candor.internal.context.Environment;
import dev.candor.internal.context.SdkLog;
import dev.candor.Mode;
import dev.candor.TelemetryStatus.Source;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Decides the mode of this run exactly in the order of DESIGN §4: the administrator's file can only
 * switch off and beats everything; then the first match of flag, {@code <APP>_TELEMETRY},
 * {@code DO_NOT_TRACK}, the app's file, the user-wide file; otherwise the first-run notice decides
 * (a marker from an earlier notice means on). It only reads: no file is created, nothing is shown.
 * A value it cannot understand, or a file it cannot read, means off.
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
        if (flags.off()) {
            return decided(Mode.OFF, Source.FLAG, TelemetryFlags.NO_TELEMETRY, trace);
        }
        if (flags.on()) {
            return decided(Mode.ON, Source.FLAG, TelemetryFlags.TELEMETRY, trace);
        }
        String variable = paths.modeVariable();
        String value = env.variable(variable);
        if (value != null && !value.isBlank()) {
            warnIfUnrecognized(variable, value);
            return decided(ModeSetting.parse(value), Source.ENVIRONMENT,
                    variable + "=" + ModeSetting.printable(value), trace);
        }
        trace.accept(variable + " is not set");
        String dnt = env.variable("DO_NOT_TRACK");
        if (dnt != null && !dnt.isBlank() && !"0".equals(dnt.strip())) {
            return decided(Mode.OFF, Source.DO_NOT_TRACK, "DO_NOT_TRACK=" + ModeSetting.printable(dnt), trace);
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
            return ModeSetting.parse(value);
        } catch (IOException | RuntimeException e) {
            SdkLog.log(Level.WARNING, "Telemetry is off: " + file + " exists but cannot be read (" + e.getMessage()
                    + "); make it readable or delete it");
            trace.accept(file + ": unreadable, counts as telemetry=false");
            return Mode.OFF;
        }
    }

    private static void warnIfUnrecognized(String where, String value) {
        if (!ModeSetting.isRecognized(value)) {
            SdkLog.log(Level.WARNING, where + "=" + ModeSetting.printable(value)
                    + " is not one of 1|true|on|yes, 0|false|off|no, local; telemetry is off");
        }
    }
}
