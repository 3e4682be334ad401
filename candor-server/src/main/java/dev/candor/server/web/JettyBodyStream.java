package dev.candor.server.web;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.BadMessageException;

/**
 * A request body as Jetty delivers it, with Jetty's two ways of saying "the body came too slowly"
 * (an idle timeout while a read waits, a {@code 408} when the minimum data rate is not kept)
 * turned into one {@link SocketTimeoutException} that says which, so that
 * {@link dev.candor.server.ingest.RequestBody} can answer 408 without knowing Jetty.
 */
public final class JettyBodyStream extends FilterInputStream {

    JettyBodyStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException | BadMessageException e) {
            throw translated(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        } catch (IOException | BadMessageException e) {
            throw translated(e);
        }
    }

    private static IOException translated(Exception e) {
        String slow = tooSlow(e);
        if (slow != null) {
            return timeout(slow, e);
        }
        if (e instanceof BadMessageException bad) {
            return new IOException(bad.getReason() == null ? "the request was broken" : bad.getReason(), e);
        }
        return (IOException) e;
    }

    /**
     * How the body came too slowly, when {@code e} or one of its causes is Jetty saying so; else null. Also
     * for bodies read by Javalin itself (the sign-in form), whose failures reach the server's handlers.
     */
    public static String tooSlow(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BadMessageException bad && bad.getCode() == 408) {
                return "the body arrived slower than " + CollectorServer.MIN_BODY_BYTES_PER_SECOND + " bytes per second";
            }
            if (cause instanceof TimeoutException) {
                return "no byte of the body arrived for " + CollectorServer.REQUEST_IDLE_MILLIS / 1000 + " s";
            }
        }
        return null;
    }

    private static SocketTimeoutException timeout(String what, Exception cause) {
        SocketTimeoutException timeout = new SocketTimeoutException(what);
        timeout.initCause(cause);
        return timeout;
    }
}
