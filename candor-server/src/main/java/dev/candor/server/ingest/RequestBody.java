package dev.candor.server.ingest;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
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
     * @throws ProblemException 415 for a wrong type or coding, 413 past the limit, 400 for a broken
     *     or empty body
     */
    public static byte[] read(InputStream in, String contentType, String contentEncoding, long contentLength) {
        checkContentType(contentType);
        boolean gzip = isGzip(contentEncoding);
        if (contentLength > MAX_BYTES) {
            throw new ProblemException(Problem.tooLarge("the body is " + contentLength
                    + " bytes; at most " + MAX_BYTES + " bytes (1 MiB) are accepted, send fewer reports per request"));
        }
        byte[] sent = readAtMost(in, "the body", false);
        if (sent.length == 0) {
            throw new ProblemException(Problem.malformed(
                    "the body is empty; send one report or {\"reports\": [...]} as JSON"));
        }
        if (!gzip) {
            return sent;
        }
        try (GZIPInputStream inflating = new GZIPInputStream(new ByteArrayInputStream(sent), 8192)) {
            byte[] inflated = readAtMost(inflating, "the body after gzip decompression", true);
            if (inflated.length == 0) {
                throw new ProblemException(Problem.malformed("the gzip body decompresses to nothing"));
            }
            return inflated;
        } catch (ZipException | EOFException e) {
            throw new ProblemException(Problem.malformed(
                    "the body is not valid gzip (" + e.getMessage() + "); send it uncompressed or as complete gzip data"));
        } catch (IOException e) {
            throw new ProblemException(Problem.malformed("the gzip body could not be read: " + e.getMessage()));
        }
    }

    private static byte[] readAtMost(InputStream in, String what, boolean inflating) {
        byte[] buffer = new byte[16 * 1024];
        int length = 0;
        try {
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
        } catch (ZipException | EOFException e) {
            throw new ProblemException(Problem.malformed(
                    "the body is not valid gzip (" + e.getMessage() + "); send it uncompressed or as complete gzip data"));
        } catch (IOException e) {
            throw new ProblemException(Problem.malformed("the body could not be read completely: " + e.getMessage()));
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
