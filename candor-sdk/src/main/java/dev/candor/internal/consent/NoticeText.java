package dev.candor.internal.consent;

/**
 * The first-run notice of an app (the seed article's notice, made concrete from the catalog): what is
 * collected, what never is, where to see exactly what is collected, and every way to say no, each
 * named with the app's real flag, variable, files and command.
 */
public final class NoticeText {
    private NoticeText() {
    }

    public static String render(AppFacts app, TelemetryPaths paths) {
        String cmd = app.command();
        String nl = System.lineSeparator();
        StringBuilder out = new StringBuilder(1600);
        out.append(app.title());
        if (app.version() != null && !app.version().isBlank()) {
            out.append(' ').append(app.version());
        }
        out.append(" collects anonymous usage statistics");
        if (app.owner() != null && !app.owner().isBlank()) {
            out.append(" for ").append(app.owner());
        }
        out.append(',').append(nl)
                .append("so that its makers learn which features are used and which errors happen.").append(nl)
                .append(nl)
                .append("  Counted per day, never as single events:").append(nl);
        for (AppFacts.EventLine event : app.events()) {
            out.append("    - ").append(event.description());
            if (event.noised()) {
                out.append(" (blurred with random noise on this machine)");
            }
            out.append(nl);
        }
        out.append("  With each day's counts: the OS family, CPU architecture, Java major version,").append(nl)
                .append("  a memory tier, how the app was installed, and whether it runs in CI.").append(nl)
                .append(nl)
                .append("  Never collected: user or host names, IP addresses, file names, paths, file").append(nl)
                .append("  contents, arguments, error messages, exact times, or any identifier that").append(nl)
                .append("  could tell who you are or link one report to another.").append(nl)
                .append(nl);
        out.append("  Exactly what can be collected: ").append(cmd).append(" telemetry what");
        if (app.policyUrl() != null && !app.policyUrl().isBlank()) {
            out.append(" and ").append(app.policyUrl());
        }
        out.append(nl);
        out.append("  What this machine recorded and sent: ").append(cmd).append(" telemetry show")
                .append(" (and show --sent)").append(nl)
                .append(nl)
                .append("  To turn it off, any one of these is enough:").append(nl);
        String[][] ways = {
                {cmd + " " + TelemetryFlags.NO_TELEMETRY + " ...", "for one run"},
                {paths.modeVariable() + "=0", "in your environment"},
                {cmd + " telemetry disable", "saves telemetry=false in " + paths.appConfigFile()},
                {"DO_NOT_TRACK=1", "every tool that honours it"},
        };
        int width = 0;
        for (String[] way : ways) {
            width = Math.max(width, way[0].length());
        }
        for (String[] way : ways) {
            out.append("    ").append(way[0]);
            for (int i = way[0].length(); i < width + 3; i++) {
                out.append(' ');
            }
            out.append(way[1]).append(nl);
        }
        out.append("    or write telemetry=false yourself in that file, or in").append(nl)
                .append("    ").append(paths.userConfigFile()).append(" to switch off every Candor app.").append(nl);
        out.append("  Or keep the counts on this machine, never sent: ").append(cmd).append(" telemetry local").append(nl);
        return out.toString();
    }
}
