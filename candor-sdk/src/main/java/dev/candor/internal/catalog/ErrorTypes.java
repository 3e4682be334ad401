package dev.candor.internal.catalog;

import java.util.List;

/**
 * Reduces a throwable to the value of an {@code error_type} field: its class name when the class
 * is in {@code java.*}, {@code javax.*} or one of the app's own packages (the catalog's
 * {@code "packages"}), else {@code "other"}. Class names of third-party code could say which
 * libraries or plugins a user runs, and messages could carry anything a user typed, so neither
 * is ever kept. Stateless and thread-safe.
 */
public final class ErrorTypes {
    /** The value for every error type that is not reported by name. */
    public static final String OTHER = "other";

    private ErrorTypes() {
    }

    /** The error type of {@code error}; {@code "other"} for null or a class outside the allowed packages. */
    public static String reduce(Throwable error, List<String> ownPackages) {
        if (error == null) {
            return OTHER;
        }
        return reduce(error.getClass().getName(), ownPackages);
    }

    /** The error type of a class name, as {@link #reduce(Throwable, List)}. */
    public static String reduce(String className, List<String> ownPackages) {
        return isReportable(className, ownPackages) ? className : OTHER;
    }

    /**
     * Whether {@code value} may appear as an error type in a report of an app with these packages:
     * {@code "other"}, or a class name in {@code java.*}, {@code javax.*} or an own package, shaped as
     * Java class names are (see {@link #isClassNameBelow}). The collector uses this to validate reports,
     * so the SDK and the collector agree on every value.
     */
    public static boolean isAllowedValue(String value, List<String> ownPackages) {
        return OTHER.equals(value) || isReportable(value, ownPackages);
    }

    private static boolean isReportable(String className, List<String> ownPackages) {
        if (className == null || className.length() > 200) {
            return false;
        }
        if (isClassNameBelow(className, "java") || isClassNameBelow(className, "javax")) {
            return true;
        }
        if (ownPackages != null) {
            for (String p : ownPackages) {
                if (p != null && isClassNameBelow(className, p)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether {@code className} is a class in {@code pkg} or a subpackage, named as Java names classes:
     * lower-case ASCII package names, then the class's name starting with a capital ASCII letter,
     * {@code $} joining a nested or anonymous class ({@code java.util.zip.ZipException},
     * {@code com.acme.io.Parser$BadInput}). Every class name the JDK and conventional code give a
     * throwable has this shape; free text mostly does not: a property key ({@code java.io.tmpdir}), a file
     * ({@code java.txt}), a host ({@code java.example.org}), words in other scripts. Those fold into
     * {@code "other"} in the SDK and are refused by the collector.
     */
    static boolean isClassNameBelow(String className, String pkg) {
        int start = pkg.length() + 1;
        if (className.length() <= start || !className.startsWith(pkg) || className.charAt(pkg.length()) != '.') {
            return false;
        }
        int lastDot = className.lastIndexOf('.');
        for (int i = start; i < lastDot; i++) { // the subpackages, if any
            char c = className.charAt(i);
            boolean segmentStart = className.charAt(i - 1) == '.';
            if (c == '.' ? segmentStart : !(isLower(c) || c == '_' || (!segmentStart && isDigit(c)))) {
                return false;
            }
        }
        if (lastDot >= start && className.charAt(lastDot - 1) == '.') {
            return false;
        }
        if (lastDot == className.length() - 1
                || !(className.charAt(lastDot + 1) >= 'A' && className.charAt(lastDot + 1) <= 'Z')) {
            return false;
        }
        for (int i = lastDot + 2; i < className.length(); i++) { // the class name
            char c = className.charAt(i);
            if (!(isLower(c) || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '_' || c == '$')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLower(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
