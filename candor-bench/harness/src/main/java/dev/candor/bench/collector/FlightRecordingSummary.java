package dev.candor.bench.collector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where a server's time went under load, from the Java Flight Recording taken while it was under load: the methods
 * its threads were most often found in (JFR's execution and native-method samples), and under each the
 * first frame of Candor's own code, which names the part of the collector to look at.
 */
final class FlightRecordingSummary {
    private static final int SHOWN = 15;

    private FlightRecordingSummary() {
    }

    /** Summarises {@code recording} into {@code summary}; says so in the file when the recording cannot be read. */
    static void write(Path recording, Path summary) throws IOException, InterruptedException {
        if (!Files.isRegularFile(recording)) {
            Files.writeString(summary, "No flight recording was written (" + recording.getFileName() + ").\n");
            return;
        }
        Path jfr = Path.of(System.getProperty("java.home"), "bin", "jfr");
        Process print = new ProcessBuilder(jfr.toString(), "print", "--stack-depth", "40",
                "--events", "jdk.ExecutionSample,jdk.NativeMethodSample,jdk.ThreadPark", recording.toString())
                .redirectErrorStream(true).start();
        String text = new String(print.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!print.waitFor(60, TimeUnit.SECONDS) || print.exitValue() != 0) {
            print.destroyForcibly();
            Files.writeString(summary, "jfr print failed on " + recording.getFileName() + "\n");
            return;
        }
        Map<String, Integer> byTop = new HashMap<>();
        Map<String, Integer> byOwn = new HashMap<>();
        Map<String, Integer> parkedIn = new HashMap<>();
        int samples = 0;
        int parks = 0;
        List<String> frames = new ArrayList<>();
        boolean inStack = false;
        boolean park = false;
        for (String raw : text.split("\n")) {
            String line = raw.trim();
            if (line.startsWith("jdk.") && line.endsWith("{")) {
                park = line.startsWith("jdk.ThreadPark");
            } else if (line.startsWith("stackTrace = [")) {
                inStack = true;
                frames.clear();
            } else if (inStack && line.equals("]")) {
                inStack = false;
                if (park) {
                    parks++;
                    parkedIn.merge(frames.stream().filter(f -> f.startsWith("dev.candor")).findFirst()
                            .orElse(frames.stream().filter(f -> !f.startsWith("java.") && !f.startsWith("jdk."))
                                    .findFirst().orElse("(JDK only)")), 1, Integer::sum);
                } else if (!frames.isEmpty() && !isIdle(frames.get(0))) {
                    samples++;
                    byTop.merge(frames.get(0), 1, Integer::sum);
                    String own = frames.stream().filter(f -> f.startsWith("dev.candor")).findFirst().orElse("(no Candor frame: HTTP stack or JVM)");
                    byOwn.merge(own, 1, Integer::sum);
                }
            } else if (inStack && !line.equals("...")) {
                frames.add(line.replaceAll("\\s+line: \\d+.*$", "").replaceAll("\\(.*\\)", "()"));
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(samples).append(" busy samples (JFR execution and native-method samples, idle waits left out).\n");
        out.append("Most frequent innermost methods:\n");
        append(out, byTop, samples);
        out.append("By the innermost frame of Candor's own code:\n");
        append(out, byOwn, samples);
        out.append(parks).append(" waits of 20 ms or more (jdk.ThreadPark), by the innermost frame outside the JDK:\n");
        append(out, parkedIn, parks);
        Files.writeString(summary, out);
    }

    private static boolean isIdle(String frame) {
        return frame.contains("EPoll.wait") || frame.contains("Net.accept") || frame.contains("Net.poll") || frame.contains("ServerSocketChannelImpl.accept")
                || frame.contains("Unsafe.park") || frame.contains("Object.wait");
    }

    private static void append(StringBuilder out, Map<String, Integer> counts, int total) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(SHOWN)
                .forEach(e -> out.append(String.format("%5.1f %%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey())));
    }
}
