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
     * {@code "other"}, or a well-formed class name in {@code java.*}, {@code javax.*} or an own
     * package. The collector uses this to validate reports.
     */
    public static boolean isAllowedValue(String value, List<String> ownPackages) {
        return OTHER.equals(value) || isReportable(value, ownPackages);
    }

    private static boolean isReportable(String className, List<String> ownPackages) {
        if (className == null || className.length() > 200 || !isBinaryClassName(className)) {
            return false;
        }
        if (inPackage(className, "java") || inPackage(className, "javax")) {
            return true;
        }
        if (ownPackages != null) {
            for (String p : ownPackages) {
                if (p != null && inPackage(className, p)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean inPackage(String className, String pkg) {
        return className.length() > pkg.length() + 1 && className.startsWith(pkg)
                && className.charAt(pkg.length()) == '.';
    }

    /** Dotted Java identifiers, with {@code $} for nested classes; no hidden-class suffixes. */
    private static boolean isBinaryClassName(String s) {
        boolean segmentStart = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (segmentStart) {
                    return false;
                }
                segmentStart = true;
            } else if (segmentStart ? Character.isJavaIdentifierStart(c) : Character.isJavaIdentifierPart(c)) {
                if (Character.isIdentifierIgnorable(c)) {
                    return false;
                }
                segmentStart = false;
            } else {
                return false;
            }
        }
        return !segmentStart;
    }
}
