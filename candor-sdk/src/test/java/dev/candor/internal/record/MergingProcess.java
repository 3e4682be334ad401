package dev.candor.internal.record;

import dev.candor.Mode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;

/**
 * A separate JVM for {@link MultiProcessTest}: waits for the go file, merges closed periods and
 * prints how many reports it wrote. Arguments: state dir, catalog resource name, instant, go file.
 */
public final class MergingProcess {
    public static void main(String[] args) throws Exception {
        Clock clock = Clock.fixed(Instant.parse(args[2]), ZoneOffset.UTC);
        Recorder recorder = new Recorder(TestCatalogs.load(args[1]), Path.of(args[0]), Mode.ON, clock,
                RecorderTest.CONTEXT, "2.0.0", null, 3_600_000, 0, new Random());
        CountingProcess.awaitGo(Path.of(args[3]));
        System.out.println("reports=" + recorder.mergeClosedPeriods().size());
    }
}
