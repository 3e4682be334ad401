package dev.candor.server.ingest;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a report request's body within its limits: {@code Content-Type: application/json}
 * (UTF-8), optionally {@code Content-Encoding: gzip}, and at most {@value #MAX_BYTES} bytes both as
 * sent and after decompression. Inflating stops at the first byte past the limit, so a gzip bomb
 * costs at most 1 MiB of memory and the time to inflate 1 MiB.
 */
public final class RequestBody {
    /** The largest body accepted, compressed or not: 1 MiB. */
    public static final int MAX_BYTES = 1 << 20;

    private RequestBody() {}

    /**
     * Checks the headers and reads the body, inflating it if it is gzip.
     *
     * @param contentLength the declared length, or -1 if none (chunked)
     * @param in the body; a {@link SocketTimeoutException} from it means the body came too slowly
     * @throws ProblemException 415 for a wrong type or coding, 413 past the limit, 400 for a broken
     *     or empty body, 408 for a body that came too slowly
     */
    public static byte[] read(InputStream in, String contentType, String contentEncoding, long contentLength) {
        checkContentType(contentType);
        boolean gzip = isGzip(contentEncoding);
        if (contentLength > MAX_BYTES) {
            throw new ProblemException(Problem.tooLarge("the body is " + contentLength
                    + " bytes; at most " + MAX_BYTES + " bytes (1 MiB) are accepted, send fewer reports per request"));
        }
        byte[] sent;
        try {
            sent = readAtMost(in, "the body", false);
        } catch (SocketTimeoutException e) {
            throw new ProblemException(Problem.requestTimeout(e.getMessage()
                    + "; nothing of this request was stored, send the whole body without pausing"));
        } catch (EOFException e) {
            throw new ProblemException(Problem.malformed("the body ended before it was complete (the connection "
                    + "closed before the Content-Length was reached or the last chunk was sent); send the whole body"));
        } catch (IOException e) {
            throw new ProblemException(Problem.malformed("the body could not be read completely: " + e.getMessage()));
        }
        if (sent.length == 0) {
            throw new ProblemException(Problem.malformed(
                    "the body is empty; send one report or {\"reports\": [...]} as JSON"));
        }
        if (!gzip) {
            return sent;
        }
        byte[] inflated;
        try (GZIPInputStream inflating = new GZIPInputStream(new ByteArrayInputStream(sent), 8192)) {
            inflated = readAtMost(inflating, "the body after gzip decompression", true);
        } catch (IOException e) {
            throw new ProblemException(Problem.malformed(gzipProblem(e)
                    + "; send the complete gzip data, or the body uncompressed without Content-Encoding"));
        }
        if (inflated.length == 0) {
            throw new ProblemException(Problem.malformed("the gzip body decompresses to nothing"));
        }
        return inflated;
    }

    /**
     * What is wrong with gzip data, in words: {@link GZIPInputStream} says it with an exception type
     * and a message that is often empty ({@code EOFException(null)} for a missing trailer).
     */
    static String gzipProblem(IOException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof EOFException) {
            return "the gzip data is cut short: it ends before its compressed data or its 8-byte trailer "
                    + "(checksum and length) is complete";
        }
        if (message.equals("Not in GZIP format")) {
            return "Content-Encoding says gzip but the body is not gzip data (it does not start with the gzip "
                    + "bytes 1f 8b)";
        }
        if (message.equals("Corrupt GZIP trailer")) {
            return "the gzip data is corrupt: its trailer's checksum or length does not match the decompressed data";
        }
        if (message.startsWith("Unsupported compression method")) {
            return "the gzip data uses a compression method other than deflate";
        }
        if (e instanceof ZipException) {
            return "the gzip data is corrupt" + (message.isEmpty() ? "" : " (deflate says: " + message + ")");
        }
        return "the gzip data could not be read" + (message.isEmpty() ? "" : ": " + message);
    }

    /**
     * Reads {@code in} to its end, at most {@link #MAX_BYTES} bytes.
     *
     * @throws ProblemException 413 past the limit
     * @throws IOException as {@code in} throws it, for the caller to word
     */
    private static byte[] readAtMost(InputStream in, String what, boolean inflating) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        int length = 0;
        while (true) {
            if (length == buffer.length) {
                if (length > MAX_BYTES) {
                    break;
                }
                buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, MAX_BYTES + 1));
            }
            int read = in.read(buffer, length, buffer.length - length);
            if (read < 0) {
                break;
            }
            length += read;
        }
        if (length > MAX_BYTES) {
            throw new ProblemException(Problem.tooLarge(what + " is larger than " + MAX_BYTES + " bytes (1 MiB)"
                    + (inflating ? " and was cut off while inflating" : "") + "; send fewer reports per request"));
        }
        return Arrays.copyOf(buffer, length);
    }

    private static void checkContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            throw new ProblemException(Problem.unsupportedMediaType(
                    "no Content-Type; send the reports as Content-Type: application/json"));
        }
        String[] parts = contentType.split(";");
        String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            throw new ProblemException(Problem.unsupportedMediaType(
                    "Content-Type " + parts[0].trim() + " is not accepted; send application/json"));
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter[0].trim().equalsIgnoreCase("charset")) {
                String charset = parameter.length == 2 ? parameter[1].trim().replace("\"", "") : "";
                if (!charset.equalsIgnoreCase("utf-8")) {
                    throw new ProblemException(Problem.unsupportedMediaType(
                            "charset " + charset + " is not accepted; reports are UTF-8 JSON"));
                }
            }
        }
    }

    private static boolean isGzip(String contentEncoding) {
        if (contentEncoding == null || contentEncoding.isBlank()
                || contentEncoding.trim().equalsIgnoreCase("identity")) {
            return false;
        }
        String coding = contentEncoding.trim().toLowerCase(Locale.ROOT);
        if (coding.equals("gzip") || coding.equals("x-gzip")) {
            return true;
        }
        throw new ProblemException(Problem.unsupportedMediaType(
                "Content-Encoding " + contentEncoding.trim() + " is not accepted; send gzip or no encoding"));
    }
}
