package dev.candor.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.internal.json.Json;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick catalog lookup and the app-name scan give what the class loader and the parser give. */
class CatalogSourceTest {
    @TempDir
    Path root;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theAppNameIsTheTopLevelOneOnly() {
        assertThat(CatalogSource.appName(utf8("{\"app\":\"acme\"}"))).isEqualTo("acme");
        assertThat(CatalogSource.appName(utf8(" \n{ \"title\" : \"an \\\"app\\\": \\\"x\\\"\", \"events\": {\"app\": {\"app\": 1}},"
                + " \"n\": [1, {\"app\": \"no\"}], \"t\": true, \"app\" : \"real-one\" }"))).isEqualTo("real-one");
        assertThat(CatalogSource.appName(utf8("{\"events\": {\"app\": \"nested\"}}"))).isNull();
        assertThat(CatalogSource.appName(utf8("{\"app\": \"ac\\u006de\"}"))).isNull(); // escapes: the parser decides
        assertThat(CatalogSource.appName(utf8("{\"app\": 7}"))).isNull();
        assertThat(CatalogSource.appName(utf8("[\"app\", \"acme\"]"))).isNull();
        assertThat(CatalogSource.appName(utf8("{\"app\": \"acme"))).isNull();
        assertThat(CatalogSource.appName(utf8("{\"title\": \"x\""))).isNull();
        assertThat(CatalogSource.appName(utf8(""))).isNull();
        assertThat(CatalogSource.appName(utf8("{\"apps\": \"a\", \"ap\": \"b\"}"))).isNull();
        // not an app name: the parser, not the quick start, says what is wrong with it
        for (String bad : new String[] {"Acme", "../etc", "", "1acme", "acme_x", "a".repeat(41)}) {
            assertThat(CatalogSource.appName(utf8("{\"app\": \"" + bad + "\"}"))).as(bad).isNull();
        }
        assertThat(CatalogSource.appName(utf8("{\"app\": \"" + "a".repeat(40) + "\"}"))).hasSize(40);
    }

    @Test
    void aCatalogOverOneMebibyteIsRefusedWithoutReadingItAll() throws IOException {
        Path dir = root.resolve("classes");
        Files.createDirectories(dir.resolve("big"));
        // 4 GiB, sparse: reading it whole would take the app's memory
        try (java.io.RandomAccessFile huge = new java.io.RandomAccessFile(dir.resolve("big/catalog.json").toFile(), "rw")) {
            huge.setLength(4L << 30);
        }
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {dir.toUri().toURL()}, null)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> CatalogSource.read("big/catalog.json", loader))
                    .isInstanceOf(IOException.class).hasMessageContaining("larger than 1024 KiB, which no catalog is");
        }
    }

    @Property(tries = 1000)
    void theScanAgreesWithTheParser(@ForAll("objects") Map<String, Object> top) {
        byte[] json = utf8(Json.write(top));
        String scanned = CatalogSource.appName(json);
        Object parsed = ((Map<?, ?>) Json.parse(json)).get("app");
        if (scanned != null) {
            assertThat(scanned).isEqualTo(parsed);
        } else if (parsed instanceof String) {
            // only names the scan leaves to the parser: not valid app names (which an escape never writes)
            assertThat(CatalogSource.isName((String) parsed, 40, '-')).as("a valid name the scan missed: %s", parsed)
                    .isFalse();
        }
    }

    /** The period scan answers what the parser would read, or nothing (then the parser judges). */
    @Property(tries = 1000)
    void thePeriodScanAgreesWithTheParser(@ForAll("objects") Map<String, Object> top) {
        byte[] json = utf8(Json.write(top));
        Catalog.Period scanned = CatalogSource.period(json);
        Map<?, ?> parsed = (Map<?, ?>) Json.parse(json);
        if (scanned == null) {
            assertThat(parsed.get("period")).as("a period the scan missed").isNotIn("day", "week");
        } else if (parsed.containsKey("period")) {
            assertThat(scanned.jsonName()).isEqualTo(parsed.get("period"));
        } else {
            assertThat(scanned).isEqualTo(Catalog.Period.DAY); // the parser's default
        }
    }

    @Test
    void thePeriodScanReadsOnlyTheTopLevel() {
        assertThat(CatalogSource.period(utf8("{\"app\": \"a\", \"period\": \"week\"}"))).isEqualTo(Catalog.Period.WEEK);
        assertThat(CatalogSource.period(utf8("{\"events\": {\"period\": \"week\"}, \"period\": \"day\"}")))
                .isEqualTo(Catalog.Period.DAY);
        assertThat(CatalogSource.period(utf8("{\"events\": {\"period\": \"week\"}}"))).isEqualTo(Catalog.Period.DAY);
        assertThat(CatalogSource.period(utf8("{}"))).isEqualTo(Catalog.Period.DAY);
        assertThat(CatalogSource.period(utf8("{\"period\": \"month\"}"))).isNull();
        assertThat(CatalogSource.period(utf8("{\"period\": \"we\\u0065k\"}"))).isNull(); // escapes: the parser decides
        assertThat(CatalogSource.period(utf8("{\"period\": 7}"))).isNull();
        assertThat(CatalogSource.period(utf8("{\"title\": \"x\""))).isNull();
        assertThat(CatalogSource.appName(utf8("{\"title\": \"absent\"}"))).isNull();
    }

    @Provide
    Arbitrary<Map<String, Object>> objects() {
        Arbitrary<String> keys = Arbitraries.of("app", "title", "events", "x", "a\"pp", "ap", "period");
        Arbitrary<Object> leaves = Arbitraries.oneOf(
                Arbitraries.strings().withChars("ap-\"\\{}[],: é\n").ofMaxLength(8).map(s -> (Object) s),
                Arbitraries.of("day", "week", "absent").map(s -> (Object) s),
                Arbitraries.longs().between(-5, 5).map(n -> (Object) n),
                Arbitraries.of(true, false).map(b -> (Object) b));
        Arbitrary<Object> nested = Combinators.combine(keys.list().ofMaxSize(3), leaves.list().ofMaxSize(3))
                .as((ks, vs) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    for (int i = 0; i < Math.min(ks.size(), vs.size()); i++) {
                        m.put(ks.get(i), vs.get(i));
                    }
                    return (Object) m;
                });
        Arbitrary<Object> values = Arbitraries.oneOf(leaves, nested, leaves.list().ofMaxSize(3).map(l -> (Object) l));
        return Combinators.combine(keys.list().ofMaxSize(6), values.list().ofMaxSize(6)).as((ks, vs) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < Math.min(ks.size(), vs.size()); i++) {
                m.put(ks.get(i), vs.get(i));
            }
            return m;
        });
    }

    @Test
    void holdsComparesExactBytes() throws IOException {
        Path f = root.resolve("f");
        Files.write(f, utf8("abc"));
        assertThat(CatalogSource.holds(f.toFile(), utf8("abc"))).isTrue();
        assertThat(CatalogSource.holds(f.toFile(), utf8("abd"))).isFalse();
        assertThat(CatalogSource.holds(f.toFile(), utf8("abcd"))).isFalse();
        assertThat(CatalogSource.holds(root.resolve("missing").toFile(), utf8("abc"))).isFalse();
        assertThat(CatalogSource.holds(root.toFile(), utf8("abc"))).isFalse();
    }

    /**
     * In a JVM of its own with the SDK on the class path, as apps run it: the quick read of the first entry
     * (a jar or a folder) gives what the class loader gives, and a catalog only in a later entry is still
     * found by the ordinary lookup.
     */
    @Test
    void inARealJvmTheQuickReadMatchesTheClassLoader() throws Exception {
        Path jar = root.resolve("app.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("META-INF/candor/catalog.json"));
            out.write(utf8("{\"app\":\"from-jar\"}"));
            out.closeEntry();
        }
        Path dir = root.resolve("classes");
        Files.createDirectories(dir.resolve("META-INF/candor"));
        Files.write(dir.resolve("META-INF/candor/catalog.json"), utf8("{\"app\":\"from-dir\"}"));
        Path empty = root.resolve("empty");
        Files.createDirectories(empty);
        String sdk = new File(CatalogSource.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        String testClasses = new File(CatalogSourceTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getPath();

        assertThat(probe(jar + File.pathSeparator + sdk + File.pathSeparator + testClasses))
                .isEqualTo("quick={\"app\":\"from-jar\"} loader={\"app\":\"from-jar\"}");
        assertThat(probe(dir + File.pathSeparator + jar + File.pathSeparator + sdk + File.pathSeparator + testClasses))
                .isEqualTo("quick={\"app\":\"from-dir\"} loader={\"app\":\"from-dir\"}");
        assertThat(probe(empty + File.pathSeparator + jar + File.pathSeparator + sdk + File.pathSeparator + testClasses))
                .isEqualTo("quick=null loader={\"app\":\"from-jar\"}");
    }

    private String probe(String classPath) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", classPath, Probe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /** Run in the child JVM: prints what the quick read and the full read find. */
    public static final class Probe {
        public static void main(String[] args) throws IOException {
            byte[] quick = CatalogSource.fromFirstClassPathEntry("META-INF/candor/catalog.json");
            byte[] full = CatalogSource.read("META-INF/candor/catalog.json", null);
            System.out.println("quick=" + (quick == null ? "null" : new String(quick, StandardCharsets.UTF_8))
                    + " loader=" + (full == null ? "null" : new String(full, StandardCharsets.UTF_8)));
        }
    }
}
