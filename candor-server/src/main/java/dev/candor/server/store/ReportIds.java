package dev.candor.server.store;

import java.util.UUID;

/**
 * A report's id as the SQLite store keeps it: the UUID's 16 bytes, most significant first, which are the
 * hex digits of its text form in order (so {@code hex(report_id)} in SQL reads as the id without dashes).
 * Sixteen bytes instead of 36 characters halve the dedupe index, the one B-tree every new report writes at
 * a random place.
 */
final class ReportIds {
    private ReportIds() {}

    static byte[] bytes(UUID id) {
        byte[] bytes = new byte[16];
        long high = id.getMostSignificantBits();
        long low = id.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (high >>> (56 - 8 * i));
            bytes[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return bytes;
    }

    static UUID uuid(byte[] bytes) {
        if (bytes.length != 16) {
            throw new IllegalArgumentException("a report id is 16 bytes, not " + bytes.length);
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (bytes[i] & 0xff);
            low = (low << 8) | (bytes[8 + i] & 0xff);
        }
        return new UUID(high, low);
    }
}
