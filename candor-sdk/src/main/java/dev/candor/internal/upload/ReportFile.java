package dev.candor.internal.upload;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;

/**
 * One report as stored in {@code outbox/} or {@code sent/}: its name and its exact bytes, the wire
 * format v1 JSON that is (or was) sent. It exists so that {@code telemetry show} can print exactly
 * what leaves the machine, byte for byte. Immutable; {@link #bytes()} returns a copy.
 *
 * <p>The file name, {@code <period>_<report_id>.json}, is judged before a byte of the file is read
 * ({@link #firstDayOf}): a name that does not parse is not a report, and the period in the name
 * says how old the report is. A period is named by its first UTC day ({@code 2026-11-24}; a weekly
 * catalog's weeks by their Monday, see {@code Catalog.Period}); a report id is a UUID in its
 * canonical form. Names starting with {@code .} or ending in {@code .tmp} are writes in progress
 * (see {@link Outbox#writeAtomically}) and are never reports.
 */
public final class ReportFile {
    private static final int PERIOD_LENGTH = 10;
    private static final int UUID_LENGTH = 36;

    private final Path path;
    private final String fileName;
    private final LocalDate firstDay;
    private final byte[] bytes;
    private final Instant lastModified;

    /** {@code path} must be named like a report ({@link #firstDayOf} is not null). */
    ReportFile(Path path, byte[] bytes, Instant lastModified) {
        this.path = path;
        this.fileName = path.getFileName().toString();
        this.firstDay = firstDayOf(fileName);
        this.bytes = bytes;
        this.lastModified = lastModified;
    }

    /** The file name of a report of {@code period} with id {@code reportId}, or an exception naming what is wrong. */
    static String nameOf(String period, String reportId) {
        String name = period + "_" + reportId + ".json";
        if (firstDayOf(name) == null) {
            throw new IllegalArgumentException("report file name \"" + name + "\": the period must be a date"
                    + " such as 2026-11-24 and the report id a lower-case UUID such as"
                    + " 7f1c9e0a-2b3c-4d5e-8f90-a1b2c3d4e5f6");
        }
        return name;
    }

    /** Whether {@code fileName} is a write in progress (a temporary file another writer will rename). */
    static boolean isTemporary(String fileName) {
        return fileName.startsWith(".") || fileName.endsWith(".tmp");
    }

    /**
     * The first UTC day of the period a report file named {@code fileName} covers, or {@code null}
     * when {@code fileName} is not the name of a report file.
     */
    static LocalDate firstDayOf(String fileName) {
        if (fileName.length() != PERIOD_LENGTH + 1 + UUID_LENGTH + ".json".length() || !fileName.endsWith(".json")
                || fileName.charAt(PERIOD_LENGTH) != '_') {
            return null;
        }
        for (int i = 0; i < UUID_LENGTH; i++) {
            char c = fileName.charAt(PERIOD_LENGTH + 1 + i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return null;
            }
        }
        for (int i = 0; i < PERIOD_LENGTH; i++) {
            char c = fileName.charAt(i);
            if (i == 4 || i == 7 ? c != '-' : c < '0' || c > '9') {
                return null;
            }
        }
        try { // LocalDate.of, not LocalDate.parse: no formatter classes for a listing of the outbox
            return LocalDate.of(Integer.parseInt(fileName.substring(0, 4)), Integer.parseInt(fileName.substring(5, 7)),
                    Integer.parseInt(fileName.substring(8, PERIOD_LENGTH)));
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The file name, {@code <period>_<report_id>.json}. */
    public String fileName() {
        return fileName;
    }

    /** The period the report covers, as in its name and its {@code period} key. */
    public String period() {
        return fileName.substring(0, PERIOD_LENGTH);
    }

    /** The report's random id, as in its name and its {@code report_id} key. */
    public String reportId() {
        return fileName.substring(PERIOD_LENGTH + 1, PERIOD_LENGTH + 1 + UUID_LENGTH);
    }

    /** The first UTC day of the period: the period's name as a date. */
    LocalDate firstDay() {
        return firstDay;
    }

    /** Where the file is (or was, if it has since been sent or removed). */
    public Path path() {
        return path;
    }

    /** The exact bytes of the report: UTF-8 JSON in wire format v1. A fresh copy each call. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The report as text, exactly as it is sent. */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The file's size in bytes. */
    public int size() {
        return bytes.length;
    }

    /** When the file was last written: for {@code sent/}, when the report was sent. */
    public Instant lastModified() {
        return lastModified;
    }

    byte[] sharedBytes() {
        return bytes;
    }

    @Override
    public String toString() {
        return fileName;
    }

    /**
     * The two orders of report files, ties broken by name: the outbox's, oldest period first, then the
     * earlier written; and the order of sending, for {@code sent/}, the earlier written first, then the
     * older period. A named class rather than a lambda: the first lambda in a JVM loads about a hundred
     * {@code java.lang.invoke} classes.
     */
    static final class Order implements Comparator<ReportFile> {
        static final Order OLDEST_PERIOD_FIRST = new Order(false);
        static final Order AS_SENT = new Order(true);

        private final boolean byTimeFirst;

        private Order(boolean byTimeFirst) {
            this.byTimeFirst = byTimeFirst;
        }

        @Override
        public int compare(ReportFile a, ReportFile b) {
            int byPeriod = a.firstDay.compareTo(b.firstDay);
            int byTime = a.lastModified.compareTo(b.lastModified);
            int first = byTimeFirst ? byTime : byPeriod;
            int second = byTimeFirst ? byPeriod : byTime;
            return first != 0 ? first : second != 0 ? second : a.fileName.compareTo(b.fileName);
        }
    }
}
