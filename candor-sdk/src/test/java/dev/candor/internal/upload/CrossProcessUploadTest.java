package dev.candor.internal.upload;

import dev.candor.internal.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Processes of one app share one state directory: their uploads add up to at most one attempt per
 * hour, and no report is sent twice; when nothing waits, an uploader loads nothing network-related.
 */
class CrossProcessUploadTest {
    @TempDir
    Path dir;

    private static String daysAgo(int days) {
        return LocalDate.now(ZoneOffset.UTC).minusDays(days).toString();
    }

    private static String reportIdOf(LoopbackCollector.Request request) {
        String body = new String(request.body(), java.nio.charset.StandardCharsets.UTF_8);
        int at = body.indexOf("\"report_id\":\"") + "\"report_id\":\"".length();
        return body.substring(at, at + 36);
    }

    @Test
    void twoProcessesStartingTogetherMakeOneAttemptAndTheHourHoldsAcrossProcesses() throws Exception {
        Path state = dir.resolve("state");
        Outbox outbox = new Outbox(state, SampleReports.APP, Catalog.Period.DAY, java.time.Clock.systemUTC());
        Set<String> ids = new HashSet<>();
        for (int days = 3; days >= 1; days--) {
            String id = SampleReports.newId();
            SampleReports.put(outbox, daysAgo(days), id, SampleReports.report(daysAgo(days), id));
            ids.add(id);
        }
        try (LoopbackCollector collector = new LoopbackCollector((exchange, index) -> {
            try {
                Thread.sleep(200); // a slow collector keeps the first process's lock held for a while
            } catch (InterruptedException e) {
                return;
            }
            LoopbackCollector.status(exchange, 202);
        })) {
            ChildJvm first = ChildJvm.start(dir, List.of(), "run", state.toString(), collector.endpoint(), "0");
            ChildJvm second = ChildJvm.start(dir, List.of(), "run", state.toString(), collector.endpoint(), "0");
            first.awaitExit(60);
            second.awaitExit(60);
            List<String> outputs = List.of(first.outputText(), second.outputText());
            assertThat(outputs).filteredOn(o -> o.contains("attempted=true")).as(outputs.toString()).hasSize(1);
            assertThat(outputs).filteredOn(o -> o.contains("attempted=false")).singleElement().satisfies(o ->
                    assertThat(o).containsAnyOf("another process is uploading now", "less than an hour ago"));
            assertThat(collector.requests()).extracting(CrossProcessUploadTest::reportIdOf)
                    .as("each report arrives exactly once").hasSize(3).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(Outbox.sentReports(state, SampleReports.APP)).hasSize(3);

            String late = SampleReports.newId();
            SampleReports.put(outbox, daysAgo(1), late, SampleReports.report(daysAgo(1), late));
            ChildJvm halfAnHourLater = ChildJvm.start(dir, List.of(), "run", state.toString(), collector.endpoint(), "30");
            halfAnHourLater.awaitExit(60);
            assertThat(halfAnHourLater.outputText()).contains("attempted=false").contains("less than an hour ago");
            assertThat(collector.requests()).hasSize(3);

            ChildJvm anHourLater = ChildJvm.start(dir, List.of(), "run", state.toString(), collector.endpoint(), "61");
            anHourLater.awaitExit(60);
            assertThat(anHourLater.outputText()).contains("attempted=true").contains("1 sent, 0 kept, 0 dropped");
            assertThat(collector.requests()).hasSize(4);
            assertThat(reportIdOf(collector.requests().get(3))).isEqualTo(late);
        }
    }

    /** The classes a probe JVM loaded, by name. */
    private Set<String> classesLoaded(String name, String endpoint, Path state) throws Exception {
        Path log = dir.resolve(name + ".classes");
        ChildJvm child = ChildJvm.start(dir, List.of("-Xlog:class+load=info:file=" + log), "idle", state.toString(), endpoint);
        child.awaitExit(60);
        assertThat(child.outputText()).contains("idle");
        try (var lines = Files.lines(log)) {
            return lines.map(line -> line.replaceAll("^\\[[^]]*\\]\\[[^]]*\\]\\[[^]]*\\] ", ""))
                    .map(line -> line.split(" ")[0])
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void anUploaderWithNothingToSendLoadsNothingNetworkRelated() throws Exception {
        Set<String> without = classesLoaded("without", "none", dir.resolve("empty-state"));
        Set<String> idle = classesLoaded("idle", UploaderTest.refusedEndpoint(), dir.resolve("empty-state"));
        Set<String> added = new TreeSet<>(idle);
        added.removeAll(without);
        System.out.println("an idle uploader added " + added.size() + " classes: " + added);
        assertThat(added).filteredOn(c -> c.startsWith("java.net.") || c.startsWith("sun.net.")
                || c.startsWith("sun.nio.ch.SocketChannel") || c.startsWith("javax.net.") || c.startsWith("sun.security.ssl.")
                || c.startsWith("java.util.zip.GZIP") || c.startsWith("jdk.internal.logger.")
                || c.contains("CollectorAnswer"))
                .as("network-related classes loaded by an uploader with nothing to send").isEmpty();
        assertThat(added.size()).as("classes an idle uploader adds: " + added).isLessThan(40);
        assertThat(dir.resolve("empty-state")).doesNotExist();
    }

    @Test
    void classesLoadedForOneUploadAreCounted() throws Exception {
        Path state = dir.resolve("state");
        String id = SampleReports.newId();
        SampleReports.put(new Outbox(state, SampleReports.APP, Catalog.Period.DAY, java.time.Clock.systemUTC()), daysAgo(1), id,
                SampleReports.report(daysAgo(1), id));
        Set<String> without = classesLoaded("without", "none", state);
        try (LoopbackCollector collector = LoopbackCollector.answering(202)) {
            Set<String> sending = classesLoaded("sending", collector.endpoint(), state);
            assertThat(collector.requests()).hasSize(1);
            List<String> added = new ArrayList<>(sending);
            added.removeAll(without);
            System.out.println("one upload over http added " + added.size() + " classes: " + added);
            // About 450 on JDK 17, a hundred of them java.lang.invoke classes for a lambda inside the JDK's
            // SelectorProvider, most of them from the CDS archive. A guard against a regression, not a budget:
            // an upload happens on the daemon thread, at most hourly, and only when a report waits.
            assertThat(added.size()).as("classes for one upload over http").isLessThan(600);
        }
    }
}
