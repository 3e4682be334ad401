package dev.candor.server.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An in-memory rate limit per sender that never keeps the sender's address: each address is
 * reduced to a keyed hash (HMAC-SHA-256) under a random salt that lives only in this object's
 * memory and is replaced every hour, together with every bucket keyed by the old salt. So an hour
 * later not even this process can tell whether two requests came from the same address.
 *
 * <p>Each sender has a token bucket: {@code burst} tokens, refilled evenly at {@code perMinute}. The
 * reports' limit takes a token per request ({@link #acquire}); the admin token's guard takes one per
 * request that carries a token and gives it back ({@link #giveBack}) unless the token was wrong.
 *
 * <p>At most {@value #MAX_TRACKED} senders are tracked. Past that, buckets that have refilled (a sender
 * quiet long enough to be as if new) are dropped, at most once a second; the new senders that still find
 * no room share one more bucket, while every tracked sender keeps its own. (Emptying every bucket
 * instead would let whoever sends from enough addresses lift everyone's limit, its own included; letting
 * the untracked through would give them no limit at all.)
 * Thread-safe.
 */
public final class PeerRateLimiter {
    private static final long HOUR_MILLIS = 3_600_000L;
    static final int MAX_TRACKED = 100_000;
    private static final long SWEEP_EVERY_MILLIS = 1_000;

    private final int burst;
    private final double perMilli;
    private final int maxTracked;
    private final LongSupplier millis;
    private final SecureRandom random = new SecureRandom();
    private final ThreadLocal<Mac> macs = new ThreadLocal<>();
    private volatile Salt salt;

    /** @param perMinute requests allowed per sender per minute (also its burst); 0 switches the limit off */
    public PeerRateLimiter(int perMinute) {
        this(perMinute, perMinute, System::currentTimeMillis, MAX_TRACKED);
    }

    PeerRateLimiter(int perMinute, LongSupplier millis) {
        this(perMinute, perMinute, millis, MAX_TRACKED);
    }

    /**
     * @param burst     tokens a sender starts with and may spend at once; 0 switches the limit off
     * @param perMinute tokens given back per minute, up to {@code burst}
     */
    public PeerRateLimiter(int burst, double perMinute, LongSupplier millis) {
        this(burst, perMinute, millis, MAX_TRACKED);
    }

    PeerRateLimiter(int burst, double perMinute, LongSupplier millis, int maxTracked) {
        if (burst < 0 || !(perMinute > 0 || burst == 0)) {
            throw new IllegalArgumentException("rate limit must be 0 (off) or more requests per minute: " + burst
                    + (burst == perMinute ? "" : " at once, " + perMinute + " per minute"));
        }
        this.burst = burst;
        this.perMilli = perMinute / 60_000.0;
        this.millis = millis;
        this.maxTracked = maxTracked;
    }

    /**
     * Takes one request from the sender's bucket.
     *
     * @param peerAddress the sender's address, used only to compute the in-memory key
     * @return 0 if the request may proceed, else the whole seconds to wait before retrying (≥ 1)
     */
    public long acquire(String peerAddress) {
        if (burst == 0) {
            return 0;
        }
        long now = millis.getAsLong();
        Salt current = currentSalt(now);
        ByteBuffer key = key(current, peerAddress);
        Bucket bucket = current.buckets.get(key);
        if (bucket == null) {
            if (current.buckets.size() >= maxTracked && !current.madeRoom(now, burst, perMilli, maxTracked)) {
                return current.overflow(burst, now).take(burst, perMilli, now); // see the class comment
            }
            bucket = current.buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
        }
        return bucket.take(burst, perMilli, now);
    }

    /**
     * Gives back the token {@link #acquire} took for a request that turned out not to count (the admin
     * token's guard takes one before it looks at a token, so that requests sent at once cannot all pass
     * its check, and gives it back when the token was right). Never beyond the burst.
     */
    public void giveBack(String peerAddress) {
        if (burst == 0) {
            return;
        }
        long now = millis.getAsLong();
        Salt current = currentSalt(now);
        Bucket bucket = current.buckets.get(key(current, peerAddress));
        if (bucket == null) {
            bucket = current.overflow;
        }
        if (bucket != null) {
            bucket.giveBack(burst, perMilli, now);
        }
    }

    /** How many senders are tracked now (for tests). */
    int tracked() {
        return currentSalt(millis.getAsLong()).buckets.size();
    }

    private Salt currentSalt(long now) {
        long hour = Math.floorDiv(now, HOUR_MILLIS);
        Salt current = salt;
        if (current == null || current.hour != hour) {
            synchronized (this) {
                current = salt;
                if (current == null || current.hour != hour) {
                    byte[] secret = new byte[32];
                    random.nextBytes(secret);
                    current = new Salt(hour, secret);
                    salt = current;
                }
            }
        }
        return current;
    }

    private ByteBuffer key(Salt current, String peerAddress) {
        try {
            Mac mac = macs.get();
            if (mac == null) {
                mac = Mac.getInstance("HmacSHA256");
                macs.set(mac);
            }
            mac.init(current.key);
            byte[] digest = mac.doFinal(peerAddress.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest, 0, 16).slice();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    private static final class Salt {
        final long hour;
        final SecretKeySpec key;
        final ConcurrentHashMap<ByteBuffer, Bucket> buckets = new ConcurrentHashMap<>();
        /** Shared by the new senders that find the table full; made when first needed. */
        volatile Bucket overflow;
        private long lastSweep = Long.MIN_VALUE / 2;

        synchronized Bucket overflow(int burst, long now) {
            if (overflow == null) {
                overflow = new Bucket(burst, now);
            }
            return overflow;
        }

        Salt(long hour, byte[] secret) {
            this.hour = hour;
            this.key = new SecretKeySpec(secret, "HmacSHA256");
        }

        /** Drops the buckets that have refilled, at most once a second; whether there is room now. */
        boolean madeRoom(long now, int burst, double perMilli, int maxTracked) {
            synchronized (this) {
                if (now - lastSweep >= SWEEP_EVERY_MILLIS || now < lastSweep - SWEEP_EVERY_MILLIS) {
                    lastSweep = now;
                    buckets.values().removeIf(bucket -> bucket.refilled(burst, perMilli, now));
                }
            }
            return buckets.size() < maxTracked;
        }
    }

    private static final class Bucket {
        private double tokens;
        private long lastMillis;

        Bucket(int capacity, long now) {
            this.tokens = capacity;
            this.lastMillis = now;
        }

        synchronized long take(int capacity, double perMilli, long now) {
            refill(capacity, perMilli, now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return secondsUntilOne(perMilli);
        }

        synchronized void giveBack(int capacity, double perMilli, long now) {
            refill(capacity, perMilli, now);
            tokens = Math.min(capacity, tokens + 1);
        }

        synchronized boolean refilled(int capacity, double perMilli, long now) {
            refill(capacity, perMilli, now);
            return tokens >= capacity;
        }

        private void refill(int capacity, double perMilli, long now) {
            tokens = Math.min(capacity, tokens + Math.max(0, now - lastMillis) * perMilli);
            lastMillis = Math.max(lastMillis, now);
        }

        private long secondsUntilOne(double perMilli) {
            return Math.max(1, (long) Math.ceil((1 - tokens) / perMilli / 1000.0));
        }
    }
}
