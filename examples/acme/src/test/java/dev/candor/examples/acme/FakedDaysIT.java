package dev.candor.examples.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.candor.internal.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recording and sending over faked days ({@code faketime} moves the JVM's clock): a day's counts
 * become exactly one report once the day is over, {@code telemetry show} displays it, {@code
 * telemetry send} delivers it to a collector on 127.0.0.1, {@code show --sent} displays the copy, the
 * open day is never sent, and local mode never sends.
 */
class FakedDaysIT {
    static final String DAY1 = "2026-11-20 12:00:00";
    static final String DAY2 = "2026-11-21 12:00:00";
    static final String DAY3 = "2026-11-22 12:00:00";

    @TempDir
    Path root;
    HttpServer collector;
    final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void needsFaketime() {
        assumeTrue(Files.isExecutable(Paths.get("/usr/bin/faketime")), "faketime is needed (.ci/run installs it)");
    }

    @BeforeEach
    void startCollector() throws IOException {
        collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/v1/reports", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                boolean gzip = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
                byte[] bytes = (gzip ? new GZIPInputStream(body) : body).readAllBytes();
                received.add(new String(bytes, StandardCharsets.UTF_8));
            }
            byte[] answer = "{\"accepted\": 1, \"duplicates\": 0}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(202, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        collector.start();
    }

    @AfterEach
    void stopCollector() {
        collector.stop(0);
    }

    private Machine machine(String mode) throws IOException {
        Machine m = new Machine(root).env("ACME_TELEMETRY", mode)
                .env("ACME_TELEMETRY_ENDPOINT", "http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/reports");
        Files.writeString(root.resolve("notes.txt"), "some words\n");
        return m;
    }

    @Test
    @SuppressWarnings("unchecked")
    void aClosedDayBecomesOneReportThatIsShownSentAndKept() throws Exception {
        Machine m = machine("1");
        for (int i = 0; i < 3; i++) {
            assertThat(m.acmeAt(DAY1, "count", "notes.txt").exit).isZero();
        }
        assertThat(m.acmeAt(DAY1, "hash", "missing-file.txt").exit).isEqualTo(1);

        Machine.Run show = m.acmeAt(DAY2, "telemetry", "show");
        assertThat(show.out).as("%s", show).contains("1 report waits to be sent", "\"period\": \"2026-11-20\"")
                .contains("Counted so far in the open period (sent only after it closes, clamped and with noise");

        Machine.Run send = m.acmeAt(DAY2, "telemetry", "send");
        assertThat(send.exit).as("%s", send).isZero();
        assertThat(send.out).contains("1 sent, 0 kept, 0 dropped");
        assertThat(received).hasSize(1);
        String wire = received.get(0);
        Map<String, Object> report = (Map<String, Object>) Json.parse(wire);
        assertThat(report.keySet()).containsExactlyInAnyOrder("v", "report_id", "app", "app_version",
                "catalog_sha256", "period", "context", "noise", "counts");
        assertThat(report).containsEntry("app", "acme").containsEntry("app_version", "2.0")
                .containsEntry("period", "2026-11-20");
        assertThat(((Map<String, Object>) report.get("context")).keySet())
                .containsExactly("os", "arch", "runtime", "memory_tier", "install_method", "ci");
        Map<String, Object> counts = (Map<String, Object>) report.get("counts");
        assertThat(counts.get("command_run").toString()).contains("command=count", "success=true")
                .contains("command=hash", "success=false");
        assertThat(counts.get("error").toString()).contains("type=java.nio.file.NoSuchFileException");
        assertThat(((Map<String, Object>) report.get("noise")).keySet()).containsExactly("input_size");
        assertThat(wire).doesNotContain(root.toString(), "notes.txt", "missing-file", "some words");

        Machine.Run sent = m.acmeAt(DAY2, "telemetry", "show", "--sent");
        assertThat(sent.out).contains((String) report.get("report_id"));

        // The open day is never sent: day 2's own counts wait for day 2 to end.
        m.acmeAt(DAY2, "count", "notes.txt");
        assertThat(m.acmeAt(DAY2, "telemetry", "send").out).contains("0 sent");
        assertThat(received).hasSize(1);
        assertThat(m.acmeAt(DAY3, "telemetry", "send").out).contains("1 sent");
        assertThat(received).hasSize(2);
        assertThat(received.get(1)).contains("\"period\":\"2026-11-21\"");
    }

    @Test
    void localModeKeepsReportsAndNeverSendsThemEvenAfterSwitchingOn() throws Exception {
        Machine m = machine("local");
        m.acmeAt(DAY1, "count", "notes.txt");
        Machine.Run show = m.acmeAt(DAY2, "telemetry", "show");
        assertThat(show.out).as("%s", show).contains("1 report recorded in local mode, kept on this machine and never sent")
                .contains("\"period\": \"2026-11-20\"")
                .contains("Counted so far in the open period (never sent: kept on this machine in a report made after it closes,")
                .doesNotContain("sent only");
        Machine.Run send = m.acmeAt(DAY2, "telemetry", "send");
        assertThat(send.exit).isEqualTo(1);
        assertThat(send.out).startsWith("Nothing is sent: Telemetry: local only");

        m.env.remove("ACME_TELEMETRY");
        m.acmeAt(DAY2, "telemetry", "enable");
        assertThat(m.acmeAt(DAY2, "telemetry", "send").out).contains("0 sent");
        assertThat(received).isEmpty();
    }

    @Test
    void disablingDeletesTheUnsentReport() throws Exception {
        Machine m = machine("1");
        m.acmeAt(DAY1, "count", "notes.txt");
        assertThat(m.acmeAt(DAY2, "telemetry", "show").out).contains("1 report waits to be sent");
        m.env.remove("ACME_TELEMETRY");
        Machine.Run disable = m.acmeAt(DAY2, "telemetry", "disable");
        assertThat(disable.out).as("%s", disable).contains("recorded here and not yet sent");
        try (var files = Files.walk(m.stateDir())) {
            assertThat(files.filter(Files::isRegularFile).map(p -> m.stateDir().relativize(p).toString()))
                    .noneMatch(p -> p.startsWith("outbox") || p.startsWith("counts") || p.startsWith("local"));
        }
    }
}
