package dev.candor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.internal.context.LogCapture;
import dev.candor.internal.context.TestEnvironment;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server and GUI apps: the status line in the startup log (once, at INFO, through {@code System.Logger},
 * when the app configured logging) and the status as a value for an about box or a health page.
 */
class StatusLogTest {
    @TempDir
    Path root;

    @RegisterExtension
    final LogCapture log = new LogCapture();
    private final List<LogRecord> records = log.records();

    private Telemetry start(TestEnvironment env) {
        return Telemetry.start(TelemetryOptions.builder().appVersion("2.0.0").catalogResource(TelemetryTest.CATALOG)
                .environment(env).args("--no-telemetry").build());
    }

    /** An unrecognized setting is read, and warned about, once per start, whichever way the start goes. */
    @Test
    void anUnrecognizedSettingIsWarnedAboutOnce() {
        TestEnvironment env = new TestEnvironment(root).set("ACME_TELEMETRY", "banana");
        try (Telemetry t = Telemetry.start(TelemetryOptions.builder().appVersion("2.0.0")
                .catalogResource(TelemetryTest.CATALOG).environment(env).build())) {
            assertThat(t.mode()).isEqualTo(Mode.OFF);
        }
        assertThat(records.stream().filter(r -> r.getLevel() == java.util.logging.Level.WARNING
                && r.getMessage().contains("banana"))).hasSize(1);
    }

    @Test
    void theStartupLogSaysTheStatusOnceAtInfo() {
        TestEnvironment env = new TestEnvironment(root).property("java.util.logging.config.file", "logging.properties");
        try (Telemetry telemetry = start(env)) {
            telemetry.counter("command_run", "command", "count", "success", "true", "duration", "<100ms").increment();
            telemetry.statusLine();
        }
        assertThat(records).hasSize(1);
        assertThat(records.get(0).getLevel()).isEqualTo(Level.INFO);
        assertThat(records.get(0).getMessage()).isEqualTo("Telemetry: disabled by --no-telemetry");
        assertThat(records.get(0).getLoggerName()).isEqualTo("dev.candor");
    }

    @Test
    void aCommandLineRunWithoutLoggingSetUpLogsNothing() {
        try (Telemetry telemetry = start(new TestEnvironment(root))) {
            assertThat(telemetry.mode()).isEqualTo(Mode.OFF);
        }
        assertThat(records).isEmpty();
    }

    @Test
    void theStatusIsAValueForAnAboutBoxOrAHealthPage() {
        TestEnvironment env = new TestEnvironment(root);
        try (Telemetry a = start(env); Telemetry b = start(env)) {
            TelemetryStatus status = a.status();
            assertThat(status.mode()).isEqualTo(Mode.OFF);
            assertThat(status.source()).isEqualTo(TelemetryStatus.Source.FLAG);
            assertThat(status.line()).isEqualTo("Telemetry: disabled by --no-telemetry");
            assertThat(status).hasToString(status.line()).isEqualTo(b.status()).hasSameHashCodeAs(b.status());
        }
    }
}
