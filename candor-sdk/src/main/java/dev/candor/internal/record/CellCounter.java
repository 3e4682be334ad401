package dev.candor.internal.record;

import dev.candor.Counter;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The handle of one resolved cell: a counter that many threads add to without a lock, and that the
 * recorder's flusher drains with {@link #drain()}. In debug mode a subclass also prints each recorded event.
 *
 * <p>Why not a {@code LongAdder}: its first use in a JVM sets up the {@code VarHandle} machinery and spins
 * several method-handle classes, milliseconds of every app's start (measured in candor-bench). This is the
 * same idea built on {@link AtomicLong}, which the JDK's class-data archive holds and which needs none of
 * that: the cell itself is the base count, and only when two threads collide on it (a failed
 * compare-and-set) does it grow {@value #STRIPES} padded stripes, picked by thread, so that threads
 * counting the same cell at once stop contending for one cache line. Uncontended, {@link #increment()}
 * is one volatile read and one compare-and-set; it never allocates once the stripes exist.
 */
class CellCounter extends AtomicLong implements Counter {
    private static final long serialVersionUID = 1L;
    /** Stripes once contended: 2^{@value #STRIPE_BITS}. Threads pick theirs by id, so a few threads rarely share one. */
    static final int STRIPE_BITS = 3;
    static final int STRIPES = 1 << STRIPE_BITS;

    /** Null until two threads first collided on the base count. */
    private volatile Stripe[] stripes;

    @Override
    public void increment() {
        Stripe[] s = stripes;
        if (s == null) {
            long v = get();
            if (compareAndSet(v, v + 1)) {
                return;
            }
            s = contended();
        }
        s[stripe()].getAndIncrement();
    }

    /** Adds {@code n} when it is positive; a count never goes down. */
    @Override
    public void add(long n) {
        if (n <= 0) {
            return;
        }
        Stripe[] s = stripes;
        if (s == null) {
            long v = get();
            if (compareAndSet(v, v + n)) {
                return;
            }
            s = contended();
        }
        s[stripe()].getAndAdd(n);
    }

    /**
     * This thread's stripe: the top bits of its id's Fibonacci hash, so that threads made one after the
     * other, or whose ids differ by a multiple of the stripe count, still land apart.
     */
    private static int stripe() {
        return (int) (Thread.currentThread().getId() * 0x9E3779B97F4A7C15L >>> (64 - STRIPE_BITS));
    }

    private synchronized Stripe[] contended() {
        Stripe[] s = stripes;
        if (s == null) {
            s = new Stripe[STRIPES];
            for (int i = 0; i < STRIPES; i++) {
                s[i] = new Stripe();
            }
            stripes = s;
        }
        return s;
    }

    /**
     * Handles given out before the recorder existed (see {@link PendingCounters}) that count for this
     * same cell; null for none. Only ever grows, under this counter's lock.
     */
    private volatile CellCounter joined;

    /** Makes {@code early}'s counts, past and future, part of this cell's. */
    synchronized void join(CellCounter early) {
        if (early == this) {
            return;
        }
        CellCounter last = this;
        while (last.joined != null) {
            last = last.joined;
        }
        last.joined = early;
    }

    /** The count since the last drain, without draining it. */
    long peek() {
        long n = 0;
        for (CellCounter c = this; c != null; c = c.joined) {
            n += c.own(false);
        }
        return n;
    }

    /** The count since the last drain; counts added meanwhile are kept for the next one. */
    long drain() {
        long n = 0;
        for (CellCounter c = this; c != null; c = c.joined) {
            n += c.own(true);
        }
        return n;
    }

    /** This handle's own count (base and stripes), taken to zero with {@code reset}. */
    private long own(boolean reset) {
        long n = reset ? getAndSet(0) : get();
        Stripe[] s = stripes;
        if (s != null) {
            for (Stripe stripe : s) {
                n += reset ? stripe.getAndSet(0) : stripe.get();
            }
        }
        return n;
    }

    /**
     * One stripe of a contended cell, padded to two cache lines so that stripes made one after the other
     * never share a line (or a prefetched pair of lines) with each other.
     */
    @SuppressWarnings("unused")
    static final class Stripe extends AtomicLong {
        private static final long serialVersionUID = 1L;
        private long p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15;
    }

    /** Adds like its parent and hands each recorded event to the debug sink as exact JSON. */
    static final class Debugging extends CellCounter {
        private static final long serialVersionUID = 1L;
        private final String jsonPrefix;
        private final Consumer<String> sink;

        private Debugging(String jsonPrefix, Consumer<String> sink) {
            this.jsonPrefix = jsonPrefix;
            this.sink = sink;
        }

        /**
         * A debugging counter; {@code jsonPrefix} is the event's JSON up to {@code "n":}, e.g. {@code
         * {"event":"x","a":"b","n":}. Its type is the parent's, so that verifying a caller never loads this
         * class: only a debug run does.
         */
        static CellCounter of(String jsonPrefix, Consumer<String> sink) {
            return new Debugging(jsonPrefix, sink);
        }

        @Override
        public void increment() {
            super.increment();
            show(1);
        }

        @Override
        public void add(long n) {
            if (n > 0) {
                super.add(n);
                show(n);
            }
        }

        private void show(long n) {
            try {
                sink.accept(jsonPrefix + n + "}");
            } catch (RuntimeException ignored) {
                // a debug sink must never break the host
            }
        }
    }
}
