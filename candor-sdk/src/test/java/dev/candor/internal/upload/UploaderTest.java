package dev.candor.internal.upload;

import dev.candor.internal.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.candor.internal.upload.ReportOutcome.DROPPED;
import static dev.candor.internal.upload.ReportOutcome.KEPT;
import static dev.candor.internal.upload.ReportOutcome.SENT;
import static dev.candor.internal.upload.SampleReports.APP;
import static dev.candor.internal.upload.SampleReports.CLOCK;
import static dev.candor.internal.upload.SampleReports.NOW;
import static org.assertj.core.api.Assertions.assertThat;

/** The uploader against real HTTP collectors on 127.0.0.1: what each answer does to a report. */
class UploaderTest {
    @TempDir
    Path state;

    private Outbox outbox() {
        return new Outbox(state, APP, Catalog.Period.DAY, CLOCK);
    }

    private Uploader uploader(String endpoint, Clock clock) {
        Uploader uploader = new Uploader(state, APP, Catalog.Period.DAY, endpoint, clock);
        uploader.firstBackoffMillis = 10;
        return uploader;
    }

    private Uploader uploader(String endpoint) {
        return uploader(endpoint, CLOCK);
    }

    private List<String> outboxFiles() throws Exception {
        if (!Files.isDirectory(state.resolve("outbox"))) {
            return List.of();
        }
        try (var files = Files.list(state.resolve("outbox"))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void anAcceptedReportMovesToSentWithTheExactBytesThatWereSent() throws Exception {
        ReportFile report = SampleReports.add(outbox(), "2026-11-24");
        try (LoopbackCollector collector = LoopbackCollector.answering(202)) {
            UploadResult result = uploader(collector.endpoint()).runScheduled();

            assertThat(result.attempted()).isTrue();
            assertThat(result.outcomes()).singleElement().satisfies(o -> {
                assertThat(o.kind()).isEqualTo(SENT);
                assertThat(o.fileName()).isEqualTo(report.fileName());
                assertThat(o.reason()).isEqualTo("collector answered 202");
            });
            assertThat(outboxFiles()).isEmpty();
            assertThat(Files.readAllBytes(state.resolve("sent").resolve(report.fileName()))).isEqualTo(report.bytes());
            assertThat(Outbox.sentReports(state, APP)).singleElement()
                    .satisfies(s -> assertThat(s.bytes()).isEqualTo(report.bytes()));

            LoopbackCollector.Request request = collector.requests().get(0);
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/v1/reports");
            assertThat(request.header("Content-Type")).isEqualTo("application/json");
            assertThat(request.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(request.rawBody()).startsWith((byte) 0x1f, (byte) 0x8b);
            assertThat(request.body()).as("the gzip body decodes to the exact file bytes").isEqualTo(report.bytes());
            assertThat(request.header("User-Agent")).isEqualTo("candor-sdk/0.1");
            assertThat(request.headers()).doesNotContainKeys("Cookie", "Cookie2", "Authorization", "Referer", "From");
        }
    }

    @Test
    void aReportIsNotSentOnceTelemetryWasTurnedOffMeanwhile() throws Exception {
        ReportFile first = SampleReports.add(outbox(), "2026-11-23");
        ReportFile second = SampleReports.add(outbox(), "2026-11-24");
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        try (LoopbackCollector collector = LoopbackCollector.answering(202)) {
            // consent stands for the first report and is gone before the second (a disable in another terminal)
            UploadResult result = uploader(collector.endpoint()).onlyWhile(() -> asked.incrementAndGet() == 1)
                    .sendNow(Duration.ofSeconds(10));
            assertThat(collector.requests()).hasSize(1);
            assertThat(result.outcomeOf(first.fileName()).kind()).isEqualTo(SENT);
            assertThat(result.outcomeOf(second.fileName()).kind()).isEqualTo(KEPT);
            assertThat(result.outcomeOf(second.fileName()).reason())
                    .isEqualTo("not sent: telemetry was turned off meanwhile");
        }
    }

    @Test
    void aReportTheCollectorRejectsWithA4xxIsDroppedAndNotRetried() throws Exception {
        for (int status : new int[] {400, 422, 413}) {
            ReportFile report = SampleReports.add(outbox(), "2026-11-24");
            try (LoopbackCollector collector = LoopbackCollector.answering(status)) {
                UploadResult result = uploader(collector.endpoint()).sendNow(Duration.ofSeconds(10));
                assertThat(result.outcomes()).singleElement().satisfies(o -> {
                    assertThat(o.kind()).isEqualTo(DROPPED);
                    assertThat(o.reason()).startsWith("the collector will never take it: collector answered " + status)
                            .contains("test collector");
                });
                assertThat(collector.requests()).hasSize(1);
            }
            assertThat(outboxFiles()).doesNotContain(report.fileName());
            assertThat(state.resolve("sent").resolve(report.fileName())).doesNotExist();
        }
    }

    @Test
    void aServerErrorKeepsTheReportAfterRetryingWithBackoff() throws Exception {
        ReportFile older = SampleReports.add(outbox(), "2026-11-23");
        ReportFile newer = SampleReports.add(outbox(), "2026-11-24");
        try (LoopbackCollector collector = LoopbackCollector.answering(500)) {
            UploadResult result = uploader(collector.endpoint()).runScheduled();

            assertThat(result.attempted()).isTrue();
            assertThat(result.outcomeOf(older.fileName())).satisfies(o -> {
                assertThat(o.kind()).isEqualTo(KEPT);
                assertThat(o.reason()).contains("collector answered 500").contains("(4 tries)").endsWith("; tried again later");
            });
            assertThat(result.outcomeOf(newer.fileName())).satisfies(o -> {
                assertThat(o.kind()).isEqualTo(KEPT);
                assertThat(o.reason()).startsWith("not tried: collector answered 500");
            });
            assertThat(collector.requests()).hasSize(4).allSatisfy(r -> assertThat(r.body()).isEqualTo(older.bytes()));
            assertThat(outboxFiles()).containsExactly(older.fileName(), newer.fileName());
        }
    }

    @Test
    void aPassingServerErrorIsOvercomeByBackoffInsideTheAttempt() throws Exception {
        ReportFile report = SampleReports.add(outbox(), "2026-11-24");
        try (LoopbackCollector collector = LoopbackCollector.answering(503, 502, 202)) {
            UploadResult result = uploader(collector.endpoint()).runScheduled();
            assertThat(result.outcomeOf(report.fileName()).kind()).isEqualTo(SENT);
            assertThat(collector.requests()).hasSize(3);
        }
    }

    @Test
    void aShortRetryAfterIsWaitedForThenTheReportIsSent() throws Exception {
        ReportFile report = SampleReports.add(outbox(), "2026-11-24");
        long[] arrivals = new long[2];
        try (LoopbackCollector collector = new LoopbackCollector((exchange, index) -> {
            arrivals[Math.min(index, 1)] = System.nanoTime();
            if (index == 0) {
                exchange.getResponseHeaders().set("Retry-After", "1");
                LoopbackCollector.status(exchange, 429);
            } else {
                LoopbackCollector.status(exchange, 202);
            }
        })) {
            UploadResult result = uploader(collector.endpoint()).runScheduled();
            assertThat(result.outcomeOf(report.fileName()).kind()).isEqualTo(SENT);
            assertThat(collector.requests()).hasSize(2);
            assertThat(TimeUnit.NANOSECONDS.toMillis(arrivals[1] - arrivals[0])).as("waited Retry-After: 1").isGreaterThanOrEqualTo(950);
        }
    }

    @Test
    void aLongRetryAfterKeepsTheReportAndDelaysTheNextAttemptBeyondTheHour() throws Exception {
        ReportFile report = SampleReports.add(outbox(), "2026-11-24");
        try (LoopbackCollector collector = new LoopbackCollector((exchange, index) -> {
            exchange.getResponseHeaders().set("Retry-After", "7200");
            LoopbackCollector.status(exchange, 429);
        })) {
            UploadResult first = uploader(collector.endpoint()).runScheduled();
            assertThat(first.outcomeOf(report.fileName())).satisfies(o -> {
                assertThat(o.kind()).isEqualTo(KEPT);
                assertThat(o.reason()).contains("429").contains("retry after 7200 s");
            });
            assertThat(collector.requests()).as("not retried within the attempt").hasSize(1);

            UploadResult after61Minutes = uploader(collector.endpoint(), Clock.offset(CLOCK, Duration.ofMinutes(61))).runScheduled();
            assertThat(after61Minutes.attempted()).isFalse();
            assertThat(after61Minutes.note()).contains("next may start in 59 min");
            UploadResult after2Hours = uploader(collector.endpoint(), Clock.offset(CLOCK, Duration.ofMinutes(121))).runScheduled();
            assertThat(after2Hours.attempted()).isTrue();
            assertThat(collector.requests()).hasSize(2);
            assertThat(outboxFiles()).containsExactly(report.fileName());
        }
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        long now = NOW.toEpochMilli();
        assertThat(CollectorAnswer.parseRetryAfter("120", now)).isEqualTo(120_000);
        assertThat(CollectorAnswer.parseRetryAfter(" 0 ", now)).isZero();
        String inFiveMinutes = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(NOW.plusSeconds(300), ZoneOffset.UTC));
        assertThat(CollectorAnswer.parseRetryAfter(inFiveMinutes, now)).isEqualTo(300_000);
        assertThat(CollectorAnswer.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now)).isZero();
        assertThat(CollectorAnswer.parseRetryAfter("soon", now)).isEqualTo(-1);
        assertThat(CollectorAnswer.parseRetryAfter(null, now)).isEqualTo(-1);
        assertThat(CollectorAnswer.parseRetryAfter("-5", now)).isEqualTo(-1);
    }

    @Test
    void aCollectorThatIsDownKeepsTheReport() throws Exception {
        ReportFile report = SampleReports.add(outbox(), "2026-11-24");
        UploadResult result = uploader(refusedEndpoint()).runScheduled();
        assertThat(result.attempted()).isTrue();
        assertThat(result.outcomeOf(report.fileName())).satisfies(o -> {
            assertThat(o.kind()).isEqualTo(KEPT);
            assertThat(o.reason()).contains("collector unreachable").contains("(4 tries)");
        });
        assertThat(outboxFiles()).containsExactly(report.fileName());
    }

    @Test
    void atMostOneAttemptPerHourButSendNowIgnoresTheLimit() throws Exception {
        SampleReports.add(outbox(), "2026-11-23");
        try (LoopbackCollector collector = LoopbackCollector.answering(500, 202)) {
            Uploader uploader = uploader(collector.endpoint());
            uploader.triesPerReport = 1;
            assertThat(uploader.runScheduled().attempted()).isTrue();
            assertThat(Files.readString(state.resolve("upload.last"))).contains("last_attempt=" + NOW.toEpochMilli());

            UploadResult again = uploader.runScheduled();
            assertThat(again.attempted()).isFalse();
            assertThat(again.note()).contains("less than an hour ago").contains("next may start in 60 min");
            assertThat(uploader(collector.endpoint(), Clock.offset(CLOCK, Duration.ofMinutes(59))).runScheduled().attempted()).isFalse();
            assertThat(collector.requests()).hasSize(1);

            UploadResult explicit = uploader.sendNow(Duration.ofSeconds(10));
            assertThat(explicit.attempted()).isTrue();
            assertThat(explicit.count(SENT)).isEqualTo(1);
            assertThat(collector.requests()).hasSize(2);
        }
    }

    @Test
    void theHourlyLimitStartsOnlyWhenThereWasSomethingToSend() throws Exception {
        try (LoopbackCollector collector = LoopbackCollector.answering(202)) {
            Uploader uploader = uploader(collector.endpoint());
            UploadResult empty = uploader.runScheduled();
            assertThat(empty.attempted()).isFalse();
            assertThat(empty.note()).isEqualTo("nothing to send: the outbox is empty");
            assertThat(state).isEmptyDirectory();

            SampleReports.add(outbox(), "2026-11-24");
            assertThat(uploader.runScheduled().count(SENT)).isEqualTo(1);
        }
    }

    @Test
    void sendNowReturnsWithinItsTimeoutWhenTheCollectorNeverAnswers() throws Exception {
        ReportFile report = SampleReports.add(outbox(), "2026-11-24");
        CountDownLatch never = new CountDownLatch(1);
        try (LoopbackCollector collector = new LoopbackCollector((exchange, index) -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })) {
            long start = System.nanoTime();
            UploadResult result = uploader(collector.endpoint()).sendNow(Duration.ofMillis(1500));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(tookMillis).as("sendNow waits at most its timeout, plus scheduling slack").isLessThan(1500 + 1000);
            assertThat(result.outcomeOf(report.fileName())).satisfies(o -> {
                assertThat(o.kind()).isEqualTo(KEPT);
                // the line a user reads starts with "kept": the reason does not say it again, nor anything twice
                assertThat(o.toString()).startsWith("kept     ").doesNotContain("kept for").doesNotContain("in time (no");
                assertThat(o.reason()).satisfiesAnyOf(
                        r -> assertThat(r).isEqualTo("no answer within 1500 ms; tried again later"),
                        r -> assertThat(r).startsWith("collector did not answer in time (reading its reply took too long)"));
            });
            assertThat(outboxFiles()).containsExactly(report.fileName());
        } finally {
            never.countDown();
        }
    }

    @Test
    void reportsAreSentOldestFirstAndEachGetsItsOwnFate() throws Exception {
        ReportFile first = SampleReports.add(outbox(), "2026-11-22");
        ReportFile second = SampleReports.add(outbox(), "2026-11-23");
        ReportFile third = SampleReports.add(outbox(), "2026-11-24");
        Files.writeString(outbox().directory().resolve("stray.json"), "{}");
        try (LoopbackCollector collector = LoopbackCollector.answering(202, 422, 202)) {
            UploadResult result = uploader(collector.endpoint()).sendNow(Duration.ofSeconds(10));
            assertThat(collector.requests()).extracting(r -> new String(r.body(), StandardCharsets.UTF_8))
                    .containsExactly(first.text(), second.text(), third.text());
            assertThat(result.outcomeOf(first.fileName()).kind()).isEqualTo(SENT);
            assertThat(result.outcomeOf(second.fileName()).kind()).isEqualTo(DROPPED);
            assertThat(result.outcomeOf(third.fileName()).kind()).isEqualTo(SENT);
            assertThat(result.outcomeOf("stray.json").kind()).isEqualTo(DROPPED);
            assertThat(result.toString()).endsWith("2 sent, 0 kept, 2 dropped")
                    .contains("sent     " + first.fileName() + ": collector answered 202");
            assertThat(Outbox.sentReports(state, APP)).extracting(ReportFile::fileName)
                    .containsExactlyInAnyOrder(first.fileName(), third.fileName());
        }
    }

    @Test
    void aBadEndpointKeepsEverythingAndSaysWhatToFix() throws Exception {
        ReportFile report = SampleReports.add(outbox(), "2026-11-24");
        for (String endpoint : new String[] {null, "ftp://127.0.0.1/x", "not a url", "/v1/reports"}) {
            UploadResult result = uploader(endpoint).sendNow(Duration.ofSeconds(5));
            assertThat(result.attempted()).isFalse();
            assertThat(result.note()).contains("telemetry endpoint").contains("ACME_TELEMETRY_ENDPOINT");
            assertThat(result.outcomeOf(report.fileName()).kind()).isEqualTo(KEPT);
            assertThat(uploader(endpoint).runScheduled().attempted()).isFalse();
        }
        assertThat(outboxFiles()).containsExactly(report.fileName());
    }

    @Test
    void debugOutputShowsTheExactJsonBeforeItIsSent() throws Exception {
        ReportFile report = SampleReports.add(outbox(), "2026-11-24");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (LoopbackCollector collector = LoopbackCollector.answering(202)) {
            uploader(collector.endpoint()).debugTo(new PrintStream(err, true, StandardCharsets.UTF_8)).runScheduled();
        }
        String printed = err.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("[candor] sending " + report.fileName()).contains(report.text())
                .contains("[candor] sent     " + report.fileName());
    }

    @Test
    void theBackgroundThreadIsOneNamedDaemonWithoutContextClassLoaderAndSendsTheOutbox() throws Exception {
        ReportFile report = SampleReports.add(outbox(), "2026-11-24");
        try (LoopbackCollector collector = LoopbackCollector.answering(202)) {
            Uploader uploader = uploader(collector.endpoint());
            uploader.start();
            uploader.start();
            List<Thread> threads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals(Uploader.THREAD_NAME)).toList();
            assertThat(threads).singleElement().satisfies(t -> {
                assertThat(t.isDaemon()).isTrue();
                assertThat(t.getContextClassLoader()).isNull();
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (outboxFiles().contains(report.fileName()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(outboxFiles()).isEmpty();
            assertThat(collector.requests()).hasSize(1);

            uploader.stop();
            threads.get(0).join(5_000);
            assertThat(threads.get(0).isAlive()).isFalse();
        }
    }

    @Test
    void sendNowWhileTheBackgroundUploadRunsReportsWhatTheOtherUploadDid() throws Exception {
        List<ReportFile> reports = List.of(SampleReports.add(outbox(), "2026-11-22"),
                SampleReports.add(outbox(), "2026-11-23"), SampleReports.add(outbox(), "2026-11-24"));
        CountDownLatch firstArrived = new CountDownLatch(1);
        try (LoopbackCollector collector = new LoopbackCollector((exchange, index) -> {
            firstArrived.countDown();
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                return;
            }
            LoopbackCollector.status(exchange, 202);
        })) {
            Uploader uploader = uploader(collector.endpoint());
            uploader.start();
            assertThat(firstArrived.await(20, TimeUnit.SECONDS)).isTrue();
            UploadResult result = uploader.sendNow(Duration.ofSeconds(10));
            uploader.stop();

            assertThat(result.outcomes()).hasSize(3).allSatisfy(o -> assertThat(o.kind()).isEqualTo(SENT));
            assertThat(result.outcomeOf(reports.get(0).fileName()).reason()).isEqualTo("sent by another upload running at the same time");
            assertThat(collector.requests()).as("each report arrives once").hasSize(3);
            assertThat(outboxFiles()).isEmpty();
        }
    }

    // 1.5 s, not less: under a loaded machine the worker thread may not reach the lock within a shorter
    // timeout, and the round would then end as "no answer" instead of "another upload is running".
    @Test
    void sendNowGivesUpWaitingForAnotherUploadAtItsTimeout() throws Exception {
        ReportFile report = SampleReports.add(outbox(), "2026-11-24");
        FileChannel held = Uploader.tryLock(state);
        try {
            assertThat(held).isNotNull();
            UploadResult result = uploader("http://127.0.0.1:9/never-used").sendNow(Duration.ofMillis(1_500));
            assertThat(result.attempted()).isFalse();
            assertThat(result.outcomeOf(report.fileName())).satisfies(o -> {
                assertThat(o.kind()).isEqualTo(KEPT);
                assertThat(o.reason()).isEqualTo("another upload (in this process or another) is still running; try again in a moment");
            });
        } finally {
            Uploader.unlock(state, held);
        }
        assertThat(outboxFiles()).containsExactly(report.fileName());
    }

    /** An endpoint on 127.0.0.1 where nothing listens: connections are refused at once. */
    static String refusedEndpoint() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        return "http://127.0.0.1:" + port + "/v1/reports";
    }
}
