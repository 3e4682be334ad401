package dev.candor.examples.acme;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * {@code acme count} and {@code acme hash}: one streaming pass over a file of any size. Counting
 * follows {@code wc}: lines are newline characters, words are runs of non-blank bytes.
 */
final class FileStats {
    final long lines;
    final long words;
    final long bytes;

    private FileStats(long lines, long words, long bytes) {
        this.lines = lines;
        this.words = words;
        this.bytes = bytes;
    }

    static FileStats count(Path file) throws IOException {
        long lines = 0;
        long words = 0;
        long bytes = 0;
        boolean inWord = false;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
                bytes += n;
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (b == '\n') {
                        lines++;
                    }
                    boolean blank = b == ' ' || b == '\n' || b == '\t' || b == '\r' || b == 0x0b || b == 0x0c;
                    if (!blank && !inWord) {
                        words++;
                    }
                    inWord = !blank;
                }
            }
        }
        return new FileStats(lines, words, bytes);
    }

    /** The SHA-256 of the file's bytes, lower-case hex. */
    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        StringBuilder hex = new StringBuilder(64);
        for (byte b : digest.digest()) {
            hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return hex.toString();
    }
}
