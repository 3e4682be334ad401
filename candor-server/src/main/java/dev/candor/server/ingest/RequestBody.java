package dev.candor.server.ingest;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
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
            sent = readAtMost(in, "the body");
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
        try {
            inflated = gunzip(sent);
        } catch (IOException e) {
            throw new ProblemException(Problem.malformed(gzipProblem(e)
                    + "; send the complete gzip data, or the body uncompressed without Content-Encoding"));
        }
        if (inflated.length == 0) {
            throw new ProblemException(Problem.malformed("the gzip body decompresses to nothing"));
        }
        return inflated;
    }

    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;
    /** The message of the exception for bytes after the last member (see {@link #gzipProblem}). */
    private static final String TRAILING = "bytes after the last gzip member";

    /**
     * Inflates every member of gzip data (RFC 1952) in turn, each checked against its trailer's CRC-32
     * and length, and refuses anything after the last. ({@code GZIPInputStream} would do the rest, but
     * after a member it reads on only if what follows looks like another member, and quietly drops it
     * otherwise: a body with bytes after its gzip data would be taken as if they were not there.)
     *
     * @throws IOException worded by {@link #gzipProblem}
     * @throws ProblemException 413 past {@link #MAX_BYTES} inflated
     */
    static byte[] gunzip(byte[] sent) throws IOException {
        byte[] out = new byte[16 * 1024];
        int length = 0;
        int at = 0;
        Inflater inflater = new Inflater(true);
        try {
            do {
                at = afterHeader(sent, at);
                inflater.reset();
                inflater.setInput(sent, at, sent.length - at);
                int memberStart = length;
                while (!inflater.finished()) {
                    if (length == out.length) {
                        if (length > MAX_BYTES) {
                            throw tooLarge("the body after gzip decompression", true);
                        }
                        out = Arrays.copyOf(out, Math.min(out.length * 2, MAX_BYTES + 1));
                    }
                    int inflated;
                    try {
                        inflated = inflater.inflate(out, length, out.length - length);
                    } catch (DataFormatException e) {
                        throw new ZipException(e.getMessage());
                    }
                    if (inflated == 0 && inflater.needsDictionary()) {
                        throw new ZipException("a preset dictionary, which gzip does not have");
                    }
                    if (inflated == 0 && inflater.needsInput()) {
                        throw new EOFException();
                    }
                    length += inflated;
                }
                at = sent.length - inflater.getRemaining();
                if (sent.length - at < 8) {
                    throw new EOFException();
                }
                CRC32 crc = new CRC32();
                crc.update(out, memberStart, length - memberStart);
                ByteBuffer trailer = ByteBuffer.wrap(sent, at, 8).order(ByteOrder.LITTLE_ENDIAN);
                if ((trailer.getInt() & 0xffffffffL) != crc.getValue()
                        || (trailer.getInt() & 0xffffffffL) != ((length - memberStart) & 0xffffffffL)) {
                    throw new ZipException("Corrupt GZIP trailer");
                }
                at += 8;
            } while (at < sent.length);
        } finally {
            inflater.end();
        }
        if (length > MAX_BYTES) {
            throw tooLarge("the body after gzip decompression", true);
        }
        return Arrays.copyOf(out, length);
    }

    /** Where the deflate data of the member whose header starts at {@code at} begins. */
    private static int afterHeader(byte[] b, int at) throws IOException {
        if (b.length - at < 2 || (b[at] & 0xff) != 0x1f || (b[at + 1] & 0xff) != 0x8b) {
            throw new ZipException(at == 0 ? "Not in GZIP format" : TRAILING);
        }
        if (b.length - at < 10) {
            throw new EOFException();
        }
        if (b[at + 2] != 8) {
            throw new ZipException("Unsupported compression method");
        }
        int flags = b[at + 3] & 0xff;
        int p = at + 10;
        if ((flags & FEXTRA) != 0) {
            if (b.length - p < 2) {
                throw new EOFException();
            }
            p += 2 + ((b[p] & 0xff) | (b[p + 1] & 0xff) << 8);
        }
        for (int field : new int[] {FNAME, FCOMMENT}) {
            if ((flags & field) != 0) {
                while (p < b.length && b[p] != 0) {
                    p++;
                }
                p++; // the terminating zero
            }
        }
        if ((flags & FHCRC) != 0) {
            if (b.length - p < 2) {
                throw new EOFException();
            }
            CRC32 crc = new CRC32();
            crc.update(b, at, p - at);
            if ((crc.getValue() & 0xffff) != ((b[p] & 0xff) | (b[p + 1] & 0xff) << 8)) {
                throw new ZipException("Corrupt GZIP header");
            }
            p += 2;
        }
        if (p > b.length) {
            throw new EOFException();
        }
        return p;
    }

    /**
     * What is wrong with gzip data, in words: {@link #gunzip} says it with an exception type and a short
     * message ({@code EOFException} for data cut short), as the JDK's own gzip reader does.
     */
    static String gzipProblem(IOException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof EOFException) {
            return "the gzip data is cut short: it ends before its compressed data or its 8-byte trailer "
                    + "(checksum and length) is complete";
        }
        if (message.equals(TRAILING)) {
            return "the body goes on after the end of its gzip data";
        }
        if (message.equals("Not in GZIP format")) {
            return "Content-Encoding says gzip but the body is not gzip data (it does not start with the gzip "
                    + "bytes 1f 8b)";
        }
        if (message.equals("Corrupt GZIP header")) {
            return "the gzip data is corrupt: its header's checksum does not match the header";
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
    private static byte[] readAtMost(InputStream in, String what) throws IOException {
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
            throw tooLarge(what, false);
        }
        return Arrays.copyOf(buffer, length);
    }

    private static ProblemException tooLarge(String what, boolean inflating) {
        return new ProblemException(Problem.tooLarge(what + " is larger than " + MAX_BYTES + " bytes (1 MiB)"
                + (inflating ? " and was cut off while inflating" : "") + "; send fewer reports per request"));
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
