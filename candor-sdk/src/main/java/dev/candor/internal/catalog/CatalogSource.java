package dev.candor.internal.catalog;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads the app's catalog file from the class path, as the class loader would find it, but cheaply.
 *
 * <p>Why it exists: {@link ClassLoader#getResourceAsStream} first asks the JDK's own loaders, which
 * search every module of the runtime image for the name (opening the image reader), and then opens the
 * jar through a {@code jar:} URL connection: together about half of the SDK's start on a cold JVM.
 * When the SDK sits on the application class path and nobody changed how that is searched, the first
 * class-path entry is where the system class loader would look first (no JDK module holds a
 * {@code META-INF/candor} file); a jar there is already open in the loader, and {@link ZipFile} shares
 * its open file. A hit there is exactly what the loader would return. The catalog in a later entry or
 * a jar's manifest {@code Class-Path} is looked up on the class path alone (through the SDK's unnamed
 * module, which skips the runtime image); a module path or a custom or given class loader takes the
 * loader's ordinary lookup. The answer never differs.
 */
public final class CatalogSource {
    private CatalogSource() {
    }

    /**
     * The bytes of {@code resource} as {@code loader} (null: the SDK's own loader) finds it on the class
     * path, or null when there is none.
     */
    public static byte[] read(String resource, ClassLoader loader) throws IOException {
        byte[] fast = loader == null ? fromFirstClassPathEntry(resource) : null;
        if (fast != null && fast.length <= MAX_BYTES) {
            return fast;
        }
        ClassLoader l = loader != null ? loader : CatalogSource.class.getClassLoader();
        Module sdk = CatalogSource.class.getModule();
        InputStream in;
        if (loader == null && !sdk.isNamed() && l == ClassLoader.getSystemClassLoader()
                && System.getProperty("jdk.module.path") == null) {
            in = sdk.getResourceAsStream(resource); // the class path alone: no JDK module holds an app's catalog
        } else {
            in = l == null ? ClassLoader.getSystemResourceAsStream(resource) : l.getResourceAsStream(resource);
        }
        if (in == null) {
            return null;
        }
        try (InputStream stream = in) {
            return readAtMost(stream, resource);
        }
    }

    /** All of {@code in}, refused with a clear message beyond {@link #MAX_BYTES} (read no further). */
    private static byte[] readAtMost(InputStream in, String name) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw new IOException(name + " is larger than " + MAX_BYTES / 1024 + " KiB, which no catalog is");
        }
        return bytes;
    }

    /**
     * The resource from the first entry of {@code java.class.path}, when the SDK is loaded by the ordinary
     * system class loader from the class path; null when that does not hold, the entry lacks the
     * resource, or reading it fails (the ordinary lookup then decides).
     */
    static byte[] fromFirstClassPathEntry(String resource) {
        try {
            if (resource.isEmpty() || resource.startsWith("/") || resource.contains("..")
                    || CatalogSource.class.getModule().isNamed()
                    || CatalogSource.class.getClassLoader() != ClassLoader.getSystemClassLoader()
                    || System.getProperty("java.system.class.loader") != null
                    || System.getProperty("jdk.module.path") != null) {
                return null;
            }
            String classPath = System.getProperty("java.class.path");
            if (classPath == null || classPath.isEmpty()) {
                return null;
            }
            int end = classPath.indexOf(File.pathSeparatorChar);
            String first = end < 0 ? classPath : classPath.substring(0, end);
            if (first.isEmpty()) {
                return null;
            }
            File entry = new File(first);
            if (entry.isDirectory()) {
                File file = new File(entry, resource.replace('/', File.separatorChar));
                return file.isFile() && file.length() <= MAX_BYTES ? readFile(file) : null;
            }
            if (!entry.isFile()) {
                return null;
            }
            try (ZipFile jar = new ZipFile(entry)) {
                ZipEntry e = jar.getEntry(resource);
                if (e == null || e.isDirectory()) {
                    return null;
                }
                if (e.getSize() > MAX_BYTES) {
                    return null; // the ordinary lookup reads it and refuses it with its message
                }
                try (InputStream in = jar.getInputStream(e)) {
                    return in.readNBytes(MAX_BYTES + 1);
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The most bytes read as a catalog (1 MiB): no catalog comes near it, and a stray huge file costs no more. */
    public static final int MAX_BYTES = 1024 * 1024;

    /**
     * {@code [a-z][a-z0-9<extra>]{0,max-1}}: an app name ({@code extra} '-', up to 40) or an event or
     * field name ({@code extra} '_', up to 64). Checked by hand: a regex costs every app start its classes.
     * The rule lives here, beside the quick start's app-name scan, so that checking a name does not load
     * the parser; the parser uses it too.
     */
    static boolean isName(String s, int max, char extra) {
        if (s.isEmpty() || s.length() > max || s.charAt(0) < 'a' || s.charAt(0) > 'z') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == extra)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The top-level {@code "app"} of catalog JSON, found without parsing it into a tree, or null when the
     * bytes are not a JSON object with a valid app name ({@link #isName}) there. For a quick start only: the
     * catalog is still parsed and validated in full before anything it names is reported.
     */
    public static String appName(byte[] json) {
        String app = topLevelString(json, "app");
        return app != null && app != ABSENT && isName(app, 40, '-') ? app : null; // else the parser says what is wrong with it
    }

    /**
     * The top-level {@code "period"} of catalog JSON found the same way: {@code "day"} (also when the key is
     * absent, the parser's default) or {@code "week"}; null for anything else, which the parser judges.
     */
    public static Catalog.Period period(byte[] json) {
        String name = topLevelString(json, "period");
        if (name == ABSENT || "day".equals(name)) {
            return Catalog.Period.DAY;
        }
        return "week".equals(name) ? Catalog.Period.WEEK : null;
    }

    /** What {@link #topLevelString} answers for a key the object does not have (compared by identity). */
    static final String ABSENT = new String("absent");

    /**
     * The value of {@code key} (ASCII) among the top-level keys of a JSON object, without a parse: {@link
     * #ABSENT} when no top-level key is {@code key}; null when the bytes are not a whole JSON object, or the
     * value is not a string of printable ASCII without escapes (the strict parser decides what such a value
     * means). Keys are compared as written, so an escaped key never matches.
     */
    static String topLevelString(byte[] json, String key) {
        try {
            int at = skipSpace(json, 0);
            if (at >= json.length || json[at] != '{') {
                return null;
            }
            at = skipSpace(json, at + 1);
            if (json[at] == '}') {
                return ABSENT;
            }
            while (true) {
                if (json[at] != '"') {
                    return null;
                }
                int keyStart = at + 1;
                at = skipString(json, at);
                boolean wanted = isKey(json, keyStart, at - 1, key);
                at = skipSpace(json, at);
                if (json[at] != ':') {
                    return null;
                }
                at = skipSpace(json, at + 1);
                if (wanted) {
                    return asciiString(json, at);
                }
                at = skipSpace(json, skipValue(json, at));
                if (json[at] == '}') {
                    return ABSENT;
                }
                if (json[at] != ',') {
                    return null;
                }
                at = skipSpace(json, at + 1);
            }
        } catch (RuntimeException e) {
            return null; // ran off the end: not a whole JSON object
        }
    }

    private static boolean isKey(byte[] json, int from, int to, String key) {
        if (to - from != key.length()) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            if (json[from + i] != key.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The string starting at the quote at {@code at} when it is printable ASCII without escapes, else null. */
    private static String asciiString(byte[] json, int at) {
        if (json[at] != '"') {
            return null;
        }
        int start = at + 1;
        int end = start;
        while (json[end] != '"') {
            if (json[end] == '\\' || (json[end] & 0xFF) < 0x20 || json[end] < 0) {
                return null;
            }
            end++;
        }
        char[] chars = new char[end - start]; // ASCII, checked above (no Charset needed at start)
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) json[start + i];
        }
        return new String(chars);
    }

    /** True when {@code file} holds exactly {@code bytes}; false when it differs, is missing or cannot be read. */
    public static boolean holds(File file, byte[] bytes) {
        if (!file.isFile() || file.length() != bytes.length) {
            return false;
        }
        try (InputStream in = new java.io.FileInputStream(file)) {
            return java.util.Arrays.equals(in.readNBytes(bytes.length + 1), bytes);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static int skipSpace(byte[] json, int i) {
        while (i < json.length && (json[i] == ' ' || json[i] == '\n' || json[i] == '\r' || json[i] == '\t')) {
            i++;
        }
        return i;
    }

    /** From the opening quote at {@code i} to just past the closing one. */
    private static int skipString(byte[] json, int i) {
        i++;
        while (json[i] != '"') {
            i += json[i] == '\\' ? 2 : 1;
        }
        return i + 1;
    }

    /** Past one JSON value starting at {@code i}: a string, a nested object or array, or a literal. */
    private static int skipValue(byte[] json, int i) {
        if (json[i] == '"') {
            return skipString(json, i);
        }
        int depth = 0;
        while (true) {
            byte b = json[i];
            if (b == '"') {
                i = skipString(json, i);
                continue;
            }
            if (b == '{' || b == '[') {
                depth++;
            } else if (b == '}' || b == ']') {
                if (depth == 0) {
                    return i;
                }
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            } else if (b == ',' && depth == 0) {
                return i;
            }
            i++;
        }
    }

    private static byte[] readFile(File file) throws IOException {
        try (InputStream in = new java.io.FileInputStream(file)) {
            return in.readNBytes(MAX_BYTES + 1);
        }
    }
}
