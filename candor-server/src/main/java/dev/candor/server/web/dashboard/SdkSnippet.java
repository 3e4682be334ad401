package dev.candor.server.web.dashboard;

/** The few lines an app adds to its {@code main} to start Candor, as the empty dashboard shows them. */
final class SdkSnippet {

    static final String START = """
            Telemetry telemetry = Telemetry.start(TelemetryOptions.builder(args).build());
            Counter converted = telemetry.counter("command_run", "command", "convert", "success", "true");
            converted.increment();""";

    private SdkSnippet() {
    }
}
