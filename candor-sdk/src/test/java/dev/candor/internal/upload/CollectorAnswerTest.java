package dev.candor.internal.upload;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The uploader's own HTTP client against collectors that misbehave, byte by byte. */
class CollectorAnswerTest {
    private static final byte[] REPORT = SampleReports.report("2026-11-24", "7f1c9e0a-2b3c-4d5e-8f90-a1b2c3d4e5f6");

    private static CollectorAnswer post(String endpoint, int requestTimeoutMillis) {
        return CollectorAnswer.post(URI.create(endpoint), REPORT, 2_000, requestTimeoutMillis,
                SampleReports.NOW.toEpochMilli(), null);
    }

    @Test
    void anEndpointMustBeAnAbsoluteHttpUrlAndOtherwiseSaysWhatToFix() {
        assertThat(CollectorAnswer.endpoint("https://collector.example/v1/reports", "acme"))
                .isEqualTo(URI.create("https://collector.example/v1/reports"));
        assertThat(CollectorAnswer.endpoint("HTTP://127.0.0.1:8080/v1/reports", "acme").getPort()).isEqualTo(8080);
        String fix = "; fix \"endpoint\" in the catalog or set ACME_TELEMETRY_ENDPOINT";
        assertThatThrownBy(() -> CollectorAnswer.endpoint(null, "acme"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the telemetry endpoint is not set" + fix);
        assertThatThrownBy(() -> CollectorAnswer.endpoint("ftp://collector.example/", "acme"))
                .hasMessage("the telemetry endpoint \"ftp://collector.example/\" is not an absolute http(s) URL" + fix);
        assertThatThrownBy(() -> CollectorAnswer.endpoint("/v1/reports", "acme"))
                .hasMessageContaining("is not an absolute http(s) URL");
        assertThatThrownBy(() -> CollectorAnswer.endpoint("http://bad host/", "acme"))
                .hasMessageStartingWith("the telemetry endpoint \"http://bad host/\" is not a URL (Illegal character")
                .hasMessageEndingWith(fix);
    }

    @Test
    void theRequestCarriesOnlyWhatItMust() throws Exception {
        try (RawCollector collector = RawCollector.answering("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n")) {
            CollectorAnswer answer = post(collector.endpoint() + "?via=test", 2_000);
            assertThat(answer.accepted()).isTrue();
            int port = URI.create(collector.endpoint()).getPort();
            int length = CollectorAnswer.gzip(REPORT).length;
            assertThat(collector.heads()).containsExactly("POST /v1/reports?via=test HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + port + "\r\n"
                    + "User-Agent: candor-sdk/0.1\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Content-Encoding: gzip\r\n"
                    + "Accept: application/json, application/problem+json\r\n"
                    + "Content-Length: " + length + "\r\n"
                    + "Connection: close\r\n"
                    + "\r\n");
        }
    }

    @Test
    void gzipRoundTripsToTheExactBytes() throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(CollectorAnswer.gzip(REPORT)))) {
            assertThat(in.readAllBytes()).isEqualTo(REPORT);
        }
    }

    @Test
    void interimAnswersAreSkipped() throws Exception {
        try (RawCollector collector = RawCollector.answering(
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\n{}")) {
            assertThat(post(collector.endpoint(), 2_000).status()).isEqualTo(202);
        }
    }

    @Test
    void anErrorBodyBecomesAOneLineDetailEvenWhenChunked() throws Exception {
        String problem = "{\"title\": \"not valid for the catalog\",\n \"detail\": \"events.nope is not in acme's catalog\"}";
        String chunked = "HTTP/1.1 422 Unprocessable Entity\r\nContent-Type: application/problem+json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(problem.length()) + "\r\n" + problem + "\r\n0\r\n\r\n";
        try (RawCollector collector = RawCollector.answering(chunked)) {
            CollectorAnswer answer = post(collector.endpoint(), 2_000);
            assertThat(answer.rejected()).isTrue();
            assertThat(answer.describe()).startsWith("collector answered 422: {\"title\": \"not valid for the catalog\", \"detail\"")
                    .doesNotContain("\n");
        }
    }

    @Test
    void retryAfterAsAnHttpDateIsHonoured() throws Exception {
        try (RawCollector collector = RawCollector.answering("HTTP/1.1 503 Service Unavailable\r\n"
                + "retry-after: Wed, 25 Nov 2026 10:02:00 GMT\r\nContent-Length: 0\r\n\r\n")) {
            CollectorAnswer answer = post(collector.endpoint(), 2_000);
            assertThat(answer.worthRetrying()).isTrue();
            assertThat(answer.retryAfterMillis()).isEqualTo(120_000);
        }
    }

    @Test
    void answersThatAreNotHttpAreNoAnswer() throws Exception {
        try (RawCollector collector = RawCollector.answering("SSH-2.0-OpenSSH_9.2\r\n\r\n")) {
            CollectorAnswer answer = post(collector.endpoint(), 2_000);
            assertThat(answer.status()).isEqualTo(CollectorAnswer.NO_ANSWER);
            assertThat(answer.worthRetrying()).isTrue();
            assertThat(answer.describe()).isEqualTo("the answer was not HTTP");
        }
        try (RawCollector collector = RawCollector.answering("")) {
            assertThat(post(collector.endpoint(), 2_000).describe())
                    .isEqualTo("the collector closed the connection without answering");
        }
        try (RawCollector collector = RawCollector.answering("HTTP/1.1 202 Acc")) {
            assertThat(post(collector.endpoint(), 2_000).describe()).isEqualTo("the collector's answer was cut short");
        }
        try (RawCollector collector = RawCollector.answering("HTTP/1.1 202 OK\r\nX-Padding: " + "x".repeat(20_000) + "\r\n\r\n")) {
            assertThat(post(collector.endpoint(), 2_000).describe()).isEqualTo("the collector's answer headers are too long");
        }
    }

    @Test
    void aCollectorTricklingItsAnswerCannotStretchTheTimeout() throws Exception {
        try (RawCollector collector = new RawCollector(out -> {
            for (int i = 0; i < 100; i++) {
                out.write('H');
                out.flush();
                Thread.sleep(100);
            }
        })) {
            long start = System.nanoTime();
            CollectorAnswer answer = post(collector.endpoint(), 800);
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(answer.describe()).isEqualTo("collector did not answer in time (reading its reply took too long)");
            assertThat(took).as("the deadline holds for the whole answer, not per byte").isLessThan(800 + 700);
        }
    }
}
