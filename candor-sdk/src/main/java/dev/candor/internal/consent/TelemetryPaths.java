package dev.candor.internal.consent;

import dev.candor.internal.context.Environment;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

/**
 * Where an app's telemetry files live (DESIGN §4). Computing the paths touches no disk.
 *
 * <pre>
 *                 config file                                    state directory
 * Linux, other    $XDG_CONFIG_HOME/&lt;app&gt;/telemetry.properties     $XDG_STATE_HOME/&lt;app&gt;/telemetry/
 *                 (or ~/.config/…)                                (or ~/.local/state/…)
 * macOS           ~/Library/Application Support/&lt;app&gt;/telemetry.properties   …/&lt;app&gt;/telemetry/
 * Windows         %APPDATA%\&lt;app&gt;\telemetry.properties                        %APPDATA%\&lt;app&gt;\telemetry\
 * &lt;APP&gt;_TELEMETRY_DIR=D   D/telemetry.properties                   D/state/
 * user-wide       &lt;config&gt;/candor/telemetry.properties  (one switch for every Candor app; never moved)
 * administrator   /etc/candor/telemetry.properties (Windows: %ProgramData%\candor\telemetry.properties)
 * </pre>
 *
 * The state directory sits in a {@code telemetry} folder of its own so that it never mixes with the
 * app's other state. Relative XDG values are ignored, as the XDG specification asks. A relative
 * {@code <APP>_TELEMETRY_DIR} (or one that is not a path) is not: the user asked to move the files, so
 * they go nowhere else; {@link #problem} says so, and telemetry is off in that run. The system
 * property {@value #SYSTEM_FILE_PROPERTY} moves the administrator's file (for tests and unusual layouts).
 */
public final class TelemetryPaths {
    /** System property naming another administrator file than {@code /etc/candor/telemetry.properties}. */
    public static final String SYSTEM_FILE_PROPERTY = "candor.systemConfigFile";
    static final String FILE_NAME = "telemetry.properties";

    private final String app;
    private final String variablePrefix;
    private final Path appConfigFile;
    private final Path userConfigFile;
    private final Path systemConfigFile;
    private final Path stateDirectory;
    private final String problem;

    private TelemetryPaths(String app, String variablePrefix, Path appConfigFile,
                           Path userConfigFile, Path systemConfigFile, Path stateDirectory, String problem) {
        this.app = app;
        this.variablePrefix = variablePrefix;
        this.appConfigFile = appConfigFile;
        this.userConfigFile = userConfigFile;
        this.systemConfigFile = systemConfigFile;
        this.stateDirectory = stateDirectory;
        this.problem = problem;
    }

    /** The paths of {@code app} (a catalog's app name, already validated) in this environment. */
    public static TelemetryPaths of(String app, Environment env) {
        String os = env.osFamily();
        Path home = home(env, os);
        Path config = configBase(env, os, home);
        String prefix = variablePrefix(app);
        Path systemFile = absolute(env.property(SYSTEM_FILE_PROPERTY));
        if (systemFile == null) {
            if (os.equals("windows")) {
                Path programData = absolute(env.variable("ProgramData"));
                systemFile = (programData != null ? programData : Paths.get("C:\\ProgramData"))
                        .resolve("candor").resolve(FILE_NAME);
            } else {
                systemFile = Paths.get("/etc/candor", FILE_NAME);
            }
        }
        Path userFile = config.resolve("candor").resolve(FILE_NAME);
        String dirVariable = prefix + "_TELEMETRY_DIR";
        String dir = env.variable(dirVariable);
        Path movedTo = absolute(dir);
        if (movedTo != null) {
            return new TelemetryPaths(app, prefix, movedTo.resolve(FILE_NAME), userFile, systemFile,
                    movedTo.resolve("state"), null);
        }
        String problem = dir == null || dir.isBlank() ? null : dirVariable + "=" + ConsentResolver.printable(dir)
                + " is not an absolute path";
        Path state;
        if (os.equals("macos") || os.equals("windows")) {
            state = config.resolve(app).resolve("telemetry");
        } else {
            Path xdgState = absolute(env.variable("XDG_STATE_HOME"));
            state = (xdgState != null ? xdgState : home.resolve(".local").resolve("state"))
                    .resolve(app).resolve("telemetry");
        }
        return new TelemetryPaths(app, prefix, config.resolve(app).resolve(FILE_NAME), userFile,
                systemFile, state, problem);
    }

    /** {@code <APP>} of DESIGN §4: the app name upper-cased, anything but a letter or digit as {@code _}. */
    public static String variablePrefix(String app) {
        StringBuilder out = new StringBuilder(app.length());
        for (int i = 0; i < app.length(); i++) {
            char c = app.charAt(i);
            out.append((c >= 'a' && c <= 'z') ? (char) (c - 32)
                    : (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_');
        }
        return out.toString();
    }

    private static Path home(Environment env, String os) {
        // $HOME first on Unix-likes (as shells and XDG do); the JVM's user.home comes from the password file.
        if (!os.equals("windows")) {
            Path home = absolute(env.variable("HOME"));
            if (home != null) {
                return home;
            }
        }
        Path home = absolute(env.property("user.home"));
        return home != null ? home : Paths.get("").toAbsolutePath();
    }

    private static Path configBase(Environment env, String os, Path home) {
        if (os.equals("macos")) {
            return home.resolve("Library").resolve("Application Support");
        }
        if (os.equals("windows")) {
            Path appData = absolute(env.variable("APPDATA"));
            return appData != null ? appData : home.resolve("AppData").resolve("Roaming");
        }
        Path xdg = absolute(env.variable("XDG_CONFIG_HOME"));
        return xdg != null ? xdg : home.resolve(".config");
    }

    /** An absolute path from a setting, or {@code null} when it is unset, blank, relative or not a path. */
    private static Path absolute(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        // InvalidPathException is caught by its superclass: the JDK's class-data archive lacks it, so naming it
        // here made every start read it from the runtime image when this class was verified
        try {
            Path path = Paths.get(value);
            return path.isAbsolute() ? path.normalize() : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public String app() {
        return app;
    }

    /** {@code ACME} for {@code acme}: the prefix of {@code ACME_TELEMETRY}, {@code ACME_TELEMETRY_DIR}, … */
    public String variablePrefix() {
        return variablePrefix;
    }

    /** {@code <APP>_TELEMETRY} */
    public String modeVariable() {
        return variablePrefix + "_TELEMETRY";
    }

    /** {@code <APP>_TELEMETRY_DEBUG} */
    public String debugVariable() {
        return variablePrefix + "_TELEMETRY_DEBUG";
    }

    /** {@code <APP>_TELEMETRY_ENDPOINT} */
    public String endpointVariable() {
        return variablePrefix + "_TELEMETRY_ENDPOINT";
    }

    /**
     * Null, or why this app's files have no place in this run: {@code ACME_TELEMETRY_DIR=relative/dir is not
     * an absolute path}. Telemetry is then off, and nothing is read from or written to the app's file and
     * state directory (which are then where they would be without the variable).
     */
    public String problem() {
        return problem;
    }

    /** The app's own file, source 4 of DESIGN §4; {@code telemetry enable|local|disable} write it. */
    public Path appConfigFile() {
        return appConfigFile;
    }

    /** The user-wide file, source 5: one switch for every Candor app of this user. */
    public Path userConfigFile() {
        return userConfigFile;
    }

    /** The administrator's file: {@code telemetry=false} there turns every Candor app off. */
    public Path systemConfigFile() {
        return systemConfigFile;
    }

    /** The folder of counters, reports and markers (layout in docs/ARCHITECTURE.md). Never created here. */
    public Path stateDirectory() {
        return stateDirectory;
    }

    /**
     * Whether the state folder can be written: it, or else the nearest folder above it that exists, is a
     * directory this process may write. Not so under a regular file, on a read-only file system, or in a
     * folder of another user. A few file-system checks (java.io: no class a start does not load already).
     */
    public boolean canWriteState() {
        return canWriteState(false);
    }

    /**
     * {@link #canWriteState}, and no folder missing on the way is a symbolic link to a place that does not exist
     * (an unmounted drive): the folder above can be written, but the state folder cannot be made. One more
     * check per missing folder; none when the state folder exists, as in every run after the first.
     */
    public boolean canRecord() {
        return canWriteState(true);
    }

    private boolean canWriteState(boolean linksToNowhere) {
        for (java.io.File f = stateDirectory.toFile(); f != null; f = f.getParentFile()) {
            if (f.exists()) {
                return f.isDirectory() && f.canWrite();
            }
            if (linksToNowhere && java.nio.file.Files.isSymbolicLink(f.toPath())) {
                return false; // exists() follows the link: it names a place that is not there
            }
        }
        return false;
    }

    /** Exists once the first-run notice was shown without a terminal: later runs are enabled. */
    public Path noticeMarker() {
        return stateDirectory.resolve("notice-shown");
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "app file %s, user file %s, system file %s, state %s",
                appConfigFile, userConfigFile, systemConfigFile, stateDirectory);
    }
}
