package dev.candor.internal.upload;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;

/**
 * The name of a report file, {@code <period>_<report_id>.json}, as the state directory stores it in
 * {@code outbox/} and {@code sent/}. It exists so that a file is judged by its name before a byte
 * of it is read: a name that does not parse is not a report, and the period in the name says how
 * old the report is.
 *
 * <p>A period is a UTC day ({@code 2026-11-24}) or an ISO week ({@code 2026-W48}); a report id is a
 * UUID in its canonical form. Names starting with {@code .} or ending in {@code .tmp} are writes
 * in progress (see {@link AtomicFile}) and are never reports.
 */
final class ReportName {
    private final String fileName;
    private final String period;
    private final String reportId;
    private final LocalDate lastDay;

    private ReportName(String fileName, String period, String reportId, LocalDate lastDay) {
        this.fileName = fileName;
        this.period = period;
        this.reportId = reportId;
        this.lastDay = lastDay;
    }

    /** The file name of a report of {@code period} with id {@code reportId}, or an exception naming what is wrong. */
    static String of(String period, String reportId) {
        String name = period + "_" + reportId + ".json";
        if (parse(name) == null) {
            throw new IllegalArgumentException("report file name \"" + name + "\": the period must look like"
                    + " 2026-11-24 or 2026-W48 and the report id must be a UUID such as"
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
        LocalDate lastDay = lastDayOf(period);
        return lastDay == null ? null : new ReportName(fileName, period, reportId, lastDay);
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

    /** The last UTC day the period covers: the day itself, or the Sunday of the ISO week. */
    LocalDate lastDay() {
        return lastDay;
    }

    private static LocalDate lastDayOf(String period) {
        try {
            if (period.length() == 10 && digits(period, 0, 4) && period.charAt(4) == '-'
                    && digits(period, 5, 7) && period.charAt(7) == '-' && digits(period, 8, 10)) {
                return LocalDate.of(number(period, 0, 4), number(period, 5, 7), number(period, 8, 10));
            }
            if (period.length() == 8 && digits(period, 0, 4) && period.charAt(4) == '-'
                    && period.charAt(5) == 'W' && digits(period, 6, 8)) {
                int week = number(period, 6, 8);
                LocalDate inYear = LocalDate.of(number(period, 0, 4), 6, 1);
                if (week < 1 || week > inYear.range(IsoFields.WEEK_OF_WEEK_BASED_YEAR).getMaximum()) {
                    return null;
                }
                return inYear.with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, week)
                        .with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY));
            }
        } catch (DateTimeException e) {
            return null;
        }
        return null;
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
