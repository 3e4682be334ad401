package dev.candor.internal.upload;

import dev.candor.internal.catalog.Catalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Uploads over HTTPS to a real TLS collector on 127.0.0.1, with test certificates made by the
 * JDK's keytool: the report arrives intact, and a certificate for another host is refused.
 */
class TlsUploadTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    private static KeyStore forLoopback;
    private static KeyStore forAnotherHost;

    @TempDir
    Path state;

    @BeforeAll
    static void loadCertificates() throws Exception {
        forLoopback = keyStore("loopback.p12");
        forAnotherHost = keyStore("other-host.p12");
    }

    /** Test-only keys made once with keytool; see src/test/resources/tls/README.md. */
    private static KeyStore keyStore(String name) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = TlsUploadTest.class.getResourceAsStream("/tls/" + name)) {
            assertThat(in).as("test resource /tls/" + name).isNotNull();
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
        Uploader uploader = new Uploader(state, SampleReports.APP, Catalog.Period.DAY, endpoint, SampleReports.CLOCK);
        uploader.tls = trust;
        uploader.triesPerReport = 1;
        return uploader;
    }

    @Test
    void aReportArrivesIntactOverHttps() throws Exception {
        ReportFile report = SampleReports.add(new Outbox(state, SampleReports.APP, Catalog.Period.DAY, SampleReports.CLOCK), "2026-11-24");
        try (LoopbackCollector collector = new LoopbackCollector((exchange, i) -> LoopbackCollector.status(exchange, 202),
                serverContext(forLoopback))) {
            assertThat(collector.endpoint()).startsWith("https://127.0.0.1:");
            UploadResult result = uploader(collector.endpoint(), clientTrusting(forLoopback)).sendNow(Duration.ofSeconds(10));
            assertThat(result.outcomeOf(report.fileName()).kind()).as(result.toString()).isEqualTo(ReportOutcome.SENT);
            List<LoopbackCollector.Request> requests = collector.requests();
            assertThat(requests).singleElement().satisfies(r -> assertThat(r.body()).isEqualTo(report.bytes()));
        }
    }

    @Test
    void aLargeReportArrivesIntactOverHttps() throws Exception {
        Outbox outbox = new Outbox(state, SampleReports.APP, Catalog.Period.DAY, SampleReports.CLOCK);
        String id = SampleReports.newId();
        byte[] large = SampleReports.report(SampleReports.APP, "2026-11-24", id, 12_000);
        SampleReports.put(outbox, "2026-11-24", id, large);
        try (LoopbackCollector collector = new LoopbackCollector((exchange, i) -> LoopbackCollector.status(exchange, 422),
                serverContext(forLoopback))) {
            UploadResult result = uploader(collector.endpoint(), clientTrusting(forLoopback)).sendNow(Duration.ofSeconds(10));
            assertThat(result.outcomes()).singleElement().satisfies(o -> {
                assertThat(o.kind()).isEqualTo(ReportOutcome.DROPPED);
                assertThat(o.reason()).contains("422: {\"title\":\"status 422\",\"detail\":\"test collector\"}");
            });
            assertThat(collector.requests()).singleElement().satisfies(r -> assertThat(r.body()).isEqualTo(large));
        }
    }

    @Test
    void aCertificateForAnotherHostIsRefusedAndTheReportKept() throws Exception {
        ReportFile report = SampleReports.add(new Outbox(state, SampleReports.APP, Catalog.Period.DAY, SampleReports.CLOCK), "2026-11-24");
        try (LoopbackCollector collector = new LoopbackCollector((exchange, i) -> LoopbackCollector.status(exchange, 202),
                serverContext(forAnotherHost))) {
            UploadResult result = uploader(collector.endpoint(), clientTrusting(forAnotherHost)).sendNow(Duration.ofSeconds(10));
            assertThat(result.outcomeOf(report.fileName())).satisfies(o -> {
                assertThat(o.kind()).isEqualTo(ReportOutcome.KEPT);
                assertThat(o.reason()).startsWith("TLS failed with the collector");
            });
            assertThat(collector.requests()).isEmpty();
        }
    }
}
