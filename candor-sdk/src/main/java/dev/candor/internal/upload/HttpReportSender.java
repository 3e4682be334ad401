package dev.candor.internal.upload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * POSTs one report to the collector, and nothing else: gzip-compressed JSON, a fixed user agent
 * ({@value Uploader#USER_AGENT}), no redirects followed, no cache, {@code Connection: close} so no
 * connection (and no keep-alive thread) outlives the request.
 *
 * <p>Built on {@link HttpURLConnection} rather than {@code java.net.http.HttpClient}: measured on
 * JDK 17, a first POST through {@code HttpURLConnection} loads about 440 classes, through
 * {@code HttpClient} about 1,700 (and needs {@code requires java.net.http}, which also grows
 * jlinked images). The uploader runs beside the host application, so the cheaper one wins. This
 * class is the only one that touches the network, and it is loaded only when there is a report
 * to send. One caveat of {@code HttpURLConnection}: it consults a process-wide
 * {@link java.net.CookieHandler} if the host application installed one; Candor sets no cookies
 * and the Candor collector never sends any.
 */
final class HttpReportSender {
    private HttpReportSender() {
    }

    /**
     * Sends {@code json} and returns the collector's answer. Never throws; blocks at most about
     * {@code connectTimeoutMillis + readTimeoutMillis} (longer only if a collector trickles its
     * headers byte by byte, which is why this runs on a daemon thread).
     */
    static CollectorAnswer post(URI endpoint, byte[] json, int connectTimeoutMillis, int readTimeoutMillis,
                                long nowMillis) {
        HttpURLConnection connection = null;
        try {
            byte[] body = gzip(json);
            connection = (HttpURLConnection) endpoint.toURL().openConnection();
            connection.setConnectTimeout(Math.max(1, connectTimeoutMillis));
            connection.setReadTimeout(Math.max(1, readTimeoutMillis));
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setUseCaches(false);
            connection.setInstanceFollowRedirects(false);
            connection.setAllowUserInteraction(false);
            connection.setFixedLengthStreamingMode(body.length);
            connection.setRequestProperty("Content-Type", "application/json");
            connection.setRequestProperty("Content-Encoding", "gzip");
            connection.setRequestProperty("Accept", "application/json, application/problem+json");
            connection.setRequestProperty("User-Agent", Uploader.USER_AGENT);
            connection.setRequestProperty("Connection", "close");
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
            int status = connection.getResponseCode();
            if (status < 0) {
                return CollectorAnswer.noAnswer("the answer was not HTTP");
            }
            long retryAfter = status == 429 || status == 503
                    ? CollectorAnswer.parseRetryAfter(connection.getHeaderField("Retry-After"), nowMillis) : -1;
            String detail = status >= 400 ? problemDetail(connection) : "";
            return CollectorAnswer.status(status, retryAfter, detail);
        } catch (ConnectException | NoRouteToHostException e) {
            return CollectorAnswer.noAnswer("collector unreachable (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        } catch (SocketTimeoutException e) {
            return CollectorAnswer.noAnswer("collector did not answer in time (" + e.getMessage() + ")");
        } catch (UnknownHostException e) {
            return CollectorAnswer.noAnswer("collector host unknown (" + e.getMessage() + ")");
        } catch (IOException | RuntimeException e) {
            return CollectorAnswer.noAnswer("network error (" + e + ")");
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    static byte[] gzip(byte[] json) throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(json.length / 4 + 64);
        try (GZIPOutputStream out = new GZIPOutputStream(compressed)) {
            out.write(json);
        }
        return compressed.toByteArray();
    }

    /** The first line of the collector's error body (a problem+json), for the user; at most 300 characters. */
    private static String problemDetail(HttpURLConnection connection) {
        try (InputStream in = connection.getErrorStream()) {
            if (in == null) {
                return "";
            }
            byte[] start = in.readNBytes(300);
            String text = new String(start, StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
            return text;
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
