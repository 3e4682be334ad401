package dev.candor.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.server.testing.AcmeReports;
import dev.candor.server.testing.TestCollector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collector behind a reverse proxy (here: the test itself, on 127.0.0.1, sending {@code X-Forwarded-For}), through
 * the real HTTP server: each sender the proxy names gets its own rate limit, what a sender writes into the header
 * itself changes nothing, and no sender's address is written anywhere.
 */
class TrustedProxyTest {
    private static final String ALICE = "203.0.113.7";
    private static final String BOB = "198.51.100.9";

    @TempDir
    Path data;

    private static int post(TestCollector collector, String forwardedFor) {
        return collector.post("/v1/reports", AcmeReports.bytes(AcmeReports.valid()), "Content-Type", "application/json",
                "X-Forwarded-For", forwardedFor).statusCode();
    }

    @Test
    void behindATrustedProxyEachSenderHasItsOwnLimit() throws Exception {
        try (TestCollector collector = TestCollector.start(data, 2, TestCollector.ADMIN_TOKEN, Duration.ofSeconds(5),
                ClientAddress.trusting(List.of("127.0.0.1")))) {
            assertThat(post(collector, ALICE)).isEqualTo(202);
            assertThat(post(collector, ALICE)).isEqualTo(202);
            assertThat(post(collector, ALICE)).isEqualTo(429);
            assertThat(post(collector, BOB + ", " + ALICE)).as("Alice claiming to be Bob is still Alice").isEqualTo(429);
            assertThat(post(collector, BOB)).as("Bob, behind the same proxy").isEqualTo(202);
        }
        assertNoAddressWritten();
    }

    @Test
    void withoutTrustTheHeaderIsIgnored() throws Exception {
        try (TestCollector collector = TestCollector.start(data, 2, TestCollector.ADMIN_TOKEN, Duration.ofSeconds(5))) {
            assertThat(post(collector, ALICE)).isEqualTo(202);
            assertThat(post(collector, BOB)).isEqualTo(202);
            assertThat(post(collector, "192.0.2.44")).as("a third name from the same connection's address").isEqualTo(429);
        }
        assertNoAddressWritten();
    }

    @Test
    void theSignInCookieIsSecureWhenATrustedProxyEndedTls() throws Exception {
        for (boolean trusted : new boolean[] {true, false}) {
            Path folder = Files.createTempDirectory(data, "dashboard");
            ClientAddress clients = trusted ? ClientAddress.trusting(List.of("127.0.0.1")) : ClientAddress.peerOnly();
            try (TestCollector collector = TestCollector.startWithDashboard(folder, clients)) {
                String cookie = collector.post("/admin", ("token=" + TestCollector.ADMIN_TOKEN).getBytes(StandardCharsets.UTF_8),
                        "Content-Type", "application/x-www-form-urlencoded", "X-Forwarded-Proto", "https")
                        .headers().firstValue("Set-Cookie").orElseThrow();
                if (trusted) {
                    assertThat(cookie).as("from a trusted proxy").containsIgnoringCase("; Secure");
                } else {
                    assertThat(cookie).as("anyone may send the header").doesNotContainIgnoringCase("Secure");
                }
            }
        }
    }

    /** Every byte the collector wrote (database, its journal, anything else in the folder) holds neither address. */
    private void assertNoAddressWritten() throws Exception {
        try (Stream<Path> files = Files.walk(data)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertThat(bytes).as(file.toString()).doesNotContain(ALICE).doesNotContain(BOB);
            }
        }
    }
}
