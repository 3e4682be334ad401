package dev.candor.internal.upload;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Uploads over HTTPS to a real TLS collector on 127.0.0.1, with a certificate made for the test by
 * the JDK's keytool: the report arrives intact, and a certificate for another host is refused.
 */
class TlsUploadTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path keys;
    private static KeyStore forLoopback;
    private static KeyStore forAnotherHost;

    @TempDir
    Path state;

    @BeforeAll
    static void makeCertificates() throws Exception {
        forLoopback = keyStore("loopback", "CN=127.0.0.1", "ip:127.0.0.1");
        forAnotherHost = keyStore("other", "CN=collector.example", "dns:collector.example");
    }

    private static KeyStore keyStore(String name, String dname, String san) throws Exception {
        Path file = keys.resolve(name + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "collector", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", dname, "-ext", "SAN=" + san, "-keystore", file.toString(), "-storetype", "PKCS12",
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    private static SSLContext serverContext(KeyStore store) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static SSLContext clientTrusting(KeyStore store) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private Uploader uploader(String endpoint, SSLContext trust) {
        Uploader uploader = new Uploader(state, SampleReports.APP, endpoint, SampleReports.CLOCK);
        uploader.tls = trust;
        uploader.triesPerReport = 1;
        return uploader;
    }

    @Test
    void aReportArrivesIntactOverHttps() throws Exception {
        ReportFile report = SampleReports.add(new Outbox(state, SampleReports.APP, SampleReports.CLOCK), "2026-11-24");
        try (LoopbackCollector collector = new LoopbackCollector((exchange, i) -> LoopbackCollector.status(exchange, 202),
                serverContext(forLoopback))) {
            assertThat(collector.endpoint()).startsWith("https://127.0.0.1:");
            UploadResult result = uploader(collector.endpoint(), clientTrusting(forLoopback)).sendNow(Duration.ofSeconds(10));
            assertThat(result.outcomeOf(report.fileName()).kind()).as(result.toString()).isEqualTo(ReportOutcome.Kind.SENT);
            List<LoopbackCollector.Request> requests = collector.requests();
            assertThat(requests).singleElement().satisfies(r -> assertThat(r.body()).isEqualTo(report.bytes()));
        }
    }

    @Test
    void aLargeReportArrivesIntactOverHttps() throws Exception {
        Outbox outbox = new Outbox(state, SampleReports.APP, SampleReports.CLOCK);
        String id = SampleReports.newId();
        byte[] large = SampleReports.report(SampleReports.APP, "2026-11-24", id, 12_000);
        outbox.add("2026-11-24", id, large);
        try (LoopbackCollector collector = new LoopbackCollector((exchange, i) -> LoopbackCollector.status(exchange, 422),
                serverContext(forLoopback))) {
            UploadResult result = uploader(collector.endpoint(), clientTrusting(forLoopback)).sendNow(Duration.ofSeconds(10));
            assertThat(result.outcomes()).singleElement().satisfies(o -> {
                assertThat(o.kind()).isEqualTo(ReportOutcome.Kind.DROPPED);
                assertThat(o.reason()).contains("422: {\"title\":\"status 422\",\"detail\":\"test collector\"}");
            });
            assertThat(collector.requests()).singleElement().satisfies(r -> assertThat(r.body()).isEqualTo(large));
        }
    }

    @Test
    void aCertificateForAnotherHostIsRefusedAndTheReportKept() throws Exception {
        ReportFile report = SampleReports.add(new Outbox(state, SampleReports.APP, SampleReports.CLOCK), "2026-11-24");
        try (LoopbackCollector collector = new LoopbackCollector((exchange, i) -> LoopbackCollector.status(exchange, 202),
                serverContext(forAnotherHost))) {
            UploadResult result = uploader(collector.endpoint(), clientTrusting(forAnotherHost)).sendNow(Duration.ofSeconds(10));
            assertThat(result.outcomeOf(report.fileName())).satisfies(o -> {
                assertThat(o.kind()).isEqualTo(ReportOutcome.Kind.KEPT);
                assertThat(o.reason()).startsWith("TLS failed with the collector");
            });
            assertThat(collector.requests()).isEmpty();
        }
    }
}
