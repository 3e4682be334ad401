package dev.candor.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Writes a file the commands produce ({@code catalog docs --out}, {@code simulate --truth}) whole or not at
 * all: the text goes to a temporary file beside it, which then replaces it in one rename. A write that
 * fails halfway (a full disk, a file size limit) leaves the previous file as it was, never a truncated one.
 * A new file gets the permissions a plain write would give it; a replaced one keeps its own; a symbolic
 * link is written through; a device or a pipe ({@code /dev/stdout}) is written to as it is.
 */
public final class FileReplacement {
    private static final SecureRandom RANDOM = new SecureRandom();

    private FileReplacement() {
    }

    /** Writes {@code text} as UTF-8 to {@code file}, creating its folders; on failure {@code file} is unchanged. */
    public static void writeString(Path file, String text) throws IOException {
        Path target = file.toAbsolutePath();
        Path parent = target.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (Files.isDirectory(target)) {
            throw new FileSystemException(file.toString(), null, "Is a directory");
        }
        if (Files.exists(target)) {
            if (!Files.isRegularFile(target)) {
                // a device or a pipe (/dev/stdout, a FIFO) is written to, never replaced, and keeps nothing to protect
                Files.writeString(file, text, StandardCharsets.UTF_8);
                return;
            }
            target = target.toRealPath(); // a link is written through, not replaced by a file
            parent = target.getParent();
        }
        byte[] suffix = new byte[6];
        RANDOM.nextBytes(suffix);
        Path temporary = target.resolveSibling("." + target.getFileName() + "." + HexFormat.of().formatHex(suffix) + ".tmp");
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            PosixFileAttributeView was = Files.exists(target) ? Files.getFileAttributeView(target, PosixFileAttributeView.class) : null;
            if (was != null) {
                Files.getFileAttributeView(temporary, PosixFileAttributeView.class).setPermissions(was.readAttributes().permissions());
            }
            try {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (FileSystemException e) {
            throw String.valueOf(temporary).equals(e.getFile()) ? aboutTarget(e, file) : e;
        } finally {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException e) {
                // where it could not be created, it cannot be deleted either; the failure above is the one to tell
            }
        }
    }

    /**
     * Checks, before long work whose result goes to {@code file}, that {@code file} can be written: it is no
     * folder, and its folder exists (it is created) and takes a new file. Nothing is written to {@code file}.
     */
    public static void checkWritable(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        if (Files.isDirectory(target)) {
            throw new FileSystemException(file.toString(), null, "Is a directory");
        }
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            return; // a device or a pipe: written as it is
        }
        Path parent = target.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path probe = target.resolveSibling("." + target.getFileName() + ".probe.tmp");
        try {
            Files.deleteIfExists(probe);
            Files.createFile(probe);
        } catch (FileSystemException e) {
            throw String.valueOf(probe).equals(e.getFile()) ? aboutTarget(e, file) : e;
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException e) {
                // it could not be created either
            }
        }
    }

    /** The failure said of the file named rather than of the temporary file, which the user never named. */
    private static FileSystemException aboutTarget(FileSystemException e, Path file) {
        FileSystemException said = e instanceof NoSuchFileException ? new NoSuchFileException(file.toString())
                : e instanceof AccessDeniedException ? new AccessDeniedException(file.toString())
                : new FileSystemException(file.toString(), null, e.getReason());
        return said; // not caused by e: a reason naming the temporary file is what this avoids
    }
}
