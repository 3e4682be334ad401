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
 * <p>Each sender has a token bucket of {@code perMinute} tokens, refilled evenly over a minute.
 * Thread-safe.
 */
public final class PeerRateLimiter {
    private static final long HOUR_MILLIS = 3_600_000L;
    private static final int MAX_TRACKED = 100_000;

    private final int perMinute;
    private final LongSupplier millis;
    private final SecureRandom random = new SecureRandom();
    private final ThreadLocal<Mac> macs = new ThreadLocal<>();
    private volatile Salt salt;

    /** @param perMinute requests allowed per sender per minute; 0 switches the limit off */
    public PeerRateLimiter(int perMinute) {
        this(perMinute, System::currentTimeMillis);
    }

    PeerRateLimiter(int perMinute, LongSupplier millis) {
        if (perMinute < 0) {
            throw new IllegalArgumentException("rate limit must be 0 (off) or more requests per minute: " + perMinute);
        }
        this.perMinute = perMinute;
        this.millis = millis;
    }

    /**
     * Takes one request from the sender's bucket.
     *
     * @param peerAddress the sender's address, used only to compute the in-memory key
     * @return 0 if the request may proceed, else the whole seconds to wait before retrying (≥ 1)
     */
    public long acquire(String peerAddress) {
        if (perMinute == 0) {
            return 0;
        }
        long now = millis.getAsLong();
        Salt current = currentSalt(now);
        Bucket bucket = current.buckets.computeIfAbsent(key(current, peerAddress), k -> new Bucket(perMinute, now));
        return bucket.take(perMinute, now);
    }

    private Salt currentSalt(long now) {
        long hour = Math.floorDiv(now, HOUR_MILLIS);
        Salt current = salt;
        if (current == null || current.hour != hour || current.buckets.size() > MAX_TRACKED) {
            synchronized (this) {
                current = salt;
                if (current == null || current.hour != hour || current.buckets.size() > MAX_TRACKED) {
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

        Salt(long hour, byte[] secret) {
            this.hour = hour;
            this.key = new SecretKeySpec(secret, "HmacSHA256");
        }
    }

    private static final class Bucket {
        private double tokens;
        private long lastMillis;

        Bucket(int capacity, long now) {
            this.tokens = capacity;
            this.lastMillis = now;
        }

        synchronized long take(int perMinute, long now) {
            double perMilli = perMinute / 60_000.0;
            tokens = Math.min(perMinute, tokens + Math.max(0, now - lastMillis) * perMilli);
            lastMillis = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perMilli / 1000.0));
        }
    }
}
