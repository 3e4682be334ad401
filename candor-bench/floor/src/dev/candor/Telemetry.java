package dev.candor;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.ZipFile;

/**
 * The floor: the least that any SDK keeping Candor's promises has to do on the benchmark's ordinary run, in
 * five small classes and with no thread, so that {@code candor-bench/run --startup} can show how much of Candor's
 * added start is its own structure and how much is work no design avoids. A drop-in for the part of
 * Candor's API the tiny app calls; never shipped, never used by an app. It does, in this order: look for
 * {@code --no-telemetry} in the arguments; read the catalog from the first class-path entry (the cheap way
 * Candor reads it); find the app's name in it; read {@code <APP>_TELEMETRY}, {@code DO_NOT_TRACK} and
 * {@code <APP>_TELEMETRY_DIR}; look at the three configuration files consent may come from; compare the
 * catalog with the one the user agreed to; at close, write the count by name into this process's counter
 * file. What it leaves out, and Candor does: validating names, the other ways to turn telemetry off, the
 * first-run notice, the status line, the debug output, weekly periods, a background thread that merges
 * closed periods and uploads them, and every failure path.
 */
public final class Telemetry implements AutoCloseable {
    private static final String CATALOG = "META-INF/candor/catalog.json";

    private final File stateDirectory; // null when off
    private String event;
    private String[] pairs;
    private final Cell cell = new Cell();

    /** The handle: a class of its own, as Candor's is (a lambda would cost the JVM's lambda machinery). */
    private static final class Cell implements Counter {
        private long count;

        @Override
        public void increment() {
            count++;
        }
    }

    private Telemetry(File stateDirectory) {
        this.stateDirectory = stateDirectory;
    }

    public static Telemetry start(TelemetryOptions options) {
        try {
            for (String arg : options.args) {
                if (arg.equals("--no-telemetry")) {
                    return new Telemetry(null);
                }
            }
            byte[] catalog = firstClassPathEntry(CATALOG);
            String app = topLevelString(new String(catalog, StandardCharsets.UTF_8), "app");
            String prefix = app.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_TELEMETRY";
            String home = System.getenv("HOME");
            String configBase = System.getenv("XDG_CONFIG_HOME") != null ? System.getenv("XDG_CONFIG_HOME") : home + "/.config";
            String moved = System.getenv(prefix + "_DIR");
            File appConfig = moved != null ? new File(moved, "telemetry.properties") : new File(configBase + "/" + app + "/telemetry.properties");
            File state = moved != null ? new File(moved, "state") : new File(home + "/.local/state/" + app + "/telemetry");
            boolean on = "1".equals(System.getenv(prefix)) && System.getenv("DO_NOT_TRACK") == null;
            for (File config : new File[] {appConfig, new File(configBase + "/candor/telemetry.properties"),
                    new File("/etc/candor/telemetry.properties")}) {
                if (config.isFile()) {
                    // the floor's stand-in for reading a mode: telemetry enable|local|disable write true|local|false
                    on &= !new String(read(config), StandardCharsets.UTF_8).contains("false");
                }
            }
            File agreed = new File(state, "agreed-catalog.json");
            return new Telemetry(on && agreed.isFile() && Arrays.equals(read(agreed), catalog) ? state : null);
        } catch (IOException | RuntimeException e) {
            return new Telemetry(null);
        }
    }

    /** The tiny app asks for one cell: the floor keeps that one. */
    public Counter counter(String event, String... fieldValuePairs) {
        this.event = event;
        this.pairs = fieldValuePairs.clone();
        return cell;
    }

    @Override
    public void close() {
        if (stateDirectory == null || event == null) {
            return;
        }
        try {
            File period = new File(stateDirectory, "counts/" + utcDay(System.currentTimeMillis()));
            period.mkdirs();
            StringBuilder json = new StringBuilder("{\"counts\":{\"").append(event).append("\":[{\"cell\":{");
            for (int i = 0; i + 1 < pairs.length; i += 2) {
                json.append(i == 0 ? "" : ",").append('"').append(pairs[i]).append("\":\"").append(pairs[i + 1]).append('"');
            }
            json.append("},\"n\":").append(cell.count).append("}]}}");
            // a name of this process's own, written once and directly, as Candor writes a short run's file
            try (FileOutputStream out = new FileOutputStream(new File(period, Long.toHexString(System.nanoTime()) + ".on.json"))) {
                out.write(json.toString().getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            // the floor, like Candor, never throws into the app
        }
    }

    /**
     * {@code yyyy-MM-dd} of the UTC day holding {@code millis}, by integer arithmetic (the proleptic Gregorian
     * calendar from days since 1970, as in Howard Hinnant's date algorithms): {@code java.time} would load
     * about ten classes, which Candor does not load on this run either.
     */
    static String utcDay(long millis) {
        long z = Math.floorDiv(millis, 86_400_000L) + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        long day = dayOfYear - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        return year + (month < 10 ? "-0" : "-") + month + (day < 10 ? "-0" : "-") + day;
    }

    private static byte[] firstClassPathEntry(String resource) throws IOException {
        String classPath = System.getProperty("java.class.path");
        int end = classPath.indexOf(File.pathSeparatorChar);
        try (ZipFile jar = new ZipFile(end < 0 ? classPath : classPath.substring(0, end));
             InputStream in = jar.getInputStream(jar.getEntry(resource))) {
            return in.readAllBytes();
        }
    }

    private static byte[] read(File file) throws IOException {
        try (InputStream in = new FileInputStream(file)) {
            return in.readAllBytes();
        }
    }

    /** The string value of a top-level key, by a plain search: the floor trusts its catalog. */
    private static String topLevelString(String json, String key) {
        int at = json.indexOf(':', json.indexOf("\"" + key + "\"")) + 1;
        int open = json.indexOf('"', at);
        return json.substring(open + 1, json.indexOf('"', open + 1));
    }
}
