package dev.candor.picocli;

import dev.candor.Telemetry;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.IVersionProvider;

/**
 * An app's {@code --version} lines followed by the telemetry status line (DESIGN §4: "shown by
 * {@code --version}"), and the line saying that a newer catalog's items wait for the user's OK when some do. Wraps the app's own version provider, or its static {@code version} lines.
 */
public final class StatusVersionProvider implements IVersionProvider {
    private final IVersionProvider appVersion;
    private final String[] staticVersion;
    private final Supplier<Telemetry> telemetry;

    /** The lines of {@code appVersion}, then the status line of the telemetry {@code telemetry} supplies. */
    public StatusVersionProvider(IVersionProvider appVersion, Supplier<Telemetry> telemetry) {
        this.appVersion = appVersion;
        this.staticVersion = new String[0];
        this.telemetry = telemetry;
    }

    /** The fixed lines {@code version}, then the status line of the telemetry {@code telemetry} supplies. */
    public StatusVersionProvider(String[] version, Supplier<Telemetry> telemetry) {
        this.appVersion = null;
        this.staticVersion = version == null ? new String[0] : version.clone();
        this.telemetry = telemetry;
    }

    @Override
    public String[] getVersion() throws Exception {
        String[] lines = appVersion != null ? appVersion.getVersion() : staticVersion;
        List<String> status = TelemetryCommand.statusLines(telemetry);
        String[] all = Arrays.copyOf(lines, lines.length + status.size());
        for (int i = 0; i < status.size(); i++) {
            all[lines.length + i] = status.get(i);
        }
        return all;
    }
}
