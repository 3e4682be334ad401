package dev.candor.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.server.testing.TestCollector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An admin token with non-ASCII characters, which {@code serve} accepts, sent as a client sends it: the
 * request's bytes written to a socket, the token in UTF-8 (as curl, Prometheus and browsers send it).
 */
class NonAsciiAdminTokenTest {
    private static final String TOKEN = "Grüße-aus-Köln-☕-日本語-0123456789";

    @TempDir
    Path data;

    /** Sends {@code head} and {@code body} as they are on one connection and returns the whole answer. */
    private static String exchange(TestCollector collector, byte[] head, byte[] body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", collector.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.write(body);
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String periods(TestCollector collector, String token, Charset sentAs) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.writeBytes("GET /v1/apps/acme/periods HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ".getBytes(StandardCharsets.US_ASCII));
        head.writeBytes(token.getBytes(sentAs));
        head.writeBytes("\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return exchange(collector, head.toByteArray(), new byte[0]);
    }

    private static String signIn(TestCollector collector, String token) throws IOException {
        byte[] body = ("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
        byte[] head = ("POST " + CollectorServer.SIGN_IN_PATH + " HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        return exchange(collector, head, body);
    }

    @Test
    void aUtf8TokenWorksInTheHeaderAndInTheSignInFormAndAWrongOneIsRefused() throws Exception {
        try (TestCollector collector = TestCollector.startWithDashboard(data, TOKEN)) {
            assertThat(periods(collector, TOKEN, StandardCharsets.UTF_8)).startsWith("HTTP/1.1 200 ")
                    .contains("\"app\":\"acme\"");
            String wrong = periods(collector, TOKEN.replace('☕', '☘'), StandardCharsets.UTF_8);
            assertThat(wrong).startsWith("HTTP/1.1 401 ").contains("the admin token is wrong");

            String signedIn = signIn(collector, TOKEN);
            assertThat(signedIn).startsWith("HTTP/1.1 303 ").containsIgnoringCase("Set-Cookie: candor_admin=v3.");
            String refused = signIn(collector, TOKEN.replace("Köln", "Koln"));
            assertThat(refused).startsWith("HTTP/1.1 401 ").doesNotContainIgnoringCase("Set-Cookie: candor_admin=");
        }
    }

    /** Bytes that are not UTF-8 are left as Jetty read them (ISO-8859-1), as before. */
    @Test
    void aLatin1TokenSentInLatin1StillWorks() throws Exception {
        String latin1 = "Grüße-aus-Köln-0123456789";
        try (TestCollector collector = TestCollector.startWithDashboard(data, latin1)) {
            assertThat(periods(collector, latin1, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200 ");
            assertThat(periods(collector, latin1, StandardCharsets.UTF_8)).startsWith("HTTP/1.1 200 ");
            assertThat(periods(collector, latin1.replace('ü', 'u'), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 401 ");
        }
    }
}
