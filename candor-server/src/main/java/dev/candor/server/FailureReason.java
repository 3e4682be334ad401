package dev.candor.server;

import java.io.EOFException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * Turns a failure into the plain reason an operator reads after "cannot do X:": "no such file or
 * folder", "permission denied", "connection refused". Java's own messages often hold only the
 * path ({@code NoSuchFileException}) or nothing at all (the HTTP client's {@code ConnectException}),
 * so every command message built from an exception goes through {@link #of(Throwable)}.
 */
public final class FailureReason {
    private FailureReason() {
    }

    /**
     * The reason for {@code failure}, from the most telling exception in its cause chain; never
     * null or empty, never a stack trace.
     */
    public static String of(Throwable failure) {
        Throwable deepest = failure;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String known = known(t);
            if (known != null) {
                return known;
            }
            deepest = t;
        }
        for (Throwable t = deepest; t != null; t = t == failure ? null : parentOf(failure, t)) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return words(failure.getClass().getSimpleName());
    }

    /**
     * Like {@link #of(Throwable)}, naming the file the failure happened on when it is not {@code about}
     * itself: creating {@code out/T.md} can fail on its folder {@code out}.
     */
    public static String of(Throwable failure, java.nio.file.Path about) {
        String reason = of(failure);
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FileSystemException fs && fs.getFile() != null
                    && !fs.getFile().equals(String.valueOf(about))) {
                return fs.getFile() + ": " + reason;
            }
        }
        return reason;
    }

    private static String known(Throwable t) {
        if (t instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (t instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (t instanceof NotDirectoryException) {
            return "is not a folder";
        }
        if (t instanceof FileAlreadyExistsException) {
            return "a file of that name already exists";
        }
        if (t instanceof DirectoryNotEmptyException) {
            return "the folder is not empty";
        }
        if (t instanceof FileSystemException fs && fs.getReason() != null) {
            return systemReason(fs.getReason());
        }
        if (t instanceof BindException) {
            return bindReason(t.getMessage());
        }
        if (t instanceof ConnectException) {
            String m = t.getMessage();
            return m == null || m.isBlank() || m.toLowerCase(Locale.ROOT).contains("refused") ? "connection refused"
                    : lowerFirst(m);
        }
        if (t instanceof HttpConnectTimeoutException) {
            return "no connection within the time limit";
        }
        if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
            return "no answer within the time limit";
        }
        if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
            return "unknown host" + (t.getMessage() == null ? "" : " " + t.getMessage());
        }
        if (t instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (t instanceof EOFException) {
            return "the connection or file ended early";
        }
        if (t instanceof ClosedChannelException) {
            return "the connection was closed";
        }
        if (t instanceof java.io.IOException && t.getMessage() != null && !systemReason(t.getMessage()).equals(
                lowerFirst(t.getMessage()))) {
            return systemReason(t.getMessage()); // e.g. reading a folder: a bare IOException("Is a directory")
        }
        return null;
    }

    /** What {@code bind} failing with {@code message} means to someone who chose the host and port. */
    private static String bindReason(String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (m.contains("in use")) {
            return "the port is in use";
        }
        if (m.contains("assign requested address")) {
            return "the address is not one of this machine's";
        }
        if (m.contains("permission denied")) {
            return "permission denied (ports below 1024 need administrator rights)";
        }
        return message == null || message.isBlank() ? "cannot bind" : lowerFirst(message);
    }

    private static String systemReason(String reason) {
        switch (reason) {
            case "Not a directory":
                return "is not a folder";
            case "Is a directory":
                return "is a folder";
            case "No space left on device":
                return "no space left on the device";
            default:
                return lowerFirst(reason);
        }
    }

    private static Throwable parentOf(Throwable root, Throwable child) {
        for (Throwable t = root; t != null && t.getCause() != t; t = t.getCause()) {
            if (t.getCause() == child) {
                return t;
            }
        }
        return null;
    }

    private static String lowerFirst(String s) {
        return s.length() > 1 && Character.isUpperCase(s.charAt(0)) && !Character.isUpperCase(s.charAt(1))
                ? Character.toLowerCase(s.charAt(0)) + s.substring(1) : s;
    }

    /** {@code IllegalStateException} as "illegal state exception". */
    private static String words(String className) {
        return lowerFirst(className.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT));
    }
}
