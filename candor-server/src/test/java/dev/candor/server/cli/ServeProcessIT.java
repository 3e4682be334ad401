package dev.candor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.server.testing.AcmeReports;
import dev.candor.server.testing.LoopbackHttp;
import dev.candor.server.testing.ServeProcess;
import dev.candor.server.testing.TestCollector;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged collector as an operator runs it ({@code java -jar candor.jar serve}), in its own
 * process: killed under load, stopped under load, and searched for a sender's address.
 */
class ServeProcessIT {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir Path data;
    @TempDir Path logs;

    @Test
    void everyAcknowledgedReportSurvivesSigkillUnderLoad() throws Exception {
        List<byte[]> acknowledged;
        try (ServeProcess collector = ServeProcess.start(data, logs, "--rate-limit", "0")) {
            try (Load load = Load.start(collector.baseUrl(), 8)) {
                load.awaitAcknowledged(300, Duration.ofSeconds(60));
                collector.kill(); // SIGKILL while requests and commits are in flight
                acknowledged = load.stop();
            }
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(300);

        try (ServeProcess restarted = ServeProcess.start(data, logs, "--rate-limit", "0")) {
            int duplicates = resend(restarted.baseUrl(), acknowledged);
            assertThat(duplicates).as("every acknowledged report was still stored").isEqualTo(acknowledged.size());
            assertThat(restarted.terminate(Duration.ofSeconds(30))).isIn(0, 143);
        }
        assertThat(integrityCheck()).isEqualTo("ok");
    }

    @Test
    void sigtermStopsAcceptingFinishesInFlightCommitsAndExitsCleanly() throws Exception {
        List<byte[]> acknowledged;
        int exit;
        String output;
        try (ServeProcess collector = ServeProcess.start(data, logs, "--rate-limit", "0")) {
            try (Load load = Load.start(collector.baseUrl(), 8)) {
                load.awaitAcknowledged(100, Duration.ofSeconds(60));
                long start = System.nanoTime();
                exit = collector.terminate(Duration.ofSeconds(30));
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(25));
                acknowledged = load.stop();
            }
            output = collector.output();
        }
        assertThat(exit).as("exit status after SIGTERM (143 is the JVM's normal answer to SIGTERM)").isIn(0, 143);
        assertThat(output).contains("Candor collector stopped").doesNotContain("Exception");
        try (ServeProcess restarted = ServeProcess.start(data, logs, "--rate-limit", "0")) {
            assertThat(resend(restarted.baseUrl(), acknowledged)).isEqualTo(acknowledged.size());
        }
    }

    @Test
    void noFileOfTheDataFolderAndNoLogLineHoldsTheSendersAddress() throws Exception {
        String sender = "127.0.0.9";
        try (ServeProcess collector = ServeProcess.start(data, logs, "--rate-limit", "3")) {
            int port = collector.port();
            String json = "Content-Type: application/json\r\n";
            for (int i = 0; i < 3; i++) {
                LoopbackHttp.Answer accepted = LoopbackHttp.send(sender, port, "POST", "/v1/reports", json,
                        AcmeReports.bytes(AcmeReports.batch(AcmeReports.valid(), AcmeReports.valid())));
                assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
            }
            ObjectNode broken = AcmeReports.valid();
            broken.put("app_version", sender);
            assertThat(LoopbackHttp.send(sender, port, "POST", "/v1/reports", json, AcmeReports.bytes(broken)).status())
                    .isEqualTo(429);
            // the limit is per sender: another address is not limited, so the collector did tell them apart
            LoopbackHttp.Answer invalid = LoopbackHttp.send("127.0.0.10", port, "POST", "/v1/reports", json,
                    AcmeReports.bytes(broken));
            assertThat(invalid.status()).isEqualTo(422);
            assertThat(LoopbackHttp.send("127.0.0.10", port, "POST", "/v1/reports", json,
                    "{\"v\":".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(400);
            assertThat(LoopbackHttp.send(sender, port, "GET", "/v1/apps/acme/periods",
                    "Authorization: Bearer " + TestCollector.ADMIN_TOKEN + "\r\n", null).status()).isEqualTo(200);
            assertThat(LoopbackHttp.send(sender, port, "GET", "/v1/apps/acme/periods", "", null).status()).isEqualTo(401);
            assertThat(LoopbackHttp.send(sender, port, "GET", "/no/such/page", "", null).status()).isEqualTo(404);
            LoopbackHttp.Answer metrics = LoopbackHttp.send(sender, port, "GET", "/metrics",
                    "Authorization: Bearer " + TestCollector.ADMIN_TOKEN + "\r\n", null);
            assertThat(metrics.status()).as("the metrics themselves, not a refusal").isEqualTo(200);
            assertThat(metrics.body()).contains("candor_").doesNotContain(sender);
            assertThat(collector.terminate(Duration.ofSeconds(30))).isIn(0, 143);
        }

        assertNoFileHolds(List.of(sender, "candor-test/1.0"));
    }

    @Test
    void requestsJettyRefusesAndRequestsThatFailUnexpectedlyLeaveNoHeaderOfTheirsInTheLog() throws Exception {
        String sender = "127.0.0.77";
        String header = "x-distinctive-7kq2";
        try (ServeProcess collector = ServeProcess.start(data, logs, "--rate-limit", "0")) {
            int port = collector.port();
            String agent = "User-Agent: candor-test/1.0 (from " + sender + ")\r\n";
            // Jetty refuses these before any route sees them; its warnings quoted the offending header
            assertThat(raw(sender, port, "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: " + sender + "\r\n" + agent + "\r\n"))
                    .startsWith("HTTP/1.1 400");
            assertThat(raw(sender, port, "GET /healthz HTTP/1.1\r\nHost: " + sender + ":991270077"
                    + "\r\n" + agent + "\r\n")).startsWith("HTTP/1.1 400");
            // sign-in forms that fail inside the handler; the failure's message quoted the Content-Type
            byte[] form = "token=wrong".getBytes(StandardCharsets.US_ASCII);
            assertThat(LoopbackHttp.send(sender, port, "POST", "/admin",
                    "Content-Type: application/x-www-form-urlencoded; charset=" + header + "\r\n", form).status())
                    .isBetween(400, 599);
            assertThat(LoopbackHttp.send(sender, port, "POST", "/admin",
                    "Content-Type: multipart/form-data; boundary=" + header + "\r\n", form).status()).isBetween(400, 599);
            // and more that leaked nothing, each of them naming the sender
            assertThat(raw(sender, port, "GET /healthz HTTP/1.1\r\nHost: a\r\n" + agent + "X-Big: "
                    + (sender + header).repeat(1000) + "\r\n\r\n")).startsWith("HTTP/1.1 431");
            assertThat(raw(sender, port, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")).startsWith("HTTP/1.1 426");
            assertThat(raw(sender, port, "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003" + sender + header))
                    .as("TLS bytes to the plain port").startsWith("HTTP/1.1 400");
            byte[] report = AcmeReports.bytes(AcmeReports.valid());
            assertThat(LoopbackHttp.send(sender, port, "POST", "/v1/reports", "Content-Type: application/json\r\n"
                    + "Content-Encoding: gzip\r\nX-Forwarded-For: " + sender + ", " + header + "\r\n", report).status())
                    .as("not gzip").isEqualTo(400);
            assertThat(raw(sender, port, "POST /v1/reports HTTP/1.1\r\nHost: a\r\n" + agent
                    + "X-Header: " + header + "\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"v\":1,", true))
                    .as("a sender that leaves mid-body").isEmpty();
            assertThat(LoopbackHttp.send(sender, port, "GET", "/healthz", "", null).status())
                    .as("the collector stays healthy").isEqualTo(200);
            assertThat(collector.terminate(Duration.ofSeconds(30))).isIn(0, 143);
        }
        assertNoFileHolds(List.of(sender, "991270077", header, "candor-test/1.0"));
    }

    @Test
    void aSignOutRecordsNotTheSecondTheMaintainerSignedIn() throws Exception {
        String sender = "127.0.0.78";
        long before;
        long after;
        try (ServeProcess collector = ServeProcess.start(data, logs)) {
            int port = collector.port();
            before = Instant.now().getEpochSecond();
            LoopbackHttp.Answer signedIn = LoopbackHttp.send(sender, port, "POST", "/admin",
                    "Content-Type: application/x-www-form-urlencoded\r\n",
                    ("token=" + TestCollector.ADMIN_TOKEN).getBytes(StandardCharsets.US_ASCII));
            after = Instant.now().getEpochSecond();
            assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(303);
            String cookie = signedIn.headers().lines().filter(l -> l.regionMatches(true, 0, "Set-Cookie: candor_admin=", 0, 25))
                    .map(l -> l.substring("Set-Cookie: ".length()).split(";")[0]).findFirst().orElseThrow();
            assertThat(LoopbackHttp.send(sender, port, "POST", "/admin/sign-out", "Cookie: " + cookie + "\r\n",
                    new byte[0]).status()).isEqualTo(303);
            assertThat(collector.terminate(Duration.ofSeconds(30))).isIn(0, 143);
        }
        List<Long> stored = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("candor.db"));
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT expires FROM ended_sign_ins")) {
            while (rows.next()) {
                stored.add(rows.getLong(1));
            }
        }
        assertThat(stored).as("the sign-out is recorded").hasSize(1);
        long signInLasts = 8 * 3600;
        assertThat(stored.get(0) % 3600).as("an hour, not the second of the sign-in").isZero();
        assertThat(stored.get(0)).as("the sign-in is ended at least until it expires")
                .isGreaterThanOrEqualTo(before + signInLasts).isLessThan(after + signInLasts + 3600);
        assertNoFileHolds(List.of(sender, "candor-test/1.0"));
    }

    /** Every byte of the data folder and the captured logs, searched as ASCII and as UTF-16. */
    private void assertNoFileHolds(List<String> needles) throws IOException {
        List<Path> searched = new ArrayList<>();
        try (Stream<Path> files = Stream.concat(Files.walk(data), Files.walk(logs))) {
            files.filter(Files::isRegularFile).forEach(searched::add);
        }
        assertThat(searched).anyMatch(p -> p.getFileName().toString().equals("candor.db"));
        assertThat(searched).anyMatch(p -> p.getFileName().toString().endsWith(".err"));
        for (Path file : searched) {
            byte[] bytes = Files.readAllBytes(file);
            for (String needle : needles) {
                for (byte[] encoded : List.of(needle.getBytes(StandardCharsets.US_ASCII),
                        needle.getBytes(StandardCharsets.UTF_16LE), needle.getBytes(StandardCharsets.UTF_16BE))) {
                    assertThat(indexOf(bytes, encoded)).as("%s holds \"%s\":%n%s", file, needle,
                            new String(bytes, StandardCharsets.ISO_8859_1).lines().filter(l -> l.contains(needle))
                                    .limit(5).toList()).isEqualTo(-1);
                }
            }
        }
    }

    /** Sends {@code request} as it is, from {@code fromAddress}, and returns the whole answer. */
    private static String raw(String fromAddress, int port, String request) throws IOException {
        return raw(fromAddress, port, request, false);
    }

    /** The same, or with {@code leave} the sender closes its connection at once and reads nothing. */
    private static String raw(String fromAddress, int port, String request, boolean leave) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(fromAddress, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return leave ? "" : new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private int resend(String baseUrl, List<byte[]> reports) throws Exception {
        int duplicates = 0;
        for (int from = 0; from < reports.size(); from += 100) {
            StringBuilder batch = new StringBuilder("{\"reports\":[");
            List<byte[]> slice = reports.subList(from, Math.min(reports.size(), from + 100));
            for (int i = 0; i < slice.size(); i++) {
                batch.append(i == 0 ? "" : ",").append(new String(slice.get(i), StandardCharsets.UTF_8));
            }
            batch.append("]}");
            HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/reports"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(batch.toString())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            JsonNode outcome = MAPPER.readTree(response.body());
            assertThat(outcome.get("accepted").asInt()).as("an acknowledged report was lost").isZero();
            duplicates += outcome.get("duplicates").asInt();
        }
        return duplicates;
    }

    private String integrityCheck() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("candor.db"));
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Concurrent senders of small batches that remember every report the collector acknowledged with 202. */
    static final class Load implements AutoCloseable {
        private final ExecutorService senders;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<byte[]> acknowledged = Collections.synchronizedList(new ArrayList<>());

        private Load(ExecutorService senders) {
            this.senders = senders;
        }

        static Load start(String baseUrl, int threads) {
            Load load = new Load(Executors.newFixedThreadPool(threads));
            for (int t = 0; t < threads; t++) {
                int batchSize = 1 + t % 5;
                load.senders.submit(() -> load.send(baseUrl, batchSize));
            }
            return load;
        }

        private void send(String baseUrl, int batchSize) {
            while (running.get()) {
                List<byte[]> reports = new ArrayList<>();
                StringBuilder batch = new StringBuilder("{\"reports\":[");
                for (int i = 0; i < batchSize; i++) {
                    byte[] report = AcmeReports.bytes(AcmeReports.valid());
                    reports.add(report);
                    batch.append(i == 0 ? "" : ",").append(new String(report, StandardCharsets.UTF_8));
                }
                batch.append("]}");
                try {
                    HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/reports"))
                            .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(batch.toString())).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 202) {
                        acknowledged.addAll(reports);
                    }
                } catch (IOException e) {
                    // the collector is gone (killed or stopped): these reports were not acknowledged
                    sleepBriefly();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private static void sleepBriefly() {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void awaitAcknowledged(int reports, Duration within) throws InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            while (acknowledged.size() < reports && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(acknowledged.size()).as("reports acknowledged before the deadline").isGreaterThanOrEqualTo(reports);
        }

        /** Stops sending, waits for the senders, and returns the acknowledged reports. */
        List<byte[]> stop() throws InterruptedException {
            running.set(false);
            senders.shutdown();
            assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            synchronized (acknowledged) {
                return new ArrayList<>(acknowledged);
            }
        }

        @Override
        public void close() {
            running.set(false);
            senders.shutdownNow();
        }
    }
}
