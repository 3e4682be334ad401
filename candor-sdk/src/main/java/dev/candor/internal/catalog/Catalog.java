package dev.candor.internal.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A parsed and validated catalog (DESIGN §3): everything an app may ever collect. Only
 * {@link CatalogParser} makes one, so every {@code Catalog} obeys every rule. Immutable.
 */
public final class Catalog {
    /**
     * How long one report's period lasts. Periods are in UTC. The arithmetic is done on epoch
     * milliseconds and days with plain longs (proleptic Gregorian calendar, as {@code java.time}),
     * so that the start of an app does not load {@code java.time}'s date classes.
     */
    public enum Period {
        /** A UTC day, named by its date: {@code 2026-11-24}. */
        DAY,
        /** An ISO week (Monday to Sunday, UTC), named by its Monday's date: {@code 2026-11-23}. */
        WEEK;

        private static final long MILLIS_PER_DAY = 86_400_000L;
        private static final String[] DAY_NAMES = {"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY",
            "SATURDAY", "SUNDAY"};

        /** The catalog's name for it: {@code "day"} or {@code "week"}. */
        public String jsonName() {
            return this == DAY ? "day" : "week";
        }

        /** The id of the period that holds {@code instant}. */
        public String idOf(Instant instant) {
            return idOfMillis(instant.toEpochMilli());
        }

        /** The id of the period that holds the moment {@code epochMillis}. */
        public String idOfMillis(long epochMillis) {
            long day = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
            if (this == WEEK) {
                day -= dayOfWeek(day);
            }
            return dateName(day);
        }

        /** When the period with this id starts; throws IllegalArgumentException for a malformed id. */
        public Instant start(String id) {
            return Instant.ofEpochMilli(startMillis(id));
        }

        /** {@link #start} in epoch milliseconds. */
        public long startMillis(String id) {
            return firstDay(id) * MILLIS_PER_DAY;
        }

        /** When the period with this id ends (exclusive): the start of the next period. */
        public Instant end(String id) {
            return Instant.ofEpochMilli(endMillis(id));
        }

        /** {@link #end} in epoch milliseconds. */
        public long endMillis(String id) {
            return (firstDay(id) + (this == DAY ? 1 : 7)) * MILLIS_PER_DAY;
        }

        /** Whether {@code id} names a period of this kind ({@code yyyy-mm-dd}, a Monday for weeks). */
        public boolean isId(String id) {
            try {
                firstDay(id);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        /** The epoch day of the id's date, checked: a real date, and a Monday for weeks. */
        private long firstDay(String id) {
            long day = parseDate(id);
            if (this == WEEK && dayOfWeek(day) != 0) {
                throw new IllegalArgumentException("a week is named by its Monday; " + id + " is a "
                        + DAY_NAMES[dayOfWeek(day)]);
            }
            return day;
        }

        /** 0 for Monday … 6 for Sunday; epoch day 0 (1970-01-01) was a Thursday. */
        private static int dayOfWeek(long epochDay) {
            return (int) Math.floorMod(epochDay + 3, 7L);
        }

        private static long parseDate(String id) {
            if (id == null || id.length() != 10 || id.charAt(4) != '-' || id.charAt(7) != '-') {
                throw notAnId(id);
            }
            int year = digits(id, 0, 4);
            int month = digits(id, 5, 7);
            int day = digits(id, 8, 10);
            if (year < 0 || month < 1 || month > 12 || day < 1 || day > monthLength(year, month)) {
                throw notAnId(id);
            }
            return epochDay(year, month, day);
        }

        private static int digits(String s, int from, int to) {
            int n = 0;
            for (int i = from; i < to; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                n = n * 10 + (c - '0');
            }
            return n;
        }

        private static IllegalArgumentException notAnId(String id) {
            return new IllegalArgumentException("not a period id (yyyy-mm-dd): " + id);
        }

        private static int monthLength(int year, int month) {
            if (month == 2) {
                boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
                return leap ? 29 : 28;
            }
            return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
        }

        /**
         * Days since 1970-01-01 of a date, counting in 400-year eras that start on March 1st (so the
         * leap day is the last day of its year).
         */
        static long epochDay(long year, int month, int day) {
            long y = month <= 2 ? year - 1 : year;
            long era = Math.floorDiv(y, 400);
            long yearOfEra = y - era * 400;
            int shiftedMonth = month > 2 ? month - 3 : month + 9;
            long dayOfYear = (153L * shiftedMonth + 2) / 5 + day - 1;
            long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
            return era * 146_097 + dayOfEra - 719_468;
        }

        /** {@code yyyy-mm-dd} of an epoch day, the way {@code LocalDate.toString} writes it. */
        static String dateName(long epochDay) {
            long z = epochDay + 719_468;
            long era = Math.floorDiv(z, 146_097);
            long dayOfEra = z - era * 146_097;
            long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
            long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
            int shiftedMonth = (int) ((5 * dayOfYear + 2) / 153);
            int day = (int) (dayOfYear - (153L * shiftedMonth + 2) / 5 + 1);
            int month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
            long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
            if (year < 0 || year > 9999) {
                return java.time.LocalDate.ofEpochDay(epochDay).toString(); // a clock far off: LocalDate's own form
            }
            char[] out = new char[10];
            put(out, 0, (int) year, 4);
            out[4] = '-';
            put(out, 5, month, 2);
            out[7] = '-';
            put(out, 8, day, 2);
            return new String(out);
        }

        private static void put(char[] out, int at, int value, int width) {
            for (int i = at + width - 1; i >= at; i--) {
                out[i] = (char) ('0' + value % 10);
                value /= 10;
            }
        }
    }

    private final String app;
    private final String title;
    private final String owner;
    private final String policyUrl;
    private final String endpoint;
    private final Period period;
    private final int retentionDays;
    private final int maxPerCell;
    private final List<String> packages;
    private final List<EventSpec> events;
    private final List<String> warnings;
    /** The exact file this catalog was read from (shared with {@link #recording} copies; never changed). */
    private final byte[] file;
    /** The file's SHA-256, taken on first use: it costs milliseconds of a cold JVM, and most starts never need it. */
    private volatile String sha256;
    /** Every event of the catalog file; {@link #events} may be fewer (see {@link CatalogDiff#agreedPart}). */
    private final List<EventSpec> allEvents;

    /** SHA-256's round constants: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
    private static final int[] K = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    };

    /** {@code allEvents}: every event of the file ({@code events} itself, but for {@link #recording}). */
    Catalog(String app, String title, String owner, String policyUrl, String endpoint, Period period,
            int retentionDays, int maxPerCell, List<String> packages, List<EventSpec> events,
            List<EventSpec> allEvents, List<String> warnings, byte[] file, String sha256) {
        this.app = app;
        this.title = title;
        this.owner = owner;
        this.policyUrl = policyUrl;
        this.endpoint = endpoint;
        this.period = period;
        this.retentionDays = retentionDays;
        this.maxPerCell = maxPerCell;
        this.packages = Collections.unmodifiableList(new ArrayList<>(packages));
        this.events = Collections.unmodifiableList(new ArrayList<>(events));
        this.warnings = Collections.unmodifiableList(new ArrayList<>(warnings));
        this.file = file;
        this.sha256 = sha256;
        this.allEvents = allEvents == events ? this.events : Collections.unmodifiableList(new ArrayList<>(allEvents));
    }

    /**
     * This catalog recording only {@code recorded} (each one of its events, possibly with fewer
     * values), still naming the whole file (its sha256 and {@link #allEvents}): what an install
     * records while some items of the catalog wait for the user's agreement.
     */
    Catalog recording(List<EventSpec> recorded) {
        return new Catalog(app, title, owner, policyUrl, endpoint, period, retentionDays, maxPerCell, packages,
                recorded, allEvents, warnings, file, sha256);
    }

    /** The app's name, e.g. {@code acme}: lower case, used in variable names and paths. */
    public String app() {
        return app;
    }

    public String title() {
        return title;
    }

    public String owner() {
        return owner;
    }

    public String policyUrl() {
        return policyUrl;
    }

    /** Where reports go, unless {@code <APP>_TELEMETRY_ENDPOINT} overrides it. */
    public String endpoint() {
        return endpoint;
    }

    public Period period() {
        return period;
    }

    /** How long the collector keeps raw reports (default 90). */
    public int retentionDays() {
        return retentionDays;
    }

    /** The most one install reports for one cell in one period (default 100). */
    public int maxPerCell() {
        return maxPerCell;
    }

    /**
     * The app's own Java packages (catalog key {@code "packages"}): error types from these packages
     * are reported by class name, like {@code java.*} and {@code javax.*}.
     */
    public List<String> packages() {
        return packages;
    }

    /**
     * The events that may be recorded, in catalog order: every event of the file, unless this is the
     * part of a newer catalog that the user agreed to ({@link CatalogDiff#agreedPart}).
     */
    public List<EventSpec> events() {
        return events;
    }

    /**
     * Every event of the catalog file, recorded or not: what a report's {@code noise} section names
     * (DESIGN §5), since the report follows the whole file ({@link #sha256}). Usually {@link #events}.
     */
    public List<EventSpec> allEvents() {
        return allEvents;
    }

    /** The event with this name, or null. */
    public EventSpec event(String name) {
        for (EventSpec e : events) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** The cells of all events together, as counted against the limit of 2,000. */
    public long totalCells() {
        long n = 0;
        for (EventSpec e : events) {
            n += e.cellCount();
        }
        return n;
    }

    /** Advice that does not stop the catalog from being used, each line naming file and path. */
    public List<String> warnings() {
        return warnings;
    }

    /** True when {@code bytes} are exactly the file this catalog was read from. */
    public boolean isFile(byte[] bytes) {
        return Arrays.equals(bytes, file);
    }

    /** The SHA-256 of the exact catalog file bytes, lower-case hex; reports name it. */
    public String sha256() {
        String s = sha256;
        if (s == null) {
            s = sha256Hex(file);
            sha256 = s; // the same value whichever thread computes it first
        }
        return s;
    }

    /**
     * SHA-256 (FIPS 180-4) of {@code bytes} as 64 lower-case hex digits. Written out here rather than taken from
     * {@code MessageDigest} because every app start hashes its catalog, and the JDK's provider framework
     * (security providers, their service tables, method handles for the byte order) costs a short-lived
     * command-line run about 70 classes and tens of milliseconds. Tests compare it with {@code MessageDigest}.
     */
    static String sha256Hex(byte[] bytes) {
        // The first 32 bits of the fractional parts of the square roots of the first 8 primes.
        int[] h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
        // The message, a 1 bit, zeros, and its length in bits as 64-bit big-endian: a multiple of 64 bytes.
        int padded = ((bytes.length + 8) / 64 + 1) * 64;
        byte[] message = new byte[padded];
        System.arraycopy(bytes, 0, message, 0, bytes.length);
        message[bytes.length] = (byte) 0x80;
        long bits = (long) bytes.length * 8;
        for (int i = 0; i < 8; i++) {
            message[padded - 1 - i] = (byte) (bits >>> (8 * i));
        }
        int[] w = new int[64];
        for (int block = 0; block < padded; block += 64) {
            for (int t = 0; t < 16; t++) {
                int at = block + 4 * t;
                w[t] = (message[at] & 0xFF) << 24 | (message[at + 1] & 0xFF) << 16 | (message[at + 2] & 0xFF) << 8
                        | (message[at + 3] & 0xFF);
            }
            for (int t = 16; t < 64; t++) {
                int s0 = Integer.rotateRight(w[t - 15], 7) ^ Integer.rotateRight(w[t - 15], 18) ^ (w[t - 15] >>> 3);
                int s1 = Integer.rotateRight(w[t - 2], 17) ^ Integer.rotateRight(w[t - 2], 19) ^ (w[t - 2] >>> 10);
                w[t] = w[t - 16] + s0 + w[t - 7] + s1;
            }
            int a = h[0];
            int b = h[1];
            int c = h[2];
            int d = h[3];
            int e = h[4];
            int f = h[5];
            int g = h[6];
            int hh = h[7];
            for (int t = 0; t < 64; t++) {
                int sum1 = Integer.rotateRight(e, 6) ^ Integer.rotateRight(e, 11) ^ Integer.rotateRight(e, 25);
                int choose = (e & f) ^ (~e & g);
                int t1 = hh + sum1 + choose + K[t] + w[t];
                int sum0 = Integer.rotateRight(a, 2) ^ Integer.rotateRight(a, 13) ^ Integer.rotateRight(a, 22);
                int majority = (a & b) ^ (a & c) ^ (b & c);
                int t2 = sum0 + majority;
                hh = g;
                g = f;
                f = e;
                e = d + t1;
                d = c;
                c = b;
                b = a;
                a = t1 + t2;
            }
            h[0] += a;
            h[1] += b;
            h[2] += c;
            h[3] += d;
            h[4] += e;
            h[5] += f;
            h[6] += g;
            h[7] += hh;
        }
        char[] out = new char[64];
        for (int i = 0; i < 8; i++) {
            for (int nibble = 0; nibble < 8; nibble++) {
                out[8 * i + nibble] = Character.forDigit((h[i] >>> (28 - 4 * nibble)) & 0xF, 16);
            }
        }
        return new String(out);
    }
}
