package dev.candor.internal.upload;

import dev.candor.internal.catalog.Catalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A tiny host application for process-level tests, run in its own JVM by {@link ChildJvm}.
 *
 * <pre>
 * exit STATE ENDPOINT|none WAIT_FOR|- DELAY_MS   put one report in the outbox, start an uploader
 *                                               (unless "none"), wait until the file WAIT_FOR exists,
 *                                               then DELAY_MS more, print "main-end &lt;millis&gt;" and return
 * idle STATE ENDPOINT|none                      start an uploader (unless "none") on whatever outbox
 *                                               STATE holds, wait until its thread has done its round
 *                                               and gone to sleep, print "idle" and return
 * run STATE ENDPOINT CLOCK_OFFSET_MINUTES       one scheduled upload round; print its result
 * </pre>
 */
public final class UploadProbe {
    private UploadProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[1]);
        switch (args[0]) {
            case "exit" -> {
                String period = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
                String id = SampleReports.newId();
                SampleReports.put(new Outbox(state, SampleReports.APP, Catalog.Period.DAY, Clock.systemUTC()), period, id,
                        SampleReports.report(period, id));
                if (!args[2].equals("none")) {
                    new Uploader(state, SampleReports.APP, Catalog.Period.DAY, args[2], Clock.systemUTC()).start();
                }
                if (!args[3].equals("-")) {
                    Path waitFor = Path.of(args[3]);
                    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    while (!Files.exists(waitFor) && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                }
                Thread.sleep(Long.parseLong(args[4]));
                System.out.println("main-end " + System.currentTimeMillis());
                System.out.flush();
            }
            case "idle" -> {
                if (!args[2].equals("none")) {
                    new Uploader(state, SampleReports.APP, Catalog.Period.DAY, args[2], Clock.systemUTC()).start();
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                boolean asleep = args[2].equals("none");
                while (!asleep && System.nanoTime() < deadline) {
                    asleep = uploaderAsleep();
                    Thread.sleep(5);
                }
                System.out.println(asleep ? "idle" : "uploader never went to sleep");
            }
            case "run" -> {
                Clock clock = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(Long.parseLong(args[3])));
                UploadResult result = new Uploader(state, SampleReports.APP, Catalog.Period.DAY, args[2], clock).runScheduled();
                System.out.println("attempted=" + result.attempted());
                System.out.println(result);
            }
            default -> throw new IllegalArgumentException("unknown probe " + args[0]);
        }
    }

    /**
     * Whether the uploader's thread waits for its next round: parked in {@code Object.wait}, not in
     * one of the short sleeps it takes while polling a socket or a lock (those are TIMED_WAITING too).
     */
    private static boolean uploaderAsleep() {
        for (var entry : Thread.getAllStackTraces().entrySet()) {
            Thread thread = entry.getKey();
            StackTraceElement[] stack = entry.getValue();
            if (thread.getName().equals(Uploader.THREAD_NAME) && thread.getState() == Thread.State.TIMED_WAITING
                    && stack.length > 0 && stack[0].getClassName().equals("java.lang.Object")
                    && stack[0].getMethodName().equals("wait")) {
                return true;
            }
        }
        return false;
    }
}
