package dev.candor.internal.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.Counter;
import dev.candor.Mode;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Handles given out before the recorder exists count in the cells they name once it adopts them. */
class PendingCountersTest {
    @TempDir
    Path state;

    private Recorder recorder() {
        return new Recorder(TestCatalogs.acme(), state, Mode.ON, new TestClock("2026-11-24T10:00:00Z"),
                RecorderTest.CONTEXT, "2.0.1", null, 3_600_000, 0, new Random(1));
    }

    @Test
    void earlyHandlesJoinTheirCellsWithWhatTheyCountedSoFarAndAfter() {
        PendingCounters pending = new PendingCounters();
        Counter a = pending.counter("command_run", new String[] {"command", "convert", "success", "true", "duration", "<100ms"});
        Counter b = pending.counter("command_run", new String[] {"duration", "<100ms", "success", "true", "command", "convert"});
        Counter bad = pending.counter("command_run", new String[] {"command", "bogus", "success", "true", "duration", "<100ms"});
        Counter unknown = pending.counter("no_such_event", new String[0]);
        a.increment();
        b.add(3);
        bad.increment();
        unknown.increment();
        Recorder r = recorder();
        pending.adoptInto(r);
        Counter resolved = r.counter("command_run", "command", "convert", "success", "true", "duration", "<100ms");
        resolved.increment();
        a.increment();
        String totals = r.runningTotals();
        assertThat(totals).contains("\"n\": 6").doesNotContain("bogus").doesNotContain("no_such_event");
        assertThat(pending.counter("command_run", new String[0])).isNull(); // the recorder answers from now on
    }

    @Test
    void aCellCountsItsJoinedHandlesInEveryDrain() {
        CellCounter cell = new CellCounter();
        CellCounter early = new CellCounter();
        early.add(2);
        cell.join(early);
        cell.join(cell);
        cell.increment();
        assertThat(cell.peek()).isEqualTo(3);
        assertThat(cell.drain()).isEqualTo(3);
        early.increment();
        assertThat(cell.drain()).isEqualTo(1);
        assertThat(cell.drain()).isZero();
    }

    @Test
    void afterADiscardNoMoreEarlyHandlesAreGiven() {
        PendingCounters discarded = new PendingCounters();
        assertThat(discarded.counter("e", new String[0])).isNotNull();
        discarded.discard();
        assertThat(discarded.counter("e", new String[0])).isNull();
    }
}
