package dev.candor.internal.upload;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * The name of a report file, {@code <period>_<report_id>.json}, as the state directory stores it in
 * {@code outbox/} and {@code sent/}. It exists so that a file is judged by its name before a byte
 * of it is read: a name that does not parse is not a report, and the period in the name says how
 * old the report is.
 *
 * <p>A period is named by its first UTC day ({@code 2026-11-24}; a weekly catalog's weeks by their
 * Monday, see {@code Catalog.Period}); a report id is a UUID in its canonical form. Names starting with {@code .} or ending in {@code .tmp} are writes
 * in progress (see {@link AtomicFile}) and are never reports.
 */
final class ReportName {
    private final String fileName;
    private final String period;
    private final String reportId;
    private final LocalDate firstDay;

    private ReportName(String fileName, String period, String reportId, LocalDate firstDay) {
        this.fileName = fileName;
        this.period = period;
        this.reportId = reportId;
        this.firstDay = firstDay;
    }

    /** The file name of a report of {@code period} with id {@code reportId}, or an exception naming what is wrong. */
    static String of(String period, String reportId) {
        String name = period + "_" + reportId + ".json";
        if (parse(name) == null) {
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

    /** The parsed name, or {@code null} when {@code fileName} is not the name of a report file. */
    static ReportName parse(String fileName) {
        if (!fileName.endsWith(".json")) {
            return null;
        }
        int underscore = fileName.indexOf('_');
        if (underscore < 0) {
            return null;
        }
        String period = fileName.substring(0, underscore);
        String reportId = fileName.substring(underscore + 1, fileName.length() - ".json".length());
        if (!isUuid(reportId)) {
            return null;
        }
        LocalDate firstDay = dateOf(period);
        return firstDay == null ? null : new ReportName(fileName, period, reportId, firstDay);
    }

    String fileName() {
        return fileName;
    }

    String period() {
        return period;
    }

    String reportId() {
        return reportId;
    }

    /** The first UTC day of the period: the period's name as a date. */
    LocalDate firstDay() {
        return firstDay;
    }

    private static LocalDate dateOf(String period) {
        if (period.length() != 10 || !digits(period, 0, 4) || period.charAt(4) != '-'
                || !digits(period, 5, 7) || period.charAt(7) != '-' || !digits(period, 8, 10)) {
            return null;
        }
        try {
            return LocalDate.of(number(period, 0, 4), number(period, 5, 7), number(period, 8, 10));
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static boolean isUuid(String s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static int number(String s, int from, int to) {
        return Integer.parseInt(s.substring(from, to));
    }

    @Override
    public String toString() {
        return fileName;
    }
}
