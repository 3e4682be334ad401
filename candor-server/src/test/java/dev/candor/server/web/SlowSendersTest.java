package dev.candor.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.server.testing.AcmeReports;
import dev.candor.server.testing.TestCollector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One machine opens more slow connections than the collector has worker threads, each sending its
 * headers and one byte of a report body and then nothing. Everyone else must still be served at once,
 * and the slow connections must be answered and let go within seconds, not held for half a minute.
 */
class SlowSendersTest {
    static final int SLOW_CONNECTIONS = 300;
    static final String SLOW_PEER = "127.0.0.9";

    @TempDir Path data;

    @Test
    void manySlowBodiesFromOneAddressStopNeitherHealthNorOtherSenders() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try (TestCollector collector = TestCollector.start(data)) {
            for (int i = 0; i < SLOW_CONNECTIONS; i++) {
                Socket socket = new Socket();
                socket.bind(new InetSocketAddress(SLOW_PEER, 0));
                socket.connect(new InetSocketAddress("127.0.0.1", collector.port()), 5_000);
                socket.getOutputStream().write(("POST /v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 1000\r\n\r\n{").getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                slow.add(socket);
            }
            Thread.sleep(300); // let Jetty dispatch every one of them

            HttpClient client = HttpClient.newHttpClient();
            long started = System.nanoTime();
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(collector.uri("/healthz"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            HttpResponse<String> posted = client.send(HttpRequest.newBuilder(collector.uri("/v1/reports"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(2))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(AcmeReports.bytes(AcmeReports.valid()))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));

            // every slow connection is answered within the request idle timeout (and a little):
            // most at once (too many bodies from one address), the rest when their body stops arriving
            Map<Integer, Integer> statuses = new TreeMap<>();
            long deadline = System.currentTimeMillis() + CollectorServer.REQUEST_IDLE_MILLIS + 3_000;
            String timedOut = null;
            for (Socket socket : slow) {
                socket.setSoTimeout((int) Math.max(1, deadline - System.currentTimeMillis()));
                String answer = readAnswer(socket);
                int status = answer.startsWith("HTTP/1.1 ") ? Integer.parseInt(answer.substring(9, 12)) : -1;
                statuses.merge(status, 1, Integer::sum);
                if (status == 408) {
                    timedOut = answer;
                }
            }
            assertThat(statuses).as("answers to the slow connections").containsOnlyKeys(408, 429)
                    .containsEntry(408, CollectorServer.BODIES_PER_PEER)
                    .containsEntry(429, SLOW_CONNECTIONS - CollectorServer.BODIES_PER_PEER);
            assertThat(timedOut).contains("application/problem+json").contains("urn:candor:problem:request-timeout")
                    .contains("no byte of the body arrived for 5 s");
            assertThat(collector.get("/healthz").statusCode()).isEqualTo(200);
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void aBodyTricklingInIsRefusedAsTooSlow() throws Exception {
        try (TestCollector collector = TestCollector.start(data);
                Socket socket = new Socket("127.0.0.1", collector.port())) {
            socket.setSoTimeout(8_000);
            socket.getOutputStream().write(("POST /v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String answer = null;
            for (int i = 0; i < 40 && answer == null; i++) { // a byte every 250 ms: never 5 s idle, far below 1 KiB/s
                socket.getOutputStream().write(' ');
                socket.getOutputStream().flush();
                Thread.sleep(250);
                if (socket.getInputStream().available() > 0) {
                    answer = readAnswer(socket);
                }
            }
            assertThat(answer).isNotNull().startsWith("HTTP/1.1 408").contains("slower than 1024 bytes per second");
        }
    }

    /**
     * A kept-alive connection with no request is closed after the same 5 s as a body that stops, not after
     * Jetty's 30 s: idle connections hold no worker, but each holds a socket, and a stop waits for them.
     */
    @Test
    void anIdleKeptAliveConnectionIsClosedAfterFiveSeconds() throws Exception {
        try (TestCollector collector = TestCollector.start(data);
                Socket socket = new Socket("127.0.0.1", collector.port())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            int n = in.read(buffer);
            assertThat(new String(buffer, 0, n, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
            long idleSince = System.nanoTime();
            while (in.read(buffer) >= 0) {
                // the rest of the answer, if any; then the server's close
            }
            long idleMillis = (System.nanoTime() - idleSince) / 1_000_000;
            assertThat(idleMillis).as("closed by the server after ms").isBetween(CollectorServer.REQUEST_IDLE_MILLIS - 500,
                    CollectorServer.REQUEST_IDLE_MILLIS + 5_000);
        }
    }

    /**
     * The dashboard's sign-in form trickling in, which Javalin reads itself rather than through the reports'
     * body reader: a 408 problem like any other slow body, not a 500 with an error and a stack trace in the log.
     */
    @Test
    void aSlowSignInFormIsTooSlowNotAnInternalError() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        try (TestCollector collector = TestCollector.startWithDashboard(data);
                Socket socket = new Socket("127.0.0.1", collector.port())) {
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8)); // where the server's log goes
            socket.setSoTimeout(200);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /admin HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 1000\r\n\r\nt").getBytes(StandardCharsets.ISO_8859_1));
            String answer = "";
            for (int i = 0; i < 40 && answer.isEmpty(); i++) { // a byte every 200 ms or so: far below 1 KiB/s
                out.write('x');
                out.flush();
                answer = readAnswer(socket);
            }
            assertThat(answer).startsWith("HTTP/1.1 408").contains("application/problem+json")
                    .contains("slower than 1024 bytes per second");
        } finally {
            System.setErr(stderr);
        }
        assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("ERROR").doesNotContain("\tat ");
    }

    /** The same form stopping after a few bytes: Jetty's idle timeout, which Javalin would answer with a bare 500. */
    @Test
    void aSignInFormThatStopsIsTooSlowNotAnInternalError() throws Exception {
        try (TestCollector collector = TestCollector.startWithDashboard(data);
                Socket socket = new Socket("127.0.0.1", collector.port())) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(("POST /admin HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 400\r\n\r\ntoken=abcd").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            assertThat(readAnswer(socket)).startsWith("HTTP/1.1 408").contains("application/problem+json")
                    .contains("no byte of the body arrived for 5 s");
        }
    }

    /** The whole answer on {@code socket} (the collector closes these connections), or "" if none came. */
    static String readAnswer(Socket socket) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                all.write(buffer, 0, n);
                String text = all.toString(StandardCharsets.UTF_8);
                if (text.contains("\r\n\r\n") && text.endsWith("}")) {
                    break;
                }
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // no (more) answer in time, or reset: what arrived is the answer
        }
        return all.toString(StandardCharsets.UTF_8);
    }
}
