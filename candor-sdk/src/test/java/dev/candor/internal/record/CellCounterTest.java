package dev.candor.internal.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A cell's counter loses nothing when many threads count at once while another drains it. */
class CellCounterTest {
    @Test
    void threadsCountingAtOnceWhileOneDrainsLoseNothing() throws InterruptedException {
        CellCounter cell = new CellCounter();
        CellCounter early = new CellCounter();
        cell.join(early);
        int threads = 6;
        int each = 200_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> counting = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    if (id % 3 == 0) {
                        early.increment(); // a handle given out before the recorder, joined to the cell
                    } else if (i % 2 == 0) {
                        cell.add(2);
                        i++;
                    } else {
                        cell.increment();
                    }
                }
            });
            th.start();
            counting.add(th);
        }
        AtomicLong drained = new AtomicLong();
        Thread drainer = new Thread(() -> {
            while (counting.stream().anyMatch(Thread::isAlive)) {
                drained.addAndGet(cell.drain());
            }
        });
        go.countDown();
        drainer.start();
        for (Thread th : counting) {
            th.join();
        }
        drainer.join();
        assertThat(drained.get() + cell.drain()).isEqualTo((long) threads * each);
        assertThat(cell.peek()).isZero();
    }

    @Test
    void aCountNeverGoesDown() {
        CellCounter cell = new CellCounter();
        cell.add(-5);
        cell.add(0);
        cell.add(3);
        assertThat(cell.drain()).isEqualTo(3);
    }
}
